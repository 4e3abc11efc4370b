#!/usr/bin/env bash
# A DynamoDB Streams event of a price table with three records: a REMOVE (skipped and
# counted), an item with a week without prices, and a normal item. Four charts under
# URL-safe keys (the names hold '+', '%20' and brackets), the right counts in the
# manifest, and weekly bars that pandas (an independent implementation) agrees with,
# for Monday weeks and for the original's 7-day blocks. Then bad items among good ones:
# exit 65, each reported with its field, the good ones still drawn, batchItemFailures
# holding exactly the bad records' sequence numbers.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"

/usr/bin/python3 - "$FIXTURES/events/dynamodb-event.json" "$WORK" <<'PY'
import copy, datetime, json, sys
sample = json.load(open(sys.argv[1]))
template = sample["Records"][0]
out = sys.argv[2]

def record(i, name, url=None, prices=None):
    r = copy.deepcopy(template)
    r["eventName"] = name
    r["eventID"] = f"id{i}"
    r["dynamodb"]["SequenceNumber"] = f"1000000000000000000000{i:03d}"
    r["dynamodb"]["Keys"] = {"URL": {"S": url or "x"}}
    r["dynamodb"].pop("NewImage", None)
    if name == "REMOVE":
        r["dynamodb"]["OldImage"] = {"URL": {"S": url}}
    else:
        r["dynamodb"]["NewImage"] = {"URL": {"S": url},
                                     "Prices": {"M": {d: {"N": p} for d, p in prices.items()}}}
    return r

def days(first, last, weekdays_only=False, skip=()):
    d = datetime.date.fromisoformat(first)
    while d <= datetime.date.fromisoformat(last):
        if not (weekdays_only and d.weekday() >= 5) and not any(a <= d.isoformat() <= b for a, b in skip):
            yield d.isoformat()
        d += datetime.timedelta(days=1)

# Weekdays from Wednesday 3 January to 29 March 2024, none from 5 to 16 February.
gap = {d: f"{100 + (i * 37) % 23 + i * 0.5:.2f}" for i, d in
       enumerate(days("2024-01-03", "2024-03-29", True, [("2024-02-05", "2024-02-16")]))}
# Every day of January and February 2024.
normal = {d: f"{50 + (i * 11) % 7 - i * 0.25:.2f}" for i, d in enumerate(days("2024-01-01", "2024-02-29"))}
good = [record(0, "REMOVE", "https://cards.example.com/c/Old+Card/"),
        record(1, "INSERT", "https://cards.example.com/c/Black+Lotus+(Alpha)/", gap),
        record(2, "MODIFY", "https://cards.example.com/c/Charizard%20Holo/", normal)]
json.dump({"Records": good}, open(f"{out}/event.json", "w"), indent=2)
json.dump({"gap": gap, "normal": normal}, open(f"{out}/prices.json", "w"))
bad = copy.deepcopy(good)
bad.insert(1, record(3, "INSERT", "https://cards.example.com/c/Bad+Price/", {"2024-01-02": "abc", "2024-01-03": "1"}))
bad.append(record(4, "MODIFY", "https://cards.example.com/c/Not+A+Number/", {"2024-01-02": "NaN"}))
bad.append(record(5, "INSERT", "https://cards.example.com/c/Bad+Date/", {"2024-02-30": "5"}))
json.dump({"Records": bad}, open(f"{out}/bad-event.json", "w"), indent=2)
PY

run plot-candles --in "$WORK/event.json" --to "$WORK/out/" --bars-out "$WORK/bars/" --json
expect_rc 0
expect_err_empty
(cd "$WORK/out" && find . -type f | sort) >"$WORK/files"
[ "$(cat "$WORK/files")" == "./daily/Black-Lotus-Alpha.png
./daily/Charizard-Holo.png
./weekly/Black-Lotus-Alpha.png
./weekly/Charizard-Holo.png" ] || fail "charts: $(cat "$WORK/files")"
/usr/bin/python3 - "$OUT" "$WORK" <<'PY' || fail "manifest or bars: $OUT"
import json, struct, sys
import pandas as pd
m, work = json.loads(sys.argv[1]), sys.argv[2]
assert (m["input"], m["records"], m["removed"], m["items"], m["charts"], m["failed"]) == \
    ("dynamodb", 3, 1, 2, 4, 0), m
assert m["batchItemFailures"] == [] and m["errors"] == []
assert [s["name"] for s in m["series"]] == ["Black Lotus (Alpha)", "Charizard Holo"]
assert [o["content_type"] for o in m["outputs"]].count("image/png") == 4
for o in m["outputs"]:
    if o["uri"].endswith(".png"):
        head = open(o["uri"], "rb").read(24)
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (800, 575), o
prices = json.load(open(f"{work}/prices.json"))

def check(csv, series, rule, **kw):
    s = pd.Series({pd.Timestamp(d): float(p) for d, p in series.items()})
    want = s.resample(rule, **kw).ohlc().dropna()
    got = pd.read_csv(csv, parse_dates=["date"], index_col="date")
    assert list(got.index) == list(want.index), (csv, list(got.index), list(want.index))
    for c in ["open", "high", "low", "close"]:
        assert (abs(got[c] - want[c]) < 1e-9).all(), (csv, c)
    return len(got)

# Monday weeks: pandas labels a W-SUN week by its Sunday; ours by its Monday.
weeks = check(f"{work}/bars/weekly/Black-Lotus-Alpha.csv", prices["gap"], "W-MON", label="left", closed="left")
assert weeks == 11, weeks  # 13 calendar weeks, two without prices
assert m["series"][0]["weeks"] == 11
assert check(f"{work}/bars/weekly/Charizard-Holo.csv", prices["normal"], "W-MON", label="left", closed="left") == 9
assert check(f"{work}/bars/daily/Charizard-Holo.csv", prices["normal"], "D") == 60
PY

# The original's grouping: 7-day blocks from the first date (a Wednesday here), the
# empty block skipped rather than crashing.
run plot-candles --in "$WORK/event.json" --period weekly --week-anchor first-date \
  --to "$WORK/first/" --bars-out "$WORK/first-bars/"
expect_rc 0
/usr/bin/python3 - "$WORK" <<'PY' || fail "first-date weeks"
import json, sys
import pandas as pd
work = sys.argv[1]
gap = json.load(open(f"{work}/prices.json"))["gap"]
s = pd.Series({pd.Timestamp(d): float(p) for d, p in gap.items()})
want = s.resample("7D", origin="start").ohlc().dropna()
got = pd.read_csv(f"{work}/first-bars/weekly/Black-Lotus-Alpha.csv", parse_dates=["date"], index_col="date")
assert list(got.index) == list(want.index), (list(got.index), list(want.index))
assert got.index[0] == pd.Timestamp("2024-01-03") and len(got) == 12
for c in ["open", "high", "low", "close"]:
    assert (abs(got[c] - want[c]) < 1e-9).all(), c
PY
[ -f "$WORK/first/weekly/Charizard-Holo.png" ] || fail "no first-date chart"

# Bad items among good ones.
run plot-candles --in "$WORK/bad-event.json" --to "$WORK/bad/" --json
expect_rc 65
/usr/bin/python3 - "$OUT" <<'PY' || fail "bad manifest: $OUT"
import json, sys
m = json.loads(sys.argv[1])
assert (m["records"], m["removed"], m["items"], m["charts"], m["failed"]) == (6, 1, 2, 4, 3), m
assert m["batchItemFailures"] == [{"itemIdentifier": f"1000000000000000000000{i:03d}"} for i in (3, 4, 5)]
assert [e["where"].split()[-1] for e in m["errors"]] == ["Records[1]", "Records[4]", "Records[5]"], m["errors"]
PY
expect_err_contains "Records[1]: field 'dynamodb.NewImage.Prices.M.2024-01-02.N': \"abc\" is not a number"
expect_err_contains "Records[4]: field 'dynamodb.NewImage.Prices.M.2024-01-02.N'"
expect_err_contains "Records[5]: field 'dynamodb.NewImage.Prices.M.2024-02-30': the key is not a date"
expect_err_contains "3 of 5 items could not be drawn"
[ "$(find "$WORK/bad" -name '*.png' | wc -l)" -eq 4 ] || fail "good items not drawn: $(find "$WORK/bad")"

# One chart per file destination: several charts need a directory.
run plot-candles --in "$WORK/event.json" --to "$WORK/one.png"
expect_rc 64
expect_err_contains "4 charts to write"
[ ! -e "$WORK/one.png" ] || fail "wrote a partial output"
