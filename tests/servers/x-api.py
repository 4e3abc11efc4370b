#!/usr/bin/python3
"""A stand-in for the X (Twitter) API v2 for lamtool's tests: OAuth 1.0a checked, media
upload (one-shot and chunked), alt text and posts, all in memory.

Every request under /2/ must carry an OAuth 1.0a (RFC 5849) Authorization header signed
with HMAC-SHA1 by the one consumer and access token given on the command line. The checks
run in this order, the first failure answering 401 with X's body: the protocol parameters
are all there (HMAC-SHA1, version 1.0 if given); consumer key and token are the known
ones; the timestamp is within --max-skew seconds; the nonce was not used before with the
same timestamp; the signature is right (base string per RFC 5849 3.4.1, computed here
independently: `signature_base_string`, `hmac_sha1_signature`). Then:

  POST /2/media/upload                  multipart: media, media_category, [media_type];
                                        still images up to 5,000,000 bytes (PNG, JPEG,
                                        GIF, WebP sniffed from the bytes); a GIF with
                                        tweet_gif or with several frames must go chunked
  POST /2/media/upload/initialize       JSON {media_type, total_bytes, media_category}
  POST /2/media/upload/{id}/append      multipart: segment_index 0..999 in order (a
                                        repeated index replaces it), media <= 5 MiB
  POST /2/media/upload/{id}/finalize    total and type checked; tweet_gif -> pending
  GET  /2/media/upload?command=STATUS&media_id={id}
                                        in_progress for --processing-polls polls, then
                                        succeeded (or failed, see /__test/fail-processing)
  POST /2/media/metadata                JSON {id, metadata: {alt_text: {text}}}
  POST /2/tweets                        JSON {text, media: {media_ids: [<= 4]}}; the same
                                        text twice -> 403 as X answers it

Every /2/ answer is JSON with x-rate-limit-limit/-remaining/-reset headers. Test control,
unsigned, under /__test/: GET state (media, tweets, requests), POST rate-limit
{path, count, reset_in} (429 after the signature check), POST fail {path, count, status}
(that status after the signature check), POST fail-processing {count}, POST reset. A
request answered 429 or an injected failure does not use up its nonce.

Binds 127.0.0.1 on a free port (or --port) and prints the port on stdout, one line, then
serves until killed. --log FILE appends "METHOD PATH STATUS REASON" per request (the path
without its query; never a header, a signature or a secret). REASON is ok, or why not:
no-auth, bad-header (not encoded per RFC 5849 3.6, or not oauth_* parameters), missing-param,
bad-method, bad-version, unknown-consumer, unknown-token, stale-timestamp, replayed-nonce,
bad-signature, rate-limited, injected, invalid, duplicate, not-found, not-allowed.
Standard library only.
"""

import argparse
import base64
import hashlib
import hmac
import http
import http.server
import json
import re
import sys
import threading
import time
import traceback
import urllib.parse

IMAGE_LIMIT = 5_000_000          # one-shot upload and chunked still images
GIF_LIMIT = 15_000_000           # chunked tweet_gif
SEGMENT_LIMIT = 5 * 1024 * 1024  # one append
MAX_SEGMENTS = 1000              # segment_index 0..999
MAX_BODY = 32 * 1024 * 1024      # what the server reads at all (413 above)
EXPIRES = 86400
FIRST_MEDIA_ID = 1880028106020515840
FIRST_TWEET_ID = 1880100000000000000
RATE_LIMIT = 500                 # per route and 15-minute window
RATE_WINDOW = 900
CATEGORIES = ("tweet_image", "tweet_gif")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")

UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401,
                "detail": "Unauthorized"}
DUPLICATE = {"detail": "You are not allowed to create a Tweet with duplicate content.",
             "type": "about:blank", "title": "Forbidden", "status": 403}
TOO_MANY = {"title": "Too Many Requests", "detail": "Too Many Requests",
            "type": "about:blank", "status": 429}


# ---------------------------------------------------------------- OAuth 1.0a (RFC 5849)

# RFC 5849 3.6: unreserved characters (RFC 3986 2.3) stay, every other byte of the UTF-8
# encoding becomes %XX with upper-case hex digits.
UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def percent_encode(value):
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return "".join(chr(b) if b in UNRESERVED else "%%%02X" % b for b in data)


def decode_form(text):
    """application/x-www-form-urlencoded pairs as bytes (RFC 5849 3.4.1.3.1 reads the query
    and form bodies this way: '+' is a space, %XX a byte; "c2" alone is ("c2", ""))."""
    if isinstance(text, str):
        text = text.encode("utf-8")
    pairs = []
    for piece in text.split(b"&"):
        if not piece:
            continue
        name, _, value = piece.partition(b"=")
        pairs.append((urllib.parse.unquote_to_bytes(name.replace(b"+", b" ")),
                      urllib.parse.unquote_to_bytes(value.replace(b"+", b" "))))
    return pairs


def base_string_uri(url):
    """RFC 5849 3.4.1.2: lower-case scheme and host, the default port dropped, the path
    as sent, no query or fragment."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{parts.path or '/'}"


def normalize_parameters(params):
    """RFC 5849 3.4.1.3.2: encode each name and value, sort by name then value (byte
    order of the encoded strings), join name=value with '&'."""
    encoded = sorted((percent_encode(n), percent_encode(v)) for n, v in params)
    return "&".join(f"{n}={v}" for n, v in encoded)


def signature_base_string(method, url, params):
    """RFC 5849 3.4.1.1. url may carry a query: its parameters are added to params (the
    form-body parameters and the oauth_* header parameters without oauth_signature)."""
    query = urllib.parse.urlsplit(url).query
    all_params = decode_form(query) + list(params)
    return "&".join((method.upper(), percent_encode(base_string_uri(url)),
                     percent_encode(normalize_parameters(all_params))))


def hmac_sha1_signature(base, consumer_secret, token_secret):
    """RFC 5849 3.4.2: key enc(consumer secret) & enc(token secret), base64 digest."""
    key = percent_encode(consumer_secret) + "&" + percent_encode(token_secret)
    digest = hmac.new(key.encode("ascii"), base.encode("ascii"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


AUTH_PARAM_RE = re.compile(r'\s*([^\s=,]+)\s*=\s*"([^"]*)"\s*')
# RFC 5849 3.6: an encoded value is unreserved characters and %XX with upper-case hex.
ENCODED_RE = re.compile(r"(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*")


def parse_authorization(header):
    """RFC 5849 3.5.1: 'OAuth ' then comma-separated name="value" pairs, values
    percent-encoded (3.6). Returns a dict without realm, or None when malformed: another
    scheme, a value not so encoded, a parameter that is not oauth_*, one given twice."""
    scheme, _, rest = (header or "").strip().partition(" ")
    if scheme.lower() != "oauth":
        return None
    params = {}
    for item in rest.split(","):
        if not item.strip():
            continue
        m = AUTH_PARAM_RE.fullmatch(item)
        if not m:
            return None
        name, value = m.groups()
        if name == "realm":  # RFC 5849 3.5.1: optional, not part of the signature
            continue
        if not name.startswith("oauth_") or name in params or not ENCODED_RE.fullmatch(value):
            return None
        try:
            params[name] = urllib.parse.unquote_to_bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return params


REQUIRED_OAUTH = ("oauth_consumer_key", "oauth_token", "oauth_signature_method",
                  "oauth_timestamp", "oauth_nonce", "oauth_signature")


# ---------------------------------------------------------------- media helpers

def sniff_image(data):
    """The media type from the magic bytes, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def image_size(kind, data):
    """(width, height) from PNG IHDR, GIF logical screen, JPEG SOFn or WebP; (0, 0) when
    unknown."""
    try:
        if kind == "image/png" and data[12:16] == b"IHDR":
            return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if kind == "image/gif":
            return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
        if kind == "image/jpeg":
            i = 2
            while i + 9 < len(data):
                if data[i] != 0xFF:
                    return 0, 0
                marker = data[i + 1]
                if marker == 0xFF:  # fill byte
                    i += 1
                    continue
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                    i += 2
                    continue
                length = int.from_bytes(data[i + 2:i + 4], "big")
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    return (int.from_bytes(data[i + 7:i + 9], "big"),
                            int.from_bytes(data[i + 5:i + 7], "big"))
                i += 2 + length
        if kind == "image/webp":
            chunk = data[12:16]
            if chunk == b"VP8X":
                return (1 + int.from_bytes(data[24:27], "little"),
                        1 + int.from_bytes(data[27:30], "little"))
            if chunk == b"VP8L" and data[20] == 0x2F:
                b = data[21:25]
                return (1 + (b[0] | (b[1] & 0x3F) << 8),
                        1 + (b[1] >> 6 | b[2] << 2 | (b[3] & 0x0F) << 10))
            if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
                return (int.from_bytes(data[26:28], "little") & 0x3FFF,
                        int.from_bytes(data[28:30], "little") & 0x3FFF)
    except IndexError:
        pass
    return 0, 0


def gif_frame_count(data):
    """Image descriptors in a GIF, walking its blocks (stops at the first oddity)."""
    def skip_sub_blocks(i):
        while i < len(data) and data[i]:
            i += 1 + data[i]
        return i + 1
    if len(data) < 13:
        return 0
    i = 13
    if data[10] & 0x80:  # global colour table
        i += 3 * (2 << (data[10] & 7))
    frames = 0
    while i < len(data):
        block = data[i]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, sub-blocks
            i = skip_sub_blocks(i + 2)
        elif block == 0x2C:  # image descriptor, local colour table, LZW size, sub-blocks
            frames += 1
            if i + 10 > len(data):
                break
            flags = data[i + 9]
            i += 10
            if flags & 0x80:
                i += 3 * (2 << (flags & 7))
            i = skip_sub_blocks(i + 1)
        else:
            break
    return frames


def header_params(value):
    """'type; a=b; c="d"' -> ('type', {'a': 'b', 'c': 'd'}), names lower-cased."""
    head, _, rest = (value or "").partition(";")
    params = {}
    for m in re.finditer(r';?\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)', ";" + rest):
        v = m.group(2).strip()
        if v.startswith('"'):
            v = re.sub(r"\\(.)", r"\1", v[1:-1])
        params[m.group(1).lower()] = v
    return head.strip().lower(), params


def parse_multipart(content_type, body):
    """multipart/form-data (RFC 7578) -> {name: (filename, content_type, bytes)}."""
    kind, params = header_params(content_type)
    boundary = params.get("boundary")
    if kind != "multipart/form-data" or not boundary:
        raise Invalid("Content-Type must be multipart/form-data with a boundary")
    delimiter = b"\r\n--" + boundary.encode("latin-1")
    pieces = (b"\r\n" + body).split(delimiter)
    if len(pieces) < 3 or not pieces[-1].startswith(b"--"):
        raise Invalid("malformed multipart body")
    fields = {}
    for piece in pieces[1:-1]:
        line_end = piece.find(b"\r\n")  # rest of the delimiter line (transport padding)
        head, sep, data = piece[line_end + 2:].partition(b"\r\n\r\n")
        if line_end < 0 or not sep:
            raise Invalid("malformed multipart part")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition, dparams = header_params(headers.get("content-disposition"))
        if disposition != "form-data" or "name" not in dparams:
            raise Invalid("multipart part without Content-Disposition: form-data; name")
        fields[dparams["name"]] = (dparams.get("filename"), headers.get("content-type"), data)
    return fields


# ---------------------------------------------------------------- the API state

class Invalid(Exception):
    """A request the API refuses: 400 with the v2 problem body unless status says else."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def problem(message, status=400):
    if status == 400:
        return {"errors": [{"message": message}], "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request"}
    phrase = http.HTTPStatus(status).phrase
    return {"errors": [{"message": message}], "title": phrase, "detail": message,
            "type": "about:blank", "status": status}


class Reply:
    def __init__(self, status, body, reason, headers=None):
        self.status, self.body, self.reason = status, body, reason
        self.headers = headers or {}


ROUTES = [  # (path pattern, {method: handler name}); the pattern is the rate-limit key
    (re.compile(r"/2/media/upload"), {"POST": "upload_simple", "GET": "upload_status"}),
    (re.compile(r"/2/media/upload/initialize"), {"POST": "upload_initialize"}),
    (re.compile(r"/2/media/upload/(\d+)/append"), {"POST": "upload_append"}),
    (re.compile(r"/2/media/upload/(\d+)/finalize"), {"POST": "upload_finalize"}),
    (re.compile(r"/2/media/metadata"), {"POST": "media_metadata"}),
    (re.compile(r"/2/tweets"), {"POST": "create_tweet"}),
]


class XApi:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.media = {}           # id -> dict
        self.tweets = []          # {"id", "text", "media_ids"}
        self.requests = []        # {"method", "path", "status", "reason"}
        self.nonces = set()       # (timestamp, nonce) of accepted requests
        self.rate_rules = []      # {"path", "count", "reset_in"}
        self.fail_rules = []      # {"path", "count", "status"}
        self.fail_processing = 0
        self.windows = {}         # route -> (window start, used)
        self.next_media = FIRST_MEDIA_ID
        self.next_tweet = FIRST_TWEET_ID

    # -- OAuth: (reason word of the first failure or None, (timestamp, nonce)); the caller
    # remembers the nonce only once the request is really served.
    def authenticate(self, method, host, raw_path, headers, body):
        a = self.args
        if headers.get("Authorization") is None:
            return "no-auth", None
        oauth = parse_authorization(headers.get("Authorization"))
        if oauth is None:
            return "bad-header", None
        if any(k not in oauth for k in REQUIRED_OAUTH):
            return "missing-param", None
        if oauth["oauth_signature_method"] != "HMAC-SHA1":
            return "bad-method", None
        if oauth.get("oauth_version", "1.0") != "1.0":
            return "bad-version", None
        if not hmac.compare_digest(oauth["oauth_consumer_key"].encode(), a.consumer_key.encode()):
            return "unknown-consumer", None
        if not hmac.compare_digest(oauth["oauth_token"].encode(), a.access_token.encode()):
            return "unknown-token", None
        ts = oauth["oauth_timestamp"]
        if not ts.isascii() or not ts.isdigit() or abs(time.time() - int(ts)) > a.max_skew:
            return "stale-timestamp", None
        nonce = (ts, oauth["oauth_nonce"])
        if nonce in self.nonces:
            return "replayed-nonce", None
        if not host:
            return "no-host", None
        params = [(k, v) for k, v in oauth.items() if k != "oauth_signature"]
        ctype, _ = header_params(headers.get("Content-Type"))
        if ctype == "application/x-www-form-urlencoded":  # RFC 5849 3.4.1.3.1
            params += decode_form(body)
        base = signature_base_string(method, "http://" + host.lower() + raw_path, params)
        expected = hmac_sha1_signature(base, a.consumer_secret, a.access_token_secret)
        if not hmac.compare_digest(expected.encode(), oauth["oauth_signature"].encode()):
            return "bad-signature", None
        return None, nonce

    def rate_headers(self, route, now):
        start, used = self.windows.get(route, (now, 0))
        if now >= start + RATE_WINDOW:
            start, used = now, 0
        return start, used

    def take_rule(self, rules, path):
        for rule in rules:
            if rule["count"] > 0 and path.startswith(rule["path"]):
                rule["count"] -= 1
                return rule
        return None

    def handle(self, method, host, raw_path, headers, body):
        """One /2/ request, under the lock."""
        path, _, query = raw_path.partition("?")
        route, handler, args = path, None, ()
        allowed = None
        for pattern, methods in ROUTES:
            m = pattern.fullmatch(path)
            if m:
                route, allowed = pattern.pattern, methods
                handler, args = methods.get(method), m.groups()
                break
        now = int(time.time())
        start, used = self.rate_headers(route, now)
        limits = {"x-rate-limit-limit": str(RATE_LIMIT),
                  "x-rate-limit-remaining": str(max(0, RATE_LIMIT - used - 1)),
                  "x-rate-limit-reset": str(start + RATE_WINDOW)}
        failure, nonce = self.authenticate(method, host, raw_path, headers, body)
        if failure:
            return Reply(401, UNAUTHORIZED, failure, limits)
        # X authenticates first, then limits; a 429 does not use up the nonce.
        rule = self.take_rule(self.rate_rules, path)
        if rule or used >= RATE_LIMIT:
            reset = now + rule["reset_in"] if rule else start + RATE_WINDOW
            limits.update({"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)})
            return Reply(429, TOO_MANY, "rate-limited", limits)
        self.windows[route] = (start, used + 1)
        rule = self.take_rule(self.fail_rules, path)
        if rule:
            phrase = http.HTTPStatus(rule["status"]).phrase
            return Reply(rule["status"], {"title": phrase, "detail": phrase,
                                          "type": "about:blank", "status": rule["status"]},
                         "injected", limits)
        self.nonces.add(nonce)
        if allowed is None:
            return Reply(404, problem(f"no such endpoint: {path}", 404), "not-found", limits)
        if handler is None:
            limits["Allow"] = ", ".join(sorted(allowed))
            return Reply(405, problem(f"{method} not allowed on {path}", 405),
                         "not-allowed", limits)
        try:
            status, data = getattr(self, handler)(*args, query=query, headers=headers, body=body)
        except Invalid as e:
            answer = DUPLICATE if e.status == 403 else problem(e.message, e.status)
            return Reply(e.status, answer, "duplicate" if e.status == 403 else "invalid", limits)
        return Reply(status, data, "ok", limits)

    # -- helpers
    def new_media(self, kind, category, upload):
        media_id = str(self.next_media)
        self.next_media += 1
        key = ("16_" if category == "tweet_gif" else "3_") + media_id
        record = {"id": media_id, "media_key": key, "upload": upload, "media_type": kind,
                  "media_category": category, "size": 0, "sha256": None, "segments": 0,
                  "state": "uploading", "alt_text": None, "polls": 0,
                  "expires_at": int(time.time()) + EXPIRES, "total_bytes": None,
                  "chunks": [], "fail": False, "w": 0, "h": 0}
        self.media[media_id] = record
        return record

    def json_body(self, headers, body):
        ctype, _ = header_params(headers.get("Content-Type"))
        if ctype != "application/json":
            raise Invalid("Content-Type must be application/json")
        try:
            value = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Invalid("the body is not valid JSON")
        if not isinstance(value, dict):
            raise Invalid("the body must be a JSON object")
        return value

    def known_media(self, media_id):
        record = self.media.get(str(media_id)) if isinstance(media_id, (str, int)) else None
        if record is None:
            raise Invalid(f"unknown media id: {media_id}")
        return record

    def succeeded_media(self, media_id):
        record = self.known_media(media_id)
        if record["state"] != "succeeded":
            raise Invalid(f"media {media_id} is not ready (state {record['state']})")
        return record

    # -- endpoints: each returns (status, JSON object) or raises Invalid
    def upload_simple(self, query, headers, body):
        fields = parse_multipart(headers.get("Content-Type"), body)
        if "media" not in fields:
            raise Invalid("the media field is required")
        category = fields.get("media_category", (None, None, b""))[2].decode("utf-8", "replace")
        if category not in CATEGORIES:
            raise Invalid(f"media_category must be one of {', '.join(CATEGORIES)}")
        data = fields["media"][2]
        kind = sniff_image(data)
        if kind is None:
            raise Invalid("unsupported media: not PNG, JPEG, GIF or WebP")
        if "media_type" in fields and fields["media_type"][2].decode("utf-8", "replace") != kind:
            raise Invalid(f"media_type does not match the bytes ({kind})")
        if len(data) > IMAGE_LIMIT:
            raise Invalid(f"image larger than {IMAGE_LIMIT} bytes: use the chunked upload")
        # X: animated GIFs (category tweet_gif) only through the chunked upload.
        if category == "tweet_gif" or (kind == "image/gif" and gif_frame_count(data) > 1):
            raise Invalid("animated GIFs (tweet_gif) must use the chunked upload")
        record = self.new_media(kind, category, "simple")
        record["w"], record["h"] = image_size(kind, data)
        record.update(size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                      state="succeeded")
        return 200, {"data": {"id": record["id"], "media_key": record["media_key"],
                              "size": len(data), "expires_after_secs": EXPIRES,
                              "image": {"image_type": kind, "w": record["w"],
                                        "h": record["h"]}}}

    def upload_initialize(self, query, headers, body):
        req = self.json_body(headers, body)
        kind, total, category = (req.get("media_type"), req.get("total_bytes"),
                                 req.get("media_category"))
        if kind not in IMAGE_TYPES:
            raise Invalid(f"media_type must be one of {', '.join(IMAGE_TYPES)}")
        if category not in CATEGORIES:
            raise Invalid(f"media_category must be one of {', '.join(CATEGORIES)}")
        if category == "tweet_gif" and kind != "image/gif":
            raise Invalid("media_category tweet_gif needs media_type image/gif")
        limit = GIF_LIMIT if category == "tweet_gif" else IMAGE_LIMIT
        if not isinstance(total, int) or isinstance(total, bool) or not 1 <= total <= limit:
            raise Invalid(f"total_bytes must be an integer from 1 to {limit}")
        record = self.new_media(kind, category, "chunked")
        record["total_bytes"] = total
        return 200, {"data": {"id": record["id"], "media_key": record["media_key"],
                              "expires_after_secs": EXPIRES}}

    def upload_append(self, media_id, query, headers, body):
        record = self.known_media(media_id)
        if record["upload"] != "chunked" or record["state"] != "uploading":
            raise Invalid(f"media {media_id} does not take segments")
        fields = parse_multipart(headers.get("Content-Type"), body)
        index = fields.get("segment_index", (None, None, b""))[2].decode("ascii", "replace")
        if not re.fullmatch(r"\d{1,6}", index) or int(index) >= MAX_SEGMENTS:
            raise Invalid(f"segment_index must be an integer from 0 to {MAX_SEGMENTS - 1}")
        index = int(index)
        if "media" not in fields:
            raise Invalid("the media field is required")
        data = fields["media"][2]
        if not 1 <= len(data) <= SEGMENT_LIMIT:
            raise Invalid(f"a segment must have 1 to {SEGMENT_LIMIT} bytes")
        chunks = record["chunks"]
        if index < len(chunks):      # a client retry of a segment replaces it
            chunks[index] = data
        elif index == len(chunks):
            chunks.append(data)
        else:
            raise Invalid(f"segment_index {index} out of order: expected {len(chunks)}")
        record["segments"] = len(chunks)
        record["size"] = sum(len(c) for c in chunks)
        return 200, {"data": {"expires_at": record["expires_at"]}}

    def upload_finalize(self, media_id, query, headers, body):
        record = self.known_media(media_id)
        if record["upload"] != "chunked" or record["state"] != "uploading":
            raise Invalid(f"media {media_id} is not an unfinished chunked upload")
        data = b"".join(record["chunks"])
        if len(data) != record["total_bytes"]:
            raise Invalid(f"received {len(data)} bytes, total_bytes was {record['total_bytes']}")
        kind = sniff_image(data)
        if kind != record["media_type"]:
            raise Invalid(f"the bytes are {kind or 'not an image'}, not {record['media_type']}")
        record.update(chunks=[], size=len(data), sha256=hashlib.sha256(data).hexdigest())
        record["w"], record["h"] = image_size(kind, data)
        reply = {"id": record["id"], "media_key": record["media_key"], "size": len(data),
                 "expires_after_secs": EXPIRES}
        if record["media_category"] == "tweet_gif":  # X processes GIFs asynchronously
            record["state"] = "pending"
            if self.fail_processing > 0:
                self.fail_processing -= 1
                record["fail"] = True
            reply["processing_info"] = {"state": "pending",
                                        "check_after_secs": self.args.check_after}
        else:
            record["state"] = "succeeded"
        return 200, {"data": reply}

    def upload_status(self, query, headers, body):
        q = dict((k.decode("utf-8", "replace"), v.decode("utf-8", "replace"))
                 for k, v in decode_form(query))
        if q.get("command") != "STATUS":
            raise Invalid("GET /2/media/upload needs command=STATUS")
        record = self.known_media(q.get("media_id", ""))
        if record["state"] == "uploading":
            raise Invalid(f"media {record['id']} is not finalized")
        record["polls"] += 1
        if record["state"] in ("pending", "in_progress"):
            if record["polls"] <= self.args.processing_polls:
                record["state"] = "in_progress"
            else:
                record["state"] = "failed" if record["fail"] else "succeeded"
        info = {"state": record["state"]}
        if record["state"] == "in_progress":
            info.update(check_after_secs=self.args.check_after, progress_percent=50)
        elif record["state"] == "succeeded":
            info["progress_percent"] = 100
        else:
            info["error"] = {"code": 1, "name": "InvalidMedia", "message": "Unsupported file"}
        return 200, {"data": {"id": record["id"], "media_key": record["media_key"],
                              "processing_info": info}}

    def media_metadata(self, query, headers, body):
        req = self.json_body(headers, body)
        record = self.succeeded_media(req.get("id"))
        metadata = req.get("metadata")
        alt = metadata.get("alt_text") if isinstance(metadata, dict) else None
        text = alt.get("text") if isinstance(alt, dict) else None
        if not isinstance(text, str) or not 1 <= len(text) <= 1000:
            raise Invalid("metadata.alt_text.text must have 1 to 1000 characters")
        record["alt_text"] = text
        return 200, {"data": {"associated_metadata": True, "id": record["id"]}}

    def create_tweet(self, query, headers, body):
        req = self.json_body(headers, body)
        text = req.get("text")
        media = req.get("media")
        ids = []
        if media is not None:
            ids = media.get("media_ids") if isinstance(media, dict) else None
            if not isinstance(ids, list) or not 1 <= len(ids) <= 4:
                raise Invalid("media.media_ids must list 1 to 4 media ids")
            if not all(isinstance(i, str) for i in ids):
                raise Invalid("media ids must be strings")
            for media_id in ids:
                self.succeeded_media(media_id)
        if text is None and not ids:
            raise Invalid("text is required unless media is given")
        if text is not None and not isinstance(text, str):
            raise Invalid("text must be a string")
        if text and any(t["text"] == text for t in self.tweets):
            raise Invalid("duplicate content", status=403)  # X's real answer, see DUPLICATE
        tweet_id = str(self.next_tweet)
        self.next_tweet += 1
        self.tweets.append({"id": tweet_id, "text": text or "", "media_ids": ids})
        return 201, {"data": {"id": tweet_id, "text": text or "",
                              "edit_history_tweet_ids": [tweet_id]}}

    # -- test control (unsigned)
    def control(self, method, path, body):
        name = path[len("/__test/"):]
        if method == "GET" and name == "state":
            media = {}
            for mid, r in self.media.items():
                media[mid] = {k: r[k] for k in ("upload", "media_type", "media_category",
                                                "size", "sha256", "segments", "state",
                                                "alt_text", "polls")}
            # Copies: the reply is written after this request joins self.requests.
            return Reply(200, {"media": media, "tweets": [dict(t) for t in self.tweets],
                               "requests": [dict(r) for r in self.requests]}, "ok")
        if method != "POST" or name not in ("rate-limit", "fail", "fail-processing", "reset"):
            return Reply(404, problem(f"no such control: {method} {path}", 404), "not-found")
        try:
            req = json.loads(body.decode("utf-8") or "{}")
            if not isinstance(req, dict):
                raise ValueError
            count = int(req.get("count", 1))
            if name == "rate-limit":
                self.rate_rules.append({"path": str(req["path"]), "count": count,
                                        "reset_in": int(req.get("reset_in", 900))})
            elif name == "fail":
                status = int(req.get("status", 503))
                http.HTTPStatus(status)
                self.fail_rules.append({"path": str(req["path"]), "count": count,
                                        "status": status})
            elif name == "fail-processing":
                self.fail_processing += count
            else:
                self.reset()
        except (KeyError, ValueError, UnicodeDecodeError):
            return Reply(400, problem("bad control request"), "invalid")
        return Reply(200, {"ok": True}, "ok")


# ---------------------------------------------------------------- HTTP

class BodyTooLarge(Exception):
    pass


class BadBody(Exception):
    pass


def make_handler(api, log_path):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes: without this, Nagle holds the body
        # until the client acknowledges the headers, which a delayed ACK makes 40 ms.
        disable_nagle_algorithm = True
        server_version = "lamtool-x-api"

        def log_message(self, fmt, *args):  # quiet: tests read --log or /__test/state
            pass

        def read_body(self):
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                data = bytearray()
                while True:
                    try:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    except ValueError:
                        raise BadBody("bad chunk size")
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass  # trailers
                        return bytes(data)
                    if len(data) + size > MAX_BODY:
                        raise BodyTooLarge
                    data += self.rfile.read(size)
                    self.rfile.readline()
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                raise BadBody("bad Content-Length")
            if length > MAX_BODY:
                raise BodyTooLarge
            return self.rfile.read(length) if length > 0 else b""

        def send(self, reply):
            data = json.dumps(reply.body, separators=(",", ":")).encode("utf-8")
            path = self.path.partition("?")[0]
            # Recorded before the reply goes out: a client that has its answer may read
            # the log at once and must find the line there.
            with api.lock:
                api.requests.append({"method": self.command, "path": path,
                                     "status": reply.status, "reason": reply.reason})
                if log_path:
                    with open(log_path, "a", encoding="utf-8") as f:
                        f.write(f"{self.command} {path} {reply.status} {reply.reason}\n")
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def serve(self):
            try:
                body = self.read_body()
            except BodyTooLarge:
                self.close_connection = True
                return self.send(Reply(413, problem("request body too large", 413), "too-large"))
            except BadBody as e:
                self.close_connection = True
                return self.send(Reply(400, problem(str(e)), "invalid"))
            path = self.path.partition("?")[0]
            try:
                with api.lock:
                    if path.startswith("/__test/"):
                        reply = api.control(self.command, path, body)
                    elif path.startswith("/2/"):
                        reply = api.handle(self.command, self.headers.get("Host"), self.path,
                                           self.headers, body)
                    else:
                        reply = Reply(404, problem(f"no such endpoint: {path}", 404),
                                      "not-found")
            except Exception as e:  # noqa: BLE001 - report the place, not the message
                sys.stderr.write(f"x-api: {type(e).__name__}\n"
                                 + "".join(traceback.format_tb(e.__traceback__)))
                reply = Reply(500, problem("internal error", 500), "server-error")
            self.send(reply)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = serve

    return Handler


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 64  # a backlog of 5 resets connections of parallel clients


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--consumer-key", required=True)
    p.add_argument("--consumer-secret", required=True)
    p.add_argument("--access-token", required=True)
    p.add_argument("--access-token-secret", required=True)
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--log", metavar="FILE", help="append one line per request")
    p.add_argument("--max-skew", type=int, default=300, metavar="SECONDS",
                   help="oldest or newest oauth_timestamp accepted (default 300)")
    p.add_argument("--processing-polls", type=int, default=1, metavar="N",
                   help="STATUS polls answered in_progress after a GIF's finalize")
    p.add_argument("--check-after", type=int, default=1, metavar="SECONDS",
                   help="check_after_secs in processing_info (default 1)")
    args = p.parse_args()
    server = Server(("127.0.0.1", args.port), make_handler(XApi(args), args.log))
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
