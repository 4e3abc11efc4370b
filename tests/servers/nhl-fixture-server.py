#!/usr/bin/python3
"""A stand-in for the NHL API (api-web.nhle.com) for lamtool's integration tests.

Serves GET /v1/gamecenter/{id}/play-by-play from a directory of files named
*_{id}_*.json (as in tests/fixtures/nhl/ and ../shared/data/shotmap/), like the real
service: a 10-digit id with a file -> 200 application/json; anything else -> 404 with a JSON
body; a method other than GET/HEAD -> 405. Optional faults: the first N requests get
503 (--fail-first N), or every request for one game does (--fail-game ID).

Binds 127.0.0.1 on a free port (or --port) and prints the port on stdout, one line,
then serves until killed; HTTPS with --tls-cert and --tls-key. --log FILE appends
"METHOD PATH STATUS" per request, so a test can tell how many requests reached the
server. Standard library only.
"""

import argparse
import glob
import http.server
import json
import os
import re
import ssl
import sys
import threading

PATH_RE = re.compile(r"^/v1/gamecenter/(\d{10})/play-by-play/?$")


class State:
    def __init__(self, args):
        self.dir = args.dir
        self.fail_first = args.fail_first
        self.fail_game = args.fail_game
        self.log = args.log
        self.lock = threading.Lock()
        self.count = 0

    def next_is_fault(self):
        with self.lock:
            self.count += 1
            return self.count <= self.fail_first

    def record(self, line):
        if not self.log:
            return
        with self.lock, open(self.log, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    def find(self, game_id):
        matches = sorted(glob.glob(os.path.join(glob.escape(self.dir), f"*_{game_id}_*.json")))
        return matches[0] if matches else None


def make_handler(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "nhl-fixture-server"

        def log_message(self, fmt, *args):  # quiet: tests read --log instead
            pass

        def reply(self, status, body, content_type="application/json"):
            data = body if isinstance(body, bytes) else body.encode("utf-8")
            # Recorded before the reply goes out: a client that has its answer may read
            # the log at once and must find the line there.
            state.record(f"{self.command} {self.path} {status}")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def error(self, status, message):
            self.reply(status, json.dumps({"message": message}))

        def do_GET(self):
            if state.next_is_fault():
                return self.error(503, "Service Unavailable (injected)")
            m = PATH_RE.match(self.path.split("?", 1)[0])
            if not m:
                return self.error(404, "Not Found")
            game_id = m.group(1)
            if state.fail_game == game_id:
                return self.error(503, "Service Unavailable (injected)")
            path = state.find(game_id)
            if path is None:
                return self.error(404, "Not Found")
            with open(path, "rb") as f:
                self.reply(200, f.read())

        do_HEAD = do_GET

        def refuse(self):
            state.record(f"{self.command} {self.path} 405")
            self.send_response(405)
            self.send_header("Allow", "GET, HEAD")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PUT = do_DELETE = do_PATCH = refuse

    return Handler


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", required=True, help="directory of *_{id}_*.json files")
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--fail-first", type=int, default=0, metavar="N",
                   help="answer the first N requests with 503")
    p.add_argument("--fail-game", metavar="ID", help="answer every request for ID with 503")
    p.add_argument("--log", metavar="FILE", help="append one line per request")
    p.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate chain")
    p.add_argument("--tls-key", metavar="PEM", help="the private key of --tls-cert")
    args = p.parse_args()
    if not os.path.isdir(args.dir):
        sys.exit(f"nhl-fixture-server: not a directory: {args.dir}")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(State(args)))
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
