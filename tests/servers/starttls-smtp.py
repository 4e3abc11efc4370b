#!/usr/bin/python3
"""A minimal SMTP server with STARTTLS for lamtool's certificate verification tests.

Listens on --bind ADDRESS (a free port, printed on stdout as one line) and serves one
connection after another until killed: greets 220, offers STARTTLS (and nothing else)
before TLS, then AUTH PLAIN LOGIN over TLS; takes any AUTH PLAIN whose user and password
are --user and --password (535 otherwise), MAIL, RCPT and DATA, and appends one line
per accepted message to --log: "accepted tls=1 user=USER bytes=N". A client that gives
up during the TLS handshake (an untrusted certificate) leaves "handshake-failed" there.
The certificate is --tls-cert / --tls-key. Standard library only; never logs a secret.
"""

import argparse
import base64
import socket
import ssl
import sys


def serve(conn, context, args, log):
    f = conn.makefile("rwb")

    def send(line):
        f.write(line.encode() + b"\r\n")
        f.flush()

    def read():
        return f.readline().decode("utf-8", "replace").rstrip("\r\n")

    send("220 starttls-smtp ready")
    tls = False
    user = None
    while True:
        line = read()
        if not line:
            return
        verb = line.split(" ", 1)[0].upper()
        if verb in ("EHLO", "HELO"):
            if tls:
                send("250-starttls-smtp")
                send("250 AUTH PLAIN LOGIN")
            else:
                send("250-starttls-smtp")
                send("250 STARTTLS")
        elif verb == "STARTTLS" and not tls:
            send("220 go ahead")
            f.close()
            try:
                conn = context.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                log("handshake-failed")
                return
            f = conn.makefile("rwb")
            tls = True
        elif verb == "AUTH" and tls:
            parts = line.split(" ")
            blob = parts[2] if len(parts) > 2 else None
            if blob is None:
                send("334 ")
                blob = read()
            try:
                _, u, p = base64.b64decode(blob).decode().split("\0")
            except ValueError:
                u = p = None
            if u == args.user and p == args.password:
                user = u
                send("235 accepted")
            else:
                send("535 authentication failed")
        elif verb in ("MAIL", "RCPT"):
            send("250 ok" if tls and user else "530 authenticate first")
        elif verb == "DATA":
            send("354 end with .")
            size = 0
            while True:
                data = read()
                if data == ".":
                    break
                size += len(data) + 2
            log(f"accepted tls=1 user={user} bytes={size}")
            send("250 queued")
        elif verb == "QUIT":
            send("221 bye")
            return
        elif verb == "NOOP" or verb == "RSET":
            send("250 ok")
        else:
            send("502 not implemented")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--tls-cert", required=True)
    p.add_argument("--tls-key", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--log", required=True)
    args = p.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.tls_cert, args.tls_key)

    def log(text):
        with open(args.log, "a", encoding="utf-8") as out:
            out.write(text + "\n")

    server = socket.create_server((args.bind, 0))
    print(server.getsockname()[1], flush=True)
    while True:
        conn, _ = server.accept()
        conn.settimeout(10)
        try:
            serve(conn, context, args, log)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
