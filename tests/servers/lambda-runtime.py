#!/usr/bin/python3
"""A Lambda Runtime API (2018-06-01) of the project's own, for tests of `lamtool lambda`.

The runtime (a custom-runtime `bootstrap`, or lamtool itself) is pointed at it with
AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT and asks for events as in AWS Lambda:

  GET  /2018-06-01/runtime/invocation/next          blocks until an event is queued, then
       200 with the event body (its exact bytes) and the headers Lambda-Runtime-Aws-Request-Id,
       Lambda-Runtime-Deadline-Ms (epoch ms, now + --timeout-ms),
       Lambda-Runtime-Invoked-Function-Arn and Lambda-Runtime-Trace-Id (a fresh
       Root=1-...;Parent=...;Sampled=1 each time); no Client-Context, no Cognito-Identity.
  POST /2018-06-01/runtime/invocation/ID/response   202 {"status":"OK"}; the body recorded.
  POST /2018-06-01/runtime/invocation/ID/error      202 {"status":"OK"}; the body and the
       Lambda-Runtime-Function-Error-Type header recorded; a body that is not a JSON object
       with string errorMessage and errorType is recorded as outcome `malformed-error`.
  POST /2018-06-01/runtime/init/error               202 {"status":"OK"}; recorded, and no
       event is handed out after it (the runtime is expected to exit).

Errors as AWS answers them (JSON {"errorMessage": ..., "errorType": ...}): a request id
never handed out 400 InvalidRequestID; a second answer for one id 400
InvalidStateTransition; a body over 6291556 bytes (6 MB + 100, AWS's limit) 413
RequestEntityTooLarge (the invocation stays pending); an unknown path 404, a wrong method
405. An answer after the deadline is accepted (202) but recorded as outcome `timeout`.

Events: --events FILE (a JSON array, each element delivered as its exact JSON text) or
--events DIR (every *.json file in name order, its bytes as they are, JSON or not),
--repeat N times (default 1). When the queue is empty /next waits for
POST /__test/enqueue (raw body, any bytes, queued as one event). With --exit-when-done,
once every event of --events has been handed out and answered, /next answers nothing
until the server is killed (as AWS freezes the runtime) and /__test/enqueue is refused
(409).

Unsigned test control:
  POST /__test/enqueue        queue the raw body as one event; 200 {"event_index": N}
  GET  /__test/results        {"invocations": [{"request_id", "event_index", "trace_id",
       "deadline_ms", "outcome" ("response" | "error" | "malformed-error" | "timeout" |
       "pending"), "body" (the answer's body as text, null while pending),
       "error_type_header", "latency_ms" (from /next handing it out to the answer)}],
       "init_error": null | {"body", "error_type_header", "error_type", "error_message"},
       "next_requests": N, "first_next_ms": epoch ms of the first /next or null,
       "queued": events not yet handed out}
  GET  /__test/wait?count=N&next=M&timeout=S   blocks until N invocations have an outcome
       other than pending and M /next requests came in (then 200 with the results), or S
       seconds (default 30) pass (504 with the results), so tests never sleep.

Binds 127.0.0.1 on a free port and prints the port on stdout, one line, then serves until
killed. --log FILE appends "METHOD PATH STATUS" per request, never a body. Standard
library only.
"""

import argparse
import collections
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
import uuid

import http.server

API = "/2018-06-01/runtime"
MAX_PAYLOAD = 6 * 1024 * 1024 + 100  # 6291556, as AWS (and its runtime emulator) allow
TOO_LARGE = f"Exceeded maximum allowed payload size ({MAX_PAYLOAD} bytes)."


def now_ms():
    return int(time.time() * 1000)


def trace_id():
    return (f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)};"
            f"Parent={secrets.token_hex(8)};Sampled=1")


def split_json_array(text, source):
    """The exact text of each element of the JSON array TEXT, in order."""
    dec = json.JSONDecoder()
    ws = " \t\r\n"
    i = 0
    while i < len(text) and text[i] in ws:
        i += 1
    if i >= len(text) or text[i] != "[":
        raise ValueError(f"{source}: not a JSON array")
    i += 1
    items = []
    while True:
        while i < len(text) and text[i] in ws:
            i += 1
        if i < len(text) and text[i] == "]" and not items:
            i += 1
            break
        try:
            _, end = dec.raw_decode(text, i)
        except json.JSONDecodeError as e:
            raise ValueError(f"{source}: {e}") from None
        items.append(text[i:end])
        i = end
        while i < len(text) and text[i] in ws:
            i += 1
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        if i < len(text) and text[i] == "]":
            i += 1
            break
        raise ValueError(f"{source}: expected ',' or ']' at offset {i}")
    if text[i:].strip(ws):
        raise ValueError(f"{source}: text after the array")
    return [s.encode("utf-8") for s in items]


def load_events(path):
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.endswith(".json"))
        events = []
        for n in names:
            with open(os.path.join(path, n), "rb") as f:
                events.append(f.read())
        return events
    with open(path, encoding="utf-8") as f:
        return split_json_array(f.read(), path)


class State:
    def __init__(self, args, events):
        self.args = args
        self.cond = threading.Condition()
        self.queue = collections.deque()
        self.next_index = 0
        for _ in range(args.repeat):
            for e in events:
                self.queue.append((self.next_index, e))
                self.next_index += 1
        self.file_events = self.next_index
        self.invocations = []  # records, in the order handed out
        self.by_id = {}
        self.init_error = None
        self.next_requests = 0
        self.first_next_ms = None
        self.log_lock = threading.Lock()

    # All below with self.cond held.
    def answered(self):
        return sum(1 for r in self.invocations if r["outcome"] != "pending")

    def finished(self):
        """--exit-when-done and every event of --events handed out and answered."""
        return (self.args.exit_when_done and not self.queue
                and all(r["outcome"] != "pending" for r in self.invocations))

    def results(self):
        out = []
        for r in self.invocations:
            body = r["body"]
            out.append({
                "request_id": r["request_id"],
                "event_index": r["event_index"],
                "trace_id": r["trace_id"],
                "deadline_ms": r["deadline_ms"],
                "outcome": r["outcome"],
                "body": None if body is None else body.decode("utf-8", errors="replace"),
                "error_type_header": r["error_type_header"],
                "latency_ms": r["latency_ms"],
            })
        return {
            "invocations": out,
            "init_error": self.init_error,
            "next_requests": self.next_requests,
            "first_next_ms": self.first_next_ms,
            "queued": len(self.queue),
        }


def make_handler(state):
    args = state.args

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "lamtool-lambda-runtime"
        disable_nagle_algorithm = True

        def log_message(self, fmt, *a):
            pass

        def log(self, status):
            if args.log:
                with state.log_lock, open(args.log, "a", encoding="utf-8") as f:
                    f.write(f"{self.command} {self.path} {status}\n")

        def reply(self, status, data, content_type="application/json", headers=()):
            if isinstance(data, (dict, list)):
                data = json.dumps(data).encode("utf-8")
            self.log(status)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def error(self, status, error_type, message):
            self.reply(status, {"errorMessage": message, "errorType": error_type})

        def read_body(self, limit=None):
            """The request body (Content-Length or chunked); None when over LIMIT (the
            bytes are still read, so the connection stays usable)."""
            over = False
            chunks = []
            size = 0
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                while True:
                    line = self.rfile.readline(65537)
                    n = int(line.split(b";", 1)[0].strip() or b"0", 16)
                    if n == 0:
                        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                            pass
                        break
                    data = self.rfile.read(n)
                    self.rfile.readline(65537)
                    size += len(data)
                    if limit is not None and size > limit:
                        over = True
                    elif not over:
                        chunks.append(data)
            else:
                remaining = int(self.headers.get("Content-Length") or 0)
                if limit is not None and remaining > limit:
                    over = True
                while remaining > 0:
                    data = self.rfile.read(min(remaining, 1 << 20))
                    if not data:
                        break
                    remaining -= len(data)
                    if not over:
                        chunks.append(data)
            return None if over else b"".join(chunks)

        # --- GET ---------------------------------------------------------------------
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == API + "/invocation/next":
                return self.next_invocation()
            if url.path == "/__test/results":
                with state.cond:
                    return self.reply(200, state.results())
            if url.path == "/__test/wait":
                q = urllib.parse.parse_qs(url.query)
                count = int(q.get("count", ["0"])[0])
                nexts = int(q.get("next", ["0"])[0])
                timeout = float(q.get("timeout", ["30"])[0])
                with state.cond:
                    ok = state.cond.wait_for(lambda: state.answered() >= count
                                             and state.next_requests >= nexts, timeout)
                    return self.reply(200 if ok else 504, state.results())
            if self.is_known_path(url.path):
                return self.error(405, "MethodNotAllowed", "Method not allowed")
            return self.error(404, "NotFound", "Not found")

        def next_invocation(self):
            with state.cond:
                state.next_requests += 1
                if state.first_next_ms is None:
                    state.first_next_ms = now_ms()
                state.cond.notify_all()
                # After an init error, or when the run is over (enqueue refused): never
                # answer, as AWS freezes the runtime.
                state.cond.wait_for(lambda: state.queue and state.init_error is None)
                index, event = state.queue.popleft()
                handed = time.monotonic()
                record = {
                    "request_id": str(uuid.uuid4()),
                    "event_index": index,
                    "trace_id": trace_id(),
                    "deadline_ms": now_ms() + args.timeout_ms,
                    "outcome": "pending",
                    "body": None,
                    "error_type_header": None,
                    "latency_ms": None,
                    "handed": handed,
                }
                state.invocations.append(record)
                state.by_id[record["request_id"]] = record
            self.reply(200, event, headers=[
                ("Lambda-Runtime-Aws-Request-Id", record["request_id"]),
                ("Lambda-Runtime-Deadline-Ms", str(record["deadline_ms"])),
                ("Lambda-Runtime-Invoked-Function-Arn", args.function_arn),
                ("Lambda-Runtime-Trace-Id", record["trace_id"]),
            ])

        # --- POST --------------------------------------------------------------------
        def do_POST(self):
            path = urllib.parse.urlsplit(self.path).path
            if path == "/__test/enqueue":
                body = self.read_body()
                with state.cond:
                    if state.args.exit_when_done and state.file_events and state.finished():
                        return self.error(409, "RunOver",
                                          "every event was answered (--exit-when-done)")
                    index = state.next_index
                    state.next_index += 1
                    state.queue.append((index, body))
                    state.cond.notify_all()
                return self.reply(200, {"event_index": index})
            if path == API + "/init/error":
                body = self.read_body(MAX_PAYLOAD)
                if body is None:
                    return self.error(413, "RequestEntityTooLarge", TOO_LARGE)
                parsed = parse_error(body)
                with state.cond:
                    state.init_error = {
                        "body": body.decode("utf-8", errors="replace"),
                        "error_type_header": self.headers.get("Lambda-Runtime-Function-Error-Type"),
                        "error_type": parsed["errorType"] if parsed else None,
                        "error_message": parsed["errorMessage"] if parsed else None,
                    }
                    state.cond.notify_all()
                return self.reply(202, {"status": "OK"})
            parts = path.split("/")
            # ['', '2018-06-01', 'runtime', 'invocation', ID, 'response'|'error']
            if (len(parts) == 6 and "/".join(parts[:4]) == API + "/invocation"
                    and parts[5] in ("response", "error")):
                return self.answer(parts[4], parts[5])
            if path == API + "/invocation/next":
                return self.error(405, "MethodNotAllowed", "Method not allowed")
            return self.error(404, "NotFound", "Not found")

        def answer(self, request_id, kind):
            body = self.read_body(MAX_PAYLOAD)
            with state.cond:
                record = state.by_id.get(request_id)
                if record is None:
                    return self.error(400, "InvalidRequestID", "Invalid request ID")
                if record["outcome"] != "pending":
                    return self.error(400, "InvalidStateTransition",
                                      f"Invalid state transition: invocation {request_id} "
                                      f"already has an outcome ({record['outcome']})")
                if body is None:
                    return self.error(413, "RequestEntityTooLarge", TOO_LARGE)
                late = now_ms() > record["deadline_ms"]
                if late:
                    outcome = "timeout"
                elif kind == "response":
                    outcome = "response"
                else:
                    outcome = "error" if parse_error(body) else "malformed-error"
                record["outcome"] = outcome
                record["body"] = body
                if kind == "error":
                    record["error_type_header"] = self.headers.get(
                        "Lambda-Runtime-Function-Error-Type")
                record["latency_ms"] = round((time.monotonic() - record["handed"]) * 1000, 3)
                state.cond.notify_all()
            self.reply(202, {"status": "OK"})

        def is_known_path(self, path):
            return path.startswith(API + "/") or path.startswith("/__test/")

        def refuse(self):
            self.read_body()
            self.error(405, "MethodNotAllowed", "Method not allowed")

        do_PUT = do_DELETE = do_PATCH = do_HEAD = refuse

    return Handler


def parse_error(body):
    """The error document if BODY is a JSON object with string errorMessage and errorType."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if (isinstance(doc, dict) and isinstance(doc.get("errorMessage"), str)
            and isinstance(doc.get("errorType"), str)):
        return doc
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", metavar="FILE|DIR",
                   help="a JSON array of events, or a directory of *.json events")
    p.add_argument("--repeat", type=int, default=1, metavar="N")
    p.add_argument("--timeout-ms", type=int, default=3000, metavar="MS")
    p.add_argument("--function-arn",
                   default="arn:aws:lambda:us-east-1:123456789012:function:lamtool")
    p.add_argument("--exit-when-done", action="store_true")
    p.add_argument("--log", metavar="FILE")
    args = p.parse_args()
    events = []
    if args.events:
        try:
            events = load_events(args.events)
        except (OSError, ValueError) as e:
            sys.exit(f"lambda-runtime: {e}")
    state = State(args, events)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
