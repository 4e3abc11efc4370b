# Sourced by integration test scripts: exports the test servers' endpoints and
# credentials, and sets up an awscli environment that reads no user configuration.
# Fails (never skips) when the servers are not running.
if [[ -z "${LAMTOOL_TEST_SERVERS_FILE:-}" || ! -f "$LAMTOOL_TEST_SERVERS_FILE" ]]; then
  echo "test servers not running: LAMTOOL_TEST_SERVERS_FILE='${LAMTOOL_TEST_SERVERS_FILE:-}' is missing" \
       "(run through ctest, which starts them in the servers.start fixture)" >&2
  exit 1
fi
set -a
# shellcheck source=/dev/null
source "$LAMTOOL_TEST_SERVERS_FILE"
set +a

# awscli: explicit credentials and region, no config files, no pager, no retries
# unless a test asks for them.
aws_env() {
  export AWS_ACCESS_KEY_ID="$LAMTOOL_TEST_ACCESS_KEY_ID"
  export AWS_SECRET_ACCESS_KEY="$LAMTOOL_TEST_SECRET_ACCESS_KEY"
  export AWS_DEFAULT_REGION="$LAMTOOL_TEST_REGION"
  export AWS_REGION="$LAMTOOL_TEST_REGION"
  unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_CA_BUNDLE AWS_ENDPOINT_URL
  export AWS_CONFIG_FILE="$1/aws-config" AWS_SHARED_CREDENTIALS_FILE="$1/aws-credentials"
  : > "$AWS_CONFIG_FILE"
  : > "$AWS_SHARED_CREDENTIALS_FILE"
  export AWS_PAGER="" AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard AWS_EC2_METADATA_DISABLED=true
}
