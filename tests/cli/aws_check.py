#!/usr/bin/python3
"""A client that is not lamtool's, for the tests/cli/aws-*.sh integration scripts:
botocore as bundled with Debian's awscli (its own SigV4 signer), in one process so a
check costs one Python start instead of one awscli start per call.

usage: aws_check.py s3-mkbucket BUCKET          create a bucket
       aws_check.py s3-head BUCKET KEY            JSON: ContentType, CacheControl, Metadata, ContentLength
       aws_check.py s3-get BUCKET KEY FILE [KEY FILE]...  each object's bytes to its FILE
       aws_check.py s3-uploads BUCKET             multipart uploads in progress (ListMultipartUploads),
                                                  one line each: KEY<TAB>UPLOADID
       aws_check.py s3-abort BUCKET KEY UPLOADID  AbortMultipartUpload
       aws_check.py s3-keys BUCKET                every object's key (ListObjectsV2), one a line
       aws_check.py kinesis-create STREAM [SHARDS] create, then poll until ACTIVE (bounded)
       aws_check.py kinesis-read STREAM FILE      every record of every shard from
                                                  TRIM_HORIZON, data one per line, in
                                                  sequence order within each shard
       aws_check.py kinesis-read-keys STREAM FILE the same, each line PARTITIONKEY<TAB>DATA
Endpoints from LAMTOOL_TEST_S3_ENDPOINT / LAMTOOL_TEST_KINESIS_ENDPOINT (override with
--endpoint URL); credentials and region from the AWS_* variables (tests/servers/env.sh).
"""
import json
import os
import sys
import time

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import awscli  # noqa: E402,F401  (makes its bundled botocore importable as "botocore")
import botocore.session  # noqa: E402
from botocore.config import Config  # noqa: E402


def client(service, endpoint):
    config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"})
    return botocore.session.get_session().create_client(service, endpoint_url=endpoint, config=config)


def s3_mkbucket(c, bucket):
    c.create_bucket(Bucket=bucket)


def s3_head(c, bucket, key):
    h = c.head_object(Bucket=bucket, Key=key)
    print(json.dumps({k: h.get(k) for k in ("ContentType", "CacheControl", "Metadata", "ContentLength")}))


def s3_get(c, bucket, *pairs):
    for key, path in zip(pairs[::2], pairs[1::2]):
        with open(path, "wb") as f:
            f.write(c.get_object(Bucket=bucket, Key=key)["Body"].read())


def s3_uploads(c, bucket):
    for u in c.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
        print(f"{u['Key']}\t{u['UploadId']}")


def s3_abort(c, bucket, key, upload_id):
    c.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)


def s3_keys(c, bucket):
    for o in c.list_objects_v2(Bucket=bucket).get("Contents", []):
        print(o["Key"])


def kinesis_create(c, stream, shards="1"):
    c.create_stream(StreamName=stream, ShardCount=int(shards))
    for _ in range(200):  # kinesalite's default createStreamMs is 500
        if c.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE":
            return
        time.sleep(0.05)
    sys.exit(f"stream {stream} not ACTIVE after 10 s")


def kinesis_read(c, stream, path, keys=False):
    lines = []
    shards = c.list_shards(StreamName=stream)["Shards"]
    for shard in shards:
        it = c.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            r = c.get_records(ShardIterator=it, Limit=10000)
            lines += [(rec["PartitionKey"] + "\t" if keys else "") + rec["Data"].decode("utf-8")
                      for rec in r["Records"]]
            if not r["Records"] and r.get("MillisBehindLatest", 0) == 0:
                break
            it = r.get("NextShardIterator")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)


def main():
    args = sys.argv[1:]
    endpoint = None
    if len(args) > 1 and args[0] == "--endpoint":
        endpoint, args = args[1], args[2:]
    op, rest = args[0], args[1:]
    if op.startswith("s3-"):
        c = client("s3", endpoint or os.environ["LAMTOOL_TEST_S3_ENDPOINT"])
        {"s3-mkbucket": s3_mkbucket, "s3-head": s3_head, "s3-get": s3_get,
         "s3-uploads": s3_uploads, "s3-keys": s3_keys, "s3-abort": s3_abort}[op](c, *rest)
    else:
        c = client("kinesis", endpoint or os.environ["LAMTOOL_TEST_KINESIS_ENDPOINT"])
        {"kinesis-create": kinesis_create, "kinesis-read": kinesis_read,
         "kinesis-read-keys": lambda c, s, p: kinesis_read(c, s, p, keys=True)}[op](c, *rest)


if __name__ == "__main__":
    main()
