#!/usr/bin/python3
"""Writes the Lambda events lamtool's runtime tests invoke, into DIR:

  predict-kinesis.json     a Kinesis batch of 4 bike records, the third not JSON
  predict-good.json        a Kinesis batch of 3 good records
  candles-dynamodb.json    a DynamoDB Streams batch in the original's shape: 2 items drawn,
                           one with a price "abc" (its sequence number must come back)
  alarm-scheduled.json     an EventBridge scheduled event (tests/fixtures/events)
  shotmap-direct.json      {"game_id": ...} as the original took it
  shotmap-get-v1.json      API Gateway REST GET /shotmap?game_id=...
  shotmap-get-v1-json.json the same with json=1
  shotmap-delete-v1.json   the same as DELETE
  shotmap-get-v2-svg.json  API Gateway HTTP API (v2) GET ...&format=svg
  shotmap-url-bad.json     a Function URL GET with game_id=12 (a bad id)
  gif-direct.json          {"frames": [...], "delay": 100, "to": DIR/loop.gif}
  worker-thumbnail.json    a please-create-thumbnail message for a local frame
  mediator-fetched.json    a did-fetch-image message
  not-json.json            bytes that are not JSON

make_lambda_events.py DIR SOURCE_DIR GAME_ID. Events are built from the AWS samples in
tests/fixtures/events/ where the shape is AWS's, so the tests see what Lambda sends.
"""
import base64, copy, json, os, sys

out, src, game = sys.argv[1], sys.argv[2], sys.argv[3]
fixtures = os.path.join(src, "tests", "fixtures", "events")
os.makedirs(out, exist_ok=True)


def save(name, obj):
    with open(os.path.join(out, name), "w") as f:
        json.dump(obj, f, indent=1)


def kinesis(payloads):
    sample = json.load(open(os.path.join(fixtures, "kinesis-event.json")))
    template = sample["Records"][0]
    records = []
    for i, p in enumerate(payloads):
        r = copy.deepcopy(template)
        seq = f"4956816737333333333333333333333333333333333333333333{i:04d}"
        r["kinesis"]["sequenceNumber"] = seq
        r["kinesis"]["data"] = base64.b64encode(p.encode()).decode()
        r["eventID"] = f"shardId-000000000000:{seq}"
        records.append(r)
    return {"Records": records}


def bike(i):
    return json.dumps({"features": {"t1": 10 + i, "t2": 9 + i, "hum": 60.5, "weather_code": 2},
                       "pred_id": i})


save("predict-kinesis.json", kinesis([bike(1), bike(2), "not json {", bike(4)]))
save("predict-good.json", kinesis([bike(1), bike(2), bike(3)]))

sample = json.load(open(os.path.join(fixtures, "dynamodb-event.json")))
template = sample["Records"][0]


def item(i, url, prices):
    r = copy.deepcopy(template)
    r["eventName"] = "INSERT"
    r["eventID"] = f"id{i}"
    r["dynamodb"]["SequenceNumber"] = f"20000000000000000000{i:03d}"
    r["dynamodb"]["Keys"] = {"URL": {"S": url}}
    r["dynamodb"]["NewImage"] = {"URL": {"S": url},
                                 "Prices": {"M": {d: {"N": p} for d, p in prices.items()}}}
    return r


days = [f"2024-01-{d:02d}" for d in range(2, 27)]
save("candles-dynamodb.json", {"Records": [
    item(1, "https://cards.example.com/c/Mox+Pearl/", {d: f"{100 + i * 1.5:.2f}" for i, d in enumerate(days)}),
    item(2, "https://cards.example.com/c/Bad+Price/", {"2024-01-02": "abc"}),
    item(3, "https://cards.example.com/c/Time+Walk/", {d: f"{80 - i:.2f}" for i, d in enumerate(days)})]})

save("alarm-scheduled.json", json.load(open(os.path.join(fixtures, "cloudwatch_scheduled_event.json"))))
save("shotmap-direct.json", {"game_id": game})

apigw = json.load(open(os.path.join(fixtures, "apigw-request.json")))


def v1(method, query):
    e = copy.deepcopy(apigw)
    e["httpMethod"] = method
    e["path"] = "/shotmap"
    e["resource"] = "/shotmap"
    e["body"] = None
    e["queryStringParameters"] = query
    e["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
    e["requestContext"]["httpMethod"] = method
    return e


def v2(query, function_url=False):
    host = "abcdefg.lambda-url.us-east-1.on.aws" if function_url else "r3pmxmplak.execute-api.us-east-1.amazonaws.com"
    return {"version": "2.0", "routeKey": "$default" if function_url else "GET /shotmap",
            "rawPath": "/shotmap", "rawQueryString": "&".join(f"{k}={v}" for k, v in query.items()),
            "headers": {"host": host, "user-agent": "curl/8.0"},
            "queryStringParameters": query,
            "requestContext": {"accountId": "123456789012", "domainName": host,
                               "http": {"method": "GET", "path": "/shotmap", "protocol": "HTTP/1.1",
                                        "sourceIp": "192.0.2.1", "userAgent": "curl/8.0"},
                               "requestId": "id", "stage": "$default", "time": "01/Dec/2026:05:00:00 +0000",
                               "timeEpoch": 1796101200000},
            "isBase64Encoded": False}


save("shotmap-get-v1.json", v1("GET", {"game_id": game}))
save("shotmap-get-v1-json.json", v1("GET", {"game_id": game, "json": "1"}))
save("shotmap-delete-v1.json", v1("DELETE", {"game_id": game}))
save("shotmap-get-v2-svg.json", v2({"game_id": game, "format": "svg", "size": "600x300"}))
save("shotmap-url-bad.json", v2({"game_id": "12"}, function_url=True))

frames = sorted(os.path.join(src, "data", "gif", "demo", f) for f in os.listdir(os.path.join(src, "data", "gif", "demo"))
                if f.endswith(".png"))
save("gif-direct.json", {"frames": frames[:6], "delay": 100, "to": os.path.join(out, "loop.gif")})
save("worker-thumbnail.json", {"type": "please-create-thumbnail", "imageId": "radar-00",
                               "validTime": "2026-12-01T05:00:00Z",
                               "location": {"Key": frames[0]}, "width": 64, "height": 64})
save("mediator-fetched.json", {"type": "did-fetch-image", "imageId": "radar-00",
                               "validTime": "2026-12-01T05:00:00Z",
                               "location": {"Key": frames[0]}})
with open(os.path.join(out, "not-json.json"), "w") as f:
    f.write("this is not JSON\n")
