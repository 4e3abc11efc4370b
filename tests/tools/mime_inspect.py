#!/usr/bin/python3
"""Parses a MIME message with Python's email package (not lamtool's code) and prints
what it found as JSON, for tests/mail_test.cc.

    mime_inspect.py FILE

Output: {"headers": {name: decoded value}, "defects": [...], "tree": PART} where PART is
{"type", "params", "content_id", "disposition", "filename", "charset", "cte",
 "defects", "parts": [PART...]} for multiparts, and for leaf parts also "size",
"sha256" (of the decoded bytes) and "text" (decoded, for text/*).
"""

import email
import email.policy
import hashlib
import json
import sys


def part_info(part):
    info = {
        "type": part.get_content_type(),
        "params": {k: v for k, v in part.get_params()[1:]} if part.get_params() else {},
        "content_id": part.get("Content-ID"),
        "disposition": part.get_content_disposition(),
        "filename": part.get_filename(),
        "charset": part.get_content_charset(),
        "cte": part.get("Content-Transfer-Encoding"),
        "defects": [type(d).__name__ for d in part.defects],
    }
    if part.is_multipart():
        info["parts"] = [part_info(p) for p in part.iter_parts()]
    else:
        data = part.get_payload(decode=True) or b""
        info["size"] = len(data)
        info["sha256"] = hashlib.sha256(data).hexdigest()
        if part.get_content_maintype() == "text":
            info["text"] = part.get_content()
    return info


def main():
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {}
    for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
        value = msg.get(name)
        headers[name] = None if value is None else str(value)
    out = {
        "headers": headers,
        "to_addresses": [a.addr_spec for a in msg["To"].addresses] if msg["To"] else [],
        "from_addresses": [a.addr_spec for a in msg["From"].addresses] if msg["From"] else [],
        "from_names": [a.display_name for a in msg["From"].addresses] if msg["From"] else [],
        "defects": [type(d).__name__ for d in msg.defects],
        "tree": part_info(msg),
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
