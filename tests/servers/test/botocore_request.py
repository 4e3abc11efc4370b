#!/usr/bin/python3
"""Sends one request signed by botocore (the copy inside Debian's awscli, a SigV4
implementation independent of ours and of the proxy's) and prints the status line and
body. Options bend the request the way a broken client would, to check the proxies'
answers: a skewed clock, a body other than the signed one, an unsigned x-amz header.

usage: botocore_request.py METHOD URL SERVICE [--header 'Name: value']... [--data TEXT]
       [--send-data TEXT] [--skew-seconds N] [--unsigned-header 'x-amz-meta-a: b']
       [--session-token T] [--unsigned-payload] [--presign EXPIRES]
Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, region from AWS_DEFAULT_REGION.
"""
import argparse
import datetime
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import awscli  # noqa: E402,F401  (makes its bundled botocore importable as "botocore")
from botocore import auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402


def skewed_datetime(seconds):
    real = datetime.datetime

    class Skewed(real):
        @classmethod
        def utcnow(cls):
            return real.utcnow() + datetime.timedelta(seconds=seconds)

    return Skewed


def main():
    p = argparse.ArgumentParser()
    p.add_argument("method")
    p.add_argument("url")
    p.add_argument("service")
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--data", default="")
    p.add_argument("--send-data")
    p.add_argument("--skew-seconds", type=int, default=0)
    p.add_argument("--unsigned-header", action="append", default=[])
    p.add_argument("--session-token")
    p.add_argument("--unsigned-payload", action="store_true",
                   help="S3: sign with x-amz-content-sha256: UNSIGNED-PAYLOAD")
    p.add_argument("--presign", type=int, metavar="EXPIRES",
                   help="print a presigned URL (S3 query signing) instead of sending")
    a = p.parse_args()

    headers = dict(h.split(": ", 1) for h in a.header)
    request = AWSRequest(method=a.method, url=a.url, data=a.data.encode(), headers=headers)
    creds = Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], a.session_token)
    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    if a.presign:
        signer = auth.S3SigV4QueryAuth(creds, a.service, region, expires=a.presign)
    elif a.service == "s3" and a.unsigned_payload:
        class Unsigned(auth.S3SigV4Auth):
            def _should_sha256_sign_payload(self, request):
                return False
        signer = Unsigned(creds, a.service, region)
    elif a.service == "s3":
        signer = auth.S3SigV4Auth(creds, a.service, region)
    else:
        signer = auth.SigV4Auth(creds, a.service, region)
    if a.skew_seconds:
        auth.datetime.datetime = skewed_datetime(a.skew_seconds)
    signer.add_auth(request)
    if a.presign:
        print(request.url)
        return

    sent = dict(request.headers.items())
    for h in a.unsigned_header:
        name, value = h.split(": ", 1)
        sent[name] = value
    body = (a.send_data if a.send_data is not None else a.data).encode()
    req = urllib.request.Request(a.url, data=body if a.method not in ("GET", "HEAD") else None,
                                 headers=sent, method=a.method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text = r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode("utf-8", "replace")
    print(status)
    print(text)


if __name__ == "__main__":
    main()
