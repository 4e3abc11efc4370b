#!/usr/bin/python3
"""Checks tests/servers/x-api.py: its base string and signature on published examples,
then a running server with requests signed by oauthlib (Debian's python3-oauthlib, an
OAuth 1.0a implementation independent of the server's) and sent by urllib.

Usage: x-api-check.py SERVER_PY PORT LOG_FILE, with the server's credentials in
X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (run by
x-api-server-test.sh). Exits 0 silently when every check passes; stops at the first
failure with "FAIL: ..." on stderr and exit 1.
"""

import hashlib
import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import zlib

from oauthlib.oauth1 import Client

UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401,
                "detail": "Unauthorized"}
DUPLICATE = {"detail": "You are not allowed to create a Tweet with duplicate content.",
             "type": "about:blank", "title": "Forbidden", "status": 403}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def load_server(path):
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    spec = importlib.util.spec_from_file_location("x_api", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_published_examples(x):
    # X's "Creating a signature" (developer.x.com, api.twitter.com), https base URI.
    oauth = [("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
             ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
             ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", "1318622958"),
             ("oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
             ("oauth_version", "1.0")]
    body = x.decode_form(
        "status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21")
    base = x.signature_base_string(
        "POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
        oauth + body)
    expect(base == "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&"
           "include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26"
           "oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26"
           "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26"
           "oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26"
           "oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen"
           "%252C%2520a%2520signed%2520OAuth%2520request%2521", f"X example base string: {base}")
    sig = x.hmac_sha1_signature(base, "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                                "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE")
    expect(sig == "hCtSmYh+iHYCEqBWrE7C7hYmtUk=", f"X example signature: {sig}")

    # RFC 5849 3.4.1.1: query and form body decoded as forms ('+' is a space, "c2" empty).
    oauth = [("oauth_consumer_key", "9djdj82h48djs9d2"), ("oauth_token", "kkk9d7dh3k39sjv7"),
             ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", "137131201"),
             ("oauth_nonce", "7d8f3e4a")]
    base = x.signature_base_string(
        "POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        oauth + x.decode_form("c2&a3=2+q"))
    expect(base == "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
           "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9dj"
           "dj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1"
           "%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
           f"RFC 5849 3.4.1.1 base string: {base}")

    # RFC 5849 1.2, the photos request: its Authorization header carries
    # oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D".
    oauth = [("oauth_consumer_key", "dpf43f3p2l4k3l03"), ("oauth_token", "nnch734d00sl2jdk"),
             ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", "137131202"),
             ("oauth_nonce", "chapoH")]
    base = x.signature_base_string(
        "GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", oauth)
    sig = x.hmac_sha1_signature(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")
    expect(sig == "MdpQcU8iPSUjWoN/UDMsK2sui9I=", f"RFC 5849 1.2 signature: {sig}")

    # The encoding itself: unreserved kept, the rest upper-case %XX of the UTF-8 bytes.
    expect(x.percent_encode("Az09-._~ +/%é") == "Az09-._~%20%2B%2F%25%C3%A9",
           "percent_encode")
    expect(x.base_string_uri("HTTP://Example.COM:80/r%20v/X?id=123") ==
           "http://example.com/r%20v/X", "base string URI with the default port")
    expect(x.base_string_uri("https://www.example.net:8080/?q=1") ==
           "https://www.example.net:8080/", "base string URI with another port")


# ---------------------------------------------------------------- test media

def make_png(width, height, noise=False):
    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc
    if noise:  # incompressible: the file is about 3 bytes a pixel
        rows = b"".join(b"\x00" + os.urandom(3 * width) for _ in range(height))
    else:
        rows = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def make_gif(frames, padding=0):
    """A 1x1 GIF89a with FRAMES frames (0.1 s each, looping), and a comment extension of
    PADDING bytes to make it as large as wanted."""
    out = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    if padding:
        out += b"\x21\xfe"
        while padding > 0:
            n = min(255, padding)
            out += bytes([n]) + b"x" * n
            padding -= n
        out += b"\x00"
    for _ in range(frames):
        out += b"\x21\xf9\x04\x00\x0a\x00\x00\x00"                     # graphic control
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return out + b"\x3b"


def multipart(fields):
    """fields: [(name, bytes, filename or None, content type or None)]."""
    boundary = "lamtool-check-" + uuid.uuid4().hex
    out = b""
    for name, data, filename, ctype in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if ctype:
            out += f"Content-Type: {ctype}\r\n".encode()
        out += b"\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------- a signing client

class Api:
    def __init__(self, port, key, secret, token, token_secret):
        self.base = f"http://127.0.0.1:{port}"
        self.creds = dict(client_key=key, client_secret=secret, resource_owner_key=token,
                          resource_owner_secret=token_secret)

    def prepare(self, method, path, body=None, content_type=None, sign_path=None, **creds):
        """A urllib request signed by oauthlib. The body is JSON or multipart, which
        RFC 5849 leaves out of the signature, so oauthlib signs without it. sign_path:
        sign this path, send PATH (a tampered request). creds: replaced credentials or
        a fixed timestamp."""
        client = Client(**{**self.creds, **creds})
        _, headers, _ = client.sign(self.base + (sign_path or path), http_method=method)
        if content_type:
            headers["Content-Type"] = content_type
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return urllib.request.Request(self.base + path, data=body, headers=headers,
                                      method=method)

    def send(self, request):
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                status, headers, data = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, data = e.code, e.headers, e.read()
        ctype = headers.get("Content-Type")
        expect(ctype == "application/json",
               f"{request.get_method()} {request.full_url}: Content-Type {ctype}")
        if request.full_url.startswith(self.base + "/2/"):
            for name in ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"):
                expect(re.fullmatch(r"\d+", headers.get(name) or ""),
                       f"{request.full_url}: no {name} header")
        return status, headers, json.loads(data)

    def call(self, method, path, body=None, content_type=None, **kw):
        return self.send(self.prepare(method, path, body, content_type, **kw))

    def control(self, name, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + "/__test/" + name, data=data,
                                     method="POST" if body is not None else "GET")
        return self.send(req)[2]

    def upload(self, data, category, media_type=None, **kw):
        fields = [("media", data, "file", "application/octet-stream"),
                  ("media_category", category.encode(), None, None)]
        if media_type:
            fields.append(("media_type", media_type.encode(), None, None))
        body, ctype = multipart(fields)
        return self.call("POST", "/2/media/upload", body, ctype, **kw)

    def chunked_gif(self, data, segments):
        status, _, r = self.call("POST", "/2/media/upload/initialize",
                                 {"media_type": "image/gif", "total_bytes": len(data),
                                  "media_category": "tweet_gif"})
        expect(status == 200, f"initialize: {status} {r}")
        media_id = r["data"]["id"]
        expect(re.fullmatch(r"\d{19}", media_id), f"media id {media_id}")
        expect(r["data"]["media_key"] == "16_" + media_id, f"GIF media_key {r}")
        size = -(-len(data) // segments)
        for i in range(segments):
            body, ctype = multipart([("segment_index", str(i).encode(), None, None),
                                     ("media", data[i * size:(i + 1) * size], "blob",
                                      "application/octet-stream")])
            status, _, r = self.call("POST", f"/2/media/upload/{media_id}/append", body, ctype)
            expect(status == 200 and isinstance(r["data"]["expires_at"], int),
                   f"append {i}: {status} {r}")
        return media_id, size


def curl_upload(api, data, extra):
    """POST /2/media/upload by the curl tool, signed by oauthlib: (status, JSON)."""
    url = api.base + "/2/media/upload"
    _, headers, _ = Client(**api.creds).sign(url, http_method="POST")
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(
            ["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", url,
             "-H", "Authorization: " + headers["Authorization"], *extra,
             "-F", f"media=@{f.name};type=image/png", "-F", "media_category=tweet_image"],
            check=True, capture_output=True, text=True, timeout=30).stdout
    body, _, status = out.rpartition("\n")
    return int(status), json.loads(body)


def main():
    server_py, port, log_path = sys.argv[1:4]
    x = load_server(server_py)
    check_published_examples(x)

    env = os.environ
    api = Api(port, env["X_CONSUMER_KEY"], env["X_CONSUMER_SECRET"], env["X_ACCESS_TOKEN"],
              env["X_ACCESS_TOKEN_SECRET"])

    # One-shot PNG: accepted, its bytes' sha256 in the state.
    png = make_png(3, 2)
    status, _, r = api.upload(png, "tweet_image", "image/png")
    expect(status == 200, f"PNG upload: {status} {r}")
    png_id = r["data"]["id"]
    expect(re.fullmatch(r"\d{19}", png_id) and r["data"]["media_key"] == "3_" + png_id,
           f"PNG ids: {r}")
    expect(r["data"]["size"] == len(png) and r["data"]["expires_after_secs"] == 86400
           and r["data"]["image"] == {"image_type": "image/png", "w": 3, "h": 2}, f"PNG reply {r}")
    state = api.control("state")
    expect(state["media"][png_id]["sha256"] == hashlib.sha256(png).hexdigest()
           and state["media"][png_id]["upload"] == "simple", f"PNG state {state['media']}")

    # The same through the curl tool (libcurl's multipart, as lamtool sends it): a 1.5 MB
    # PNG (libcurl asks "Expect: 100-continue"), once with a chunked request body.
    big = make_png(700, 700, noise=True)
    expect(1_000_000 < len(big) < 5_000_000, f"big PNG is {len(big)} bytes")
    for extra in ([], ["-H", "Transfer-Encoding: chunked"]):
        status, r = curl_upload(api, big, extra)
        expect(status == 200 and r["data"]["size"] == len(big)
               and r["data"]["image"] == {"image_type": "image/png", "w": 700, "h": 700},
               f"curl upload {extra}: {status} {r}")
        m = api.control("state")["media"][r["data"]["id"]]
        expect(m["sha256"] == hashlib.sha256(big).hexdigest(), f"curl upload {extra}: sha256")

    # Chunked animated GIF in 3 segments, a retried segment, then STATUS polls.
    gif = make_gif(2, padding=30000)
    gif_id, size = api.chunked_gif(gif, 3)
    body, ctype = multipart([("segment_index", b"2", None, None),
                             ("media", gif[2 * size:], "blob", None)])
    status, _, r = api.call("POST", f"/2/media/upload/{gif_id}/append", body, ctype)
    expect(status == 200, f"retried segment 2: {status} {r}")
    body, ctype = multipart([("segment_index", b"5", None, None), ("media", b"x", "blob", None)])
    status, _, r = api.call("POST", f"/2/media/upload/{gif_id}/append", body, ctype)
    expect(status == 400 and r["title"] == "Invalid Request", f"segment out of order: {status} {r}")
    status, _, r = api.call("POST", f"/2/media/upload/{gif_id}/finalize")
    expect(status == 200 and r["data"]["size"] == len(gif) and r["data"]["processing_info"]
           == {"state": "pending", "check_after_secs": 1}, f"finalize: {status} {r}")
    poll = f"/2/media/upload?command=STATUS&media_id={gif_id}"
    status, _, r = api.call("GET", poll)
    expect(status == 200 and r["data"]["processing_info"]["state"] == "in_progress",
           f"first STATUS: {status} {r}")
    status, _, r = api.call("GET", poll)
    expect(status == 200 and r["data"]["processing_info"]["state"] == "succeeded",
           f"second STATUS: {status} {r}")
    m = api.control("state")["media"][gif_id]
    expect(m["sha256"] == hashlib.sha256(gif).hexdigest() and m["segments"] == 3
           and m["upload"] == "chunked" and m["polls"] == 2, f"GIF state {m}")

    # Alt text, then a post with both.
    status, _, r = api.call("POST", "/2/media/metadata",
                            {"id": png_id, "metadata": {"alt_text": {"text": "A red 3×2 image"}}})
    expect(status == 200 and r == {"data": {"associated_metadata": True, "id": png_id}},
           f"alt text: {status} {r}")
    expect(api.control("state")["media"][png_id]["alt_text"] == "A red 3×2 image",
           "alt text state")
    text = "Two pictures ✓ & a GIF"
    status, _, r = api.call("POST", "/2/tweets",
                            {"text": text, "media": {"media_ids": [png_id, gif_id]}})
    expect(status == 201 and r["data"]["text"] == text
           and r["data"]["edit_history_tweet_ids"] == [r["data"]["id"]], f"tweet: {status} {r}")
    tweets = api.control("state")["tweets"]
    expect(tweets == [{"id": r["data"]["id"], "text": text, "media_ids": [png_id, gif_id]}],
           f"tweets state {tweets}")
    status, _, r = api.call("POST", "/2/tweets", {"text": text})
    expect(status == 403 and r == DUPLICATE, f"duplicate: {status} {r}")

    # Refused signatures: 401 with X's body.
    for what, creds in (("consumer secret", {"client_secret": "not-the-secret"}),
                        ("token secret", {"resource_owner_secret": "not-the-secret"}),
                        ("consumer key", {"client_key": "someone-else"}),
                        ("token", {"resource_owner_key": "someone-elses-token"}),
                        ("old timestamp", {"timestamp": str(int(time.time()) - 1000)})):
        status, _, r = api.call("POST", "/2/tweets", {"text": "refused " + what}, **creds)
        expect(status == 401 and r == UNAUTHORIZED, f"wrong {what}: {status} {r}")
    status, _, r = api.call("GET", poll.replace(gif_id, png_id), sign_path=poll)
    expect(status == 401 and r == UNAUTHORIZED, f"tampered query: {status} {r}")
    status, _, r = api.send(urllib.request.Request(api.base + poll))
    expect(status == 401 and r == UNAUTHORIZED, f"unsigned: {status} {r}")
    # The header's values must be encoded per RFC 5849 3.6: the signature (base64, so it
    # always ends in '=') sent raw or with lower-case hex is refused; a realm is ignored.
    for raw, what in (("=", "raw '='"), ("%3d", "lower-case hex")):
        req = api.prepare("GET", poll)
        auth = req.get_header("Authorization")
        expect(re.search(r'oauth_signature="[^"]*%3D"', auth), f"signature not %3D-ended: {auth}")
        req.add_header("Authorization", re.sub(r'%3D"', raw + '"', auth))
        status, _, r = api.send(req)
        expect(status == 401 and r == UNAUTHORIZED, f"signature with {what}: {status} {r}")
    status, _, r = api.call("GET", poll, realm="Photos")
    expect(status == 200, f"with a realm: {status} {r}")
    # Query parameters are decoded as a form: '+' is a space, %2B a plus, UTF-8, repeats.
    status, _, r = api.call("GET", poll + "&x=a+b%2Bc%20d&y=%E2%9C%93&z=&z=1&Z=~-._")
    expect(status == 200, f"unusual query parameters: {status} {r}")
    replay = api.prepare("GET", poll)
    expect(api.send(replay)[0] == 200, "request before its replay")
    status, _, r = api.send(replay)
    expect(status == 401 and r == UNAUTHORIZED, f"replayed nonce: {status} {r}")
    # A form body is part of the signature (RFC 5849 3.4.1.3.1): change it, 401.
    client = Client(**api.creds)
    _, headers, _ = client.sign(api.base + "/2/tweets", "POST", body="text=a+b",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    req = urllib.request.Request(api.base + "/2/tweets", data=b"text=a+b", headers=headers)
    status, _, r = api.send(req)  # signed right, refused as not JSON after the check
    expect(status == 400, f"signed form body: {status} {r}")
    _, headers, _ = client.sign(api.base + "/2/tweets", "POST", body="text=a+b",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    req = urllib.request.Request(api.base + "/2/tweets", data=b"text=a+c", headers=headers)
    status, _, r = api.send(req)
    expect(status == 401, f"tampered form body: {status}")

    # Rate limit control: 429 with its reset, and the same request (same nonce) then works.
    r = api.control("rate-limit", {"path": "/2/tweets", "count": 1, "reset_in": 2})
    expect(r == {"ok": True}, f"rate-limit control: {r}")
    limited = api.prepare("POST", "/2/tweets", {"text": "after a 429"})
    status, headers, r = api.send(limited)
    expect(status == 429 and r["status"] == 429 and headers["x-rate-limit-remaining"] == "0"
           and abs(int(headers["x-rate-limit-reset"]) - (time.time() + 2)) <= 2,
           f"429: {status} {dict(headers)} {r}")
    status, _, r = api.send(limited)
    expect(status == 201, f"after the 429: {status} {r}")

    # Injected failure: 503, then the same request works.
    api.control("fail", {"path": "/2/media/upload", "count": 1, "status": 503})
    fields, ctype = multipart([("media", png, "p.png", "image/png"),
                               ("media_category", b"tweet_image", None, None)])
    again = api.prepare("POST", "/2/media/upload", fields, ctype)
    status, _, r = api.send(again)
    expect(status == 503 and r == {"title": "Service Unavailable", "detail": "Service Unavailable",
                                   "type": "about:blank", "status": 503},
           f"injected 503: {status} {r}")
    status, _, r = api.send(again)
    expect(status == 200, f"retry after 503: {status} {r}")

    # Refused media and posts.
    status, _, r = api.upload(make_gif(1), "tweet_gif")
    expect(status == 400 and r["title"] == "Invalid Request", f"one-shot tweet_gif: {status} {r}")
    status, _, r = api.upload(make_gif(2), "tweet_image")
    expect(status == 400, f"one-shot animated GIF: {status} {r}")
    status, _, r = api.upload(b"not an image at all", "tweet_image")
    expect(status == 400, f"unknown bytes: {status} {r}")
    status, _, r = api.upload(png, "tweet_image", "image/jpeg")
    expect(status == 400, f"media_type not the bytes': {status} {r}")
    status, _, r = api.call("POST", "/2/tweets",
                            {"text": "five", "media": {"media_ids": [png_id] * 5}})
    expect(status == 400 and r["title"] == "Invalid Request", f"5 media ids: {status} {r}")
    status, _, r = api.call("POST", "/2/tweets", {"text": "unknown", "media": {"media_ids": ["1"]}})
    expect(status == 400, f"unknown media id: {status} {r}")
    status, _, r = api.call("POST", "/2/tweets", b"{not json", "application/json")
    expect(status == 400 and r["errors"][0]["message"], f"malformed JSON: {status} {r}")
    status, _, r = api.call("GET", "/2/users/me")
    expect(status == 404, f"unknown path: {status} {r}")
    status, _, r = api.call("DELETE", "/2/tweets")
    expect(status == 405, f"wrong method: {status} {r}")

    # A GIF whose processing fails, and one not yet processed used in a post.
    api.control("fail-processing", {"count": 1})
    bad_id, _ = api.chunked_gif(make_gif(3), 1)
    expect(api.call("POST", f"/2/media/upload/{bad_id}/finalize")[0] == 200, "finalize bad GIF")
    status, _, r = api.call("POST", "/2/tweets",
                            {"text": "too soon", "media": {"media_ids": [bad_id]}})
    expect(status == 400, f"pending media in a post: {status} {r}")
    poll = f"/2/media/upload?command=STATUS&media_id={bad_id}"
    api.call("GET", poll)
    status, _, r = api.call("GET", poll)
    expect(r["data"]["processing_info"] == {"state": "failed", "error": {
        "code": 1, "name": "InvalidMedia", "message": "Unsupported file"}},
        f"failed processing: {r}")

    # The log: one line per request with its reason, never a header.
    with open(log_path, encoding="utf-8") as f:
        log = f.read()
    for reason in ("ok", "bad-signature", "unknown-consumer", "unknown-token", "stale-timestamp",
                   "replayed-nonce", "rate-limited", "injected", "invalid", "duplicate", "no-auth",
                   "bad-header"):
        expect(re.search(rf"^[A-Z]+ /\S* \d{{3}} {reason}$", log, re.M), f"no {reason} in the log")
    expect(len(log.splitlines()) == len(api.control("state")["requests"]), "log and state differ")
    expect("oauth_" not in log and "OAuth" not in log, "the log shows OAuth parameters")

    expect(api.control("reset", {}) == {"ok": True} and api.control("state")["media"] == {},
           "reset")


if __name__ == "__main__":
    main()
