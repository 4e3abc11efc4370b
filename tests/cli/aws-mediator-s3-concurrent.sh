#!/usr/bin/env bash
# Two mediators at once on one S3 state (s3rver behind the project's proxy, which enforces
# If-Match as S3 does): 60 images, even ones to one mediator and odd ones to the other. No
# update is lost: the state remembers all 60 messages, every image gets exactly one
# thumbnail, fewer than 5 frames wait for a GIF at the end, and the GIFs are of 5 frames
# each, in time order, never sharing a frame, each starting after the previous one's last.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"
bucket=$(unique_name mediators)
check s3-mkbucket "$bucket"
for i in $(seq 0 59); do
  printf '{"type":"did-fetch-image","imageId":"radar","validTime":%d,"location":{"Bucket":"%s","Key":"images/%02d.png"}}\n' \
    $((1405746600000 + i * 300000)) "$bucket" "$i" >>"$( ((i % 2)) && echo odd.jsonl || echo even.jsonl)"
done
state="s3://$bucket/flow/state.json"
"$LAMTOOL" mediator --state "$state" --frames 5 --json --to a.jsonl <even.jsonl >a.json 2>a.err &
pa=$!
"$LAMTOOL" mediator --state "$state" --frames 5 --json --to b.jsonl <odd.jsonl >b.json 2>b.err &
pb=$!
wait $pa || fail "mediator A: $(cat a.err)"
wait $pb || fail "mediator B: $(cat b.err)"
check s3-get "$bucket" flow/state.json "$WORK/state.json"
/usr/bin/python3 - <<'PY' || fail "lost updates"
import json
out = [json.loads(l) for f in ("a.jsonl", "b.jsonl") for l in open(f) if l.strip()]
state = json.load(open("state.json"))
ids = [h["id"] for h in state["handled"]]
assert len(ids) == 60 and len(set(ids)) == 60, f"state remembers {len(set(ids))} of 60 messages"
thumbs = [m["validTime"] for m in out if m["type"] == "please-create-thumbnail"]
assert sorted(thumbs) == sorted(set(thumbs)) and len(thumbs) == 60, f"{len(thumbs)} thumbnails"
gifs = sorted((m for m in out if m["type"] == "please-create-gif"), key=lambda g: g["minValidTime"])
assert gifs, "no GIF asked for"
seen, last = set(), -1
for g in gifs:
    keys = [l["Key"] for l in g["locations"]]
    assert len(keys) == 5 and keys == sorted(keys), keys
    assert not seen & set(keys), ("frame in two GIFs", keys)
    assert g["minValidTime"] > last, "a GIF re-used an earlier GIF's frame"
    seen |= set(keys)
    last = g["maxValidTime"]
# A frame is in a GIF, or arrived after a newer GIF was asked for (late), or waits for the
# next GIF: fewer than 5 of those.
waiting = [t for t in thumbs if t > last]
assert len(waiting) < 5, f"{len(waiting)} frames newer than the last GIF and no GIF of them"
a, b = json.load(open("a.json")), json.load(open("b.json"))
print(f"GIFs {len(gifs)}, late frames {60 - len(seen) - len(waiting)}, "
      f"conditional-write conflicts retried: {a['conflicts'] + b['conflicts']}")
PY
