#!/usr/bin/env bash
# The presigned URL of `lamtool s3 presign` equals one computed independently in Python
# (hashlib/hmac, from the SigV4 query-signing rules) for a path-style local endpoint,
# a key with '+', a space and UTF-8, and a session token. -v never shows the secrets.
# The URL is dated by the real clock, not LAMTOOL_NOW (a URL dated days back would be
# expired at once): the reference takes the date from the URL and checks it is now.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
key='dir/a+b c/é.png'
export_env=(PATH="$PATH" HOME="$work" LAMTOOL_NOW=2026-11-20T07:00:00Z AWS_REGION=eu-west-1
  AWS_ENDPOINT_URL_S3=http://127.0.0.1:4569 AWS_ACCESS_KEY_ID=AKIDLAMTOOLTEST
  AWS_SECRET_ACCESS_KEY=lamtoolSecretKey/Example+1 AWS_SESSION_TOKEN=lamtoolSessionToken/Ex=)
env -i "${export_env[@]}" "$LAMTOOL" s3 presign "s3://my-bucket/$key" --expires 900 -v \
  >"$work/url" 2>"$work/err"
/usr/bin/python3 - "$key" "$(cat "$work/url")" >"$work/expected" <<'PY'
import datetime, hashlib, hmac, sys, urllib.parse
key = sys.argv[1]
date = urllib.parse.parse_qs(urllib.parse.urlsplit(sys.argv[2]).query)['X-Amz-Date'][0]
signed = datetime.datetime.strptime(date, '%Y%m%dT%H%M%SZ').replace(tzinfo=datetime.timezone.utc)
now = datetime.datetime.now(datetime.timezone.utc)
assert abs((now - signed).total_seconds()) < 300, f'dated {date}, not now ({now})'
q = lambda s: urllib.parse.quote(s, safe='-_.~')
path = '/my-bucket/' + urllib.parse.quote(key, safe='/-_.~')
host, region = '127.0.0.1:4569', 'eu-west-1'
scope = f'{date[:8]}/{region}/s3/aws4_request'
params = {'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': f'AKIDLAMTOOLTEST/{scope}',
          'X-Amz-Date': date, 'X-Amz-Expires': '900',
          'X-Amz-Security-Token': 'lamtoolSessionToken/Ex=', 'X-Amz-SignedHeaders': 'host'}
query = '&'.join(f'{q(k)}={q(v)}' for k, v in sorted(params.items()))
creq = '\n'.join(['GET', path, query, f'host:{host}', '', 'host', 'UNSIGNED-PAYLOAD'])
sts = '\n'.join(['AWS4-HMAC-SHA256', date, scope, hashlib.sha256(creq.encode()).hexdigest()])
k = ('AWS4' + 'lamtoolSecretKey/Example+1').encode()
for part in (date[:8], region, 's3', 'aws4_request'):
    k = hmac.new(k, part.encode(), hashlib.sha256).digest()
sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
print(f'http://{host}{path}?{query}&X-Amz-Signature={sig}')
PY
diff "$work/expected" "$work/url"
! grep -q 'lamtoolSecretKey\|lamtoolSessionToken' "$work/err"
grep -q 'region eu-west-1 from AWS_REGION' "$work/err"
