# Sourced by every tests/cli/*.sh: a scratch directory, a runner that captures exit code,
# stdout and stderr, and checks that say what they expected.
set -euo pipefail

: "${LAMTOOL:?LAMTOOL must name the lamtool binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lamtool-cli-XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK"
FIXTURES="$LAMTOOL_SOURCE_DIR/tests/fixtures"
# The project's own NHL games (tests/tools/make_nhl_games.py) and the generator's totals.
GAMES="$FIXTURES/nhl"
# Data kept out of the repository by its licence: beside the checkout, as in CI, or where
# LAMTOOL_SHARED_DATA_DIR says (read at run time).
SHARED_DATA=${LAMTOOL_SHARED_DATA_DIR:-$LAMTOOL_SOURCE_DIR/../shared/data}

fail() { echo "FAIL: $*" >&2; exit 1; }

# need_shared_data FOLDER: the test is skipped (exit 200, ctest SKIP_RETURN_CODE) with the
# reason when FOLDER is missing from the shared data.
need_shared_data() {
  if [ ! -d "$SHARED_DATA/$1" ]; then
    echo "SKIPPED: needs the shared data '$SHARED_DATA/$1' (not in the repository: its licence keeps it out); point LAMTOOL_SHARED_DATA_DIR at it to run this test"
    exit 200
  fi
}

# run ARGS...: runs lamtool; sets RC, OUT (stdout) and ERR (stderr). Never fails itself.
run() {
  set +e
  "$LAMTOOL" "$@" >"$WORK/.out" 2>"$WORK/.err" </dev/null
  RC=$?
  set -e
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
}

# run_stdin FILE ARGS...: like run, with FILE on stdin.
run_stdin() {
  local input=$1
  shift
  set +e
  "$LAMTOOL" "$@" >"$WORK/.out" 2>"$WORK/.err" <"$input"
  RC=$?
  set -e
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
}

# run_unwritable DIR ARGS...: like run, with the directory DIR (existing, empty) unwritable
# for lamtool. Root ignores permission bits, so as root lamtool runs in a private mount
# namespace (unshare -m) where DIR is a read-only bind mount; otherwise DIR is chmod 0555
# for the run. Sets UNWRITABLE_VARIANT ("read-only bind mount" or "chmod 0555"); skips the
# test (200) when root cannot make a mount namespace.
run_unwritable() {
  local dir=$1
  shift
  if [ "$(id -u)" -ne 0 ]; then
    UNWRITABLE_VARIANT="chmod 0555"
    chmod 0555 "$dir"
    run "$@"
    chmod 0755 "$dir"
    return
  fi
  UNWRITABLE_VARIANT="read-only bind mount"
  in_mount_namespace "mount --bind \"\$D\" \"\$D\" && mount -o remount,ro,bind \"\$D\"" "$dir" "$@"
}
# run_disk_full DIR SIZE ARGS...: like run, with DIR (existing, empty) a tmpfs of SIZE
# (e.g. 64k) in a private mount namespace, so a write past SIZE fails with ENOSPC. Needs
# root (skips with 200 otherwise). The tmpfs is gone afterwards: check DIR as seen inside
# with the files listed in MOUNT_LISTING (find output after the run).
run_disk_full() {
  local dir=$1 size=$2
  shift 2
  if [ "$(id -u)" -ne 0 ]; then
    echo "SKIPPED: a full disk needs root (a tmpfs in a mount namespace)"
    exit 200
  fi
  in_mount_namespace "mount -t tmpfs -o size=$size lamtool-full \"\$D\"" "$dir" "$@"
}
# in_mount_namespace SETUP DIR ARGS...: runs lamtool ARGS inside `unshare -m` after the
# shell command SETUP (DIR in $D); sets RC, OUT, ERR and MOUNT_LISTING (what DIR held
# inside the namespace after the run, one path per line).
in_mount_namespace() {
  local setup=$1 dir=$2
  shift 2
  command -v unshare >/dev/null || { echo "SKIPPED: no unshare (util-linux)"; exit 200; }
  unshare -m --propagation private true 2>/dev/null ||
    { echo "SKIPPED: cannot make a mount namespace here"; exit 200; }
  set +e
  D=$dir W=$WORK unshare -m --propagation private -- /bin/bash -c "$setup"' || exit 201
    "$@" >"$W/.out" 2>"$W/.err" </dev/null
    rc=$?
    find "$D" -mindepth 1 >"$W/.listing"
    exit $rc' lamtool-ns "$LAMTOOL" "$@"
  RC=$?
  set -e
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
  MOUNT_LISTING=$(cat "$WORK/.listing")
  [ "$RC" -ne 201 ] || fail "could not set up the mount: $setup"
}
expect_rc() {
  [ "$RC" -eq "$1" ] || fail "expected exit $1, got $RC; stderr: $ERR"
}
expect_out() {
  [ "$OUT" == "$1" ] || fail "expected stdout:
$1
got:
$OUT"
}
expect_out_contains() {
  [[ "$OUT" == *"$1"* ]] || fail "expected stdout to contain '$1', got: $OUT"
}
expect_err_contains() {
  [[ "$ERR" == *"$1"* ]] || fail "expected stderr to contain '$1', got: $ERR"
}
expect_err_empty() {
  [ -z "$ERR" ] || fail "expected no stderr, got: $ERR"
}
# One line, in the documented form.
expect_one_error_line() {
  [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "expected one stderr line, got: $ERR"
  [[ "$ERR" == "lamtool: error: "* ]] || fail "expected 'lamtool: error: ...', got: $ERR"
}
expect_file() {
  [ -f "$1" ] || fail "expected file $1"
  if [ $# -ge 2 ]; then
    [ "$(cat "$1")" == "$2" ] || fail "expected $1 to hold '$2', got '$(cat "$1")'"
  fi
}
# No files at all below DIR (nothing partial left behind).
expect_empty_dir() {
  [ -z "$(find "$1" -mindepth 1 -print -quit)" ] || fail "expected $1 empty, has: $(find "$1" -mindepth 1)"
}
# json_get JSON EXPR [ARG...]: evaluates a Python expression on the parsed JSON `j`
# (further arguments are sys.argv[3:]).
json_get() {
  /usr/bin/python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$@"
}

# start_nhl_server ARGS...: the project's NHL API stand-in on a free port, serving the
# project's games; sets NHL_URL and NHL_PID, stopped at exit.
start_nhl_server() {
  coproc NHL { exec /usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/servers/nhl-fixture-server.py" \
    --dir "$GAMES" "$@"; }
  NHL_SERVER_PID=$NHL_PID  # bash unsets NHL_PID when the server exits
  local port
  read -r port <&"${NHL[0]}" || fail "NHL fixture server printed no port"
  NHL_URL="http://127.0.0.1:$port"
  trap 'kill $NHL_SERVER_PID 2>/dev/null || true; wait $NHL_SERVER_PID 2>/dev/null || true; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
}
stop_nhl_server() {
  kill "$NHL_SERVER_PID" 2>/dev/null || true
  wait "$NHL_SERVER_PID" 2>/dev/null || true
}

# start_file_server DIR ARGS...: tests/servers/file-server.py serving DIR on a free port;
# sets FILES_URL and FILE_SERVER_PID, stopped at exit.
start_file_server() {
  local dir=$1
  shift
  coproc FILES { exec /usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/servers/file-server.py" \
    --dir "$dir" "$@"; }
  FILE_SERVER_PID=$FILES_PID
  local port
  read -r port <&"${FILES[0]}" || fail "file server printed no port"
  FILES_URL="http://127.0.0.1:$port"
  trap 'kill $FILE_SERVER_PID 2>/dev/null || true; wait $FILE_SERVER_PID 2>/dev/null || true; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
}

# start_x_server ARGS...: the project's X API stand-in (tests/servers/x-api.py, which checks
# every OAuth 1.0a signature itself) on a free port with made-up credentials, exported as
# lamtool reads them; sets X_URL and X_SERVER_PID, stopped at exit. x_state prints the
# server's record (media, posts, requests); x_control PATH JSON sets a fault.
X_TEST_API_KEY=lamtoolTestConsumerKey7Q2
X_TEST_API_SECRET=lamtoolTestConsumerSecret9fJ3kLm2PqR8
X_TEST_ACCESS_TOKEN=1234567890-lamtoolTestAccessToken4Xz
X_TEST_ACCESS_TOKEN_SECRET=lamtoolTestTokenSecret5Vb7Nc1Wd3
start_x_server() {
  coproc XAPI { exec /usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/servers/x-api.py" \
    --consumer-key "$X_TEST_API_KEY" --consumer-secret "$X_TEST_API_SECRET" \
    --access-token "$X_TEST_ACCESS_TOKEN" --access-token-secret "$X_TEST_ACCESS_TOKEN_SECRET" "$@"; }
  X_SERVER_PID=$XAPI_PID
  local port
  read -r port <&"${XAPI[0]}" || fail "X API server printed no port"
  X_URL="http://127.0.0.1:$port"
  export LAMTOOL_X_API_URL=$X_URL X_API_KEY=$X_TEST_API_KEY X_API_SECRET=$X_TEST_API_SECRET \
    X_ACCESS_TOKEN=$X_TEST_ACCESS_TOKEN X_ACCESS_TOKEN_SECRET=$X_TEST_ACCESS_TOKEN_SECRET
  trap 'kill $X_SERVER_PID 2>/dev/null || true; wait $X_SERVER_PID 2>/dev/null || true; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
}
x_state() { curl -sf "$X_URL/__test/state"; }
x_control() { curl -sf -X POST -H 'Content-Type: application/json' -d "$2" "$X_URL/__test/$1" >/dev/null; }
# No X credential, OAuth signature or Authorization header in TEXT.
expect_no_x_secrets() {
  local text=$1 s
  for s in "$X_TEST_API_KEY" "$X_TEST_API_SECRET" "$X_TEST_ACCESS_TOKEN" "$X_TEST_ACCESS_TOKEN_SECRET"; do
    [[ "$text" != *"$s"* ]] || fail "X credential '${s:0:12}...' in output: $text"
  done
  [[ "$text" != *oauth_signature* && "$text" != *"Authorization"* ]] || fail "signature in output: $text"
}
