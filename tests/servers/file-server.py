#!/usr/bin/python3
"""A plain HTTP file server for lamtool's tests of URL inputs (weather-map frames).

Serves GET/HEAD /NAME from --dir (no subdirectories, no listing): 200 with a
Content-Type by extension, 404 for a missing name, 405 for other methods. Faults: the
first N requests get 503 (--fail-first N), every request for one name does (--fail NAME),
and a name can be answered late (--slow NAME:SECONDS, to show that a slow transfer does
not change the order of a parallel fetch's results).

Binds 127.0.0.1 (or --bind ADDRESS) on a free port and prints the port on stdout, one
line, then serves until killed. --tls-cert PEM --tls-key PEM serve HTTPS instead (for the
certificate verification tests). --log FILE appends "METHOD PATH STATUS" per request. Standard library only.
"""

import argparse
import http.server
import mimetypes
import os
import ssl
import sys
import threading
import time


def make_handler(args):
    lock = threading.Lock()
    count = [0]
    slow = dict((n, float(s)) for n, s in (x.rsplit(":", 1) for x in args.slow))

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "lamtool-file-server"

        def log_message(self, fmt, *a):
            pass

        def reply(self, status, data, content_type="text/plain"):
            if args.log:
                with lock, open(args.log, "a", encoding="utf-8") as f:
                    f.write(f"{self.command} {self.path} {status}\n")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def do_GET(self):
            name = self.path.split("?", 1)[0].lstrip("/")
            with lock:
                count[0] += 1
                fault = count[0] <= args.fail_first
            if fault or name in args.fail:
                return self.reply(503, b"Service Unavailable (injected)\n")
            path = os.path.join(args.dir, name)
            if "/" in name or not name or not os.path.isfile(path):
                return self.reply(404, b"Not Found\n")
            if name in slow:
                time.sleep(slow[name])
            with open(path, "rb") as f:
                data = f.read()
            self.reply(200, data, mimetypes.guess_type(name)[0] or "application/octet-stream")

        do_HEAD = do_GET

        def refuse(self):
            self.reply(405, b"Method Not Allowed\n")

        do_POST = do_PUT = do_DELETE = do_PATCH = refuse

    return Handler


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", required=True)
    p.add_argument("--fail-first", type=int, default=0, metavar="N")
    p.add_argument("--fail", action="append", default=[], metavar="NAME")
    p.add_argument("--slow", action="append", default=[], metavar="NAME:SECONDS")
    p.add_argument("--log", metavar="FILE")
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS")
    p.add_argument("--tls-cert", metavar="PEM")
    p.add_argument("--tls-key", metavar="PEM")
    args = p.parse_args()
    if not os.path.isdir(args.dir):
        sys.exit(f"file-server: not a directory: {args.dir}")
    server = http.server.ThreadingHTTPServer((args.bind, 0), make_handler(args))
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
