#!/usr/bin/python3
"""Writes the reference files that tests/schedule_test.cc checks lamtool against.

Run with Debian's Python (needs python3-croniter, and tzdata for zoneinfo):
    /usr/bin/python3 tests/tools/make_schedule_refs.py tests/fixtures/schedule

crontab_refs.txt: next fire times of 5-field crontab lines, computed by croniter
(an independent implementation, with Vixie's day-of-month OR day-of-week rule).
Each line: EXPR <TAB> FROM <TAB> space-separated UTC times.

tz_refs.txt: UTC offsets and local-to-UTC conversions from Python's zoneinfo, which
reads the same /usr/share/zoneinfo files with its own TZif and POSIX TZ parser.
  offset ZONE UTC SECONDS        offset east of UTC at instant UTC
  local ZONE LOCAL UTC|gap       first occurrence of wall-clock time LOCAL (fold=0),
                                 or gap when LOCAL does not exist
"""
import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import croniter

UTC = dt.timezone.utc
CRONTAB_FROM = dt.datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
CRONTAB_COUNT = 12
# No '*/n' in the day fields: Vixie cron treats a field starting with '*' as
# unrestricted, croniter does not, and lamtool follows Vixie.
CRONTAB = [
    "0 6 * * 1-5",
    "30 4 1,15 * 5",
    "*/15 9-17 * * MON-FRI",
    "0 0 29 2 *",
    "0 12 * JAN,jul SUN",
    "5 0 * 8 *",
    "15 14 1 * *",
    "23 0-20/2 * * *",
    "0 0 13 * 5",
    "0 8-18/3 10-20 * *",
    "0 0 * * 7",
    "59 23 31 * *",
    "0 0 1 */3 *",
    "0 0 * * *",
    "45 23 * * 6,0",
]
ZONES = [
    "America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata",
    "America/Sao_Paulo", "Pacific/Chatham", "Europe/Dublin", "America/St_Johns",
    "Australia/Lord_Howe", "Pacific/Apia",
]
YEARS = [1975, 1996, 2011, 2026, 2027, 2037, 2038, 2050, 2100, 2199]


def rfc3339(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_crontab(path):
    with open(path, "w") as out:
        for expr in CRONTAB:
            it = croniter.croniter(expr, CRONTAB_FROM)
            times = [rfc3339(it.get_next(dt.datetime)) for _ in range(CRONTAB_COUNT)]
            out.write(f"{expr}\t{rfc3339(CRONTAB_FROM)}\t{' '.join(times)}\n")


def offset(zone, t):
    return int(t.astimezone(zone).utcoffset().total_seconds())


def transitions(zone, year):
    """Instants (UTC) in `year` where the zone's offset changes, to the second."""
    t = dt.datetime(year, 1, 1, tzinfo=UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=UTC)
    step = dt.timedelta(hours=6)
    found = []
    while t < end:
        if offset(zone, t) != offset(zone, t + step):
            lo, hi = t, t + step  # offset(lo) != offset(hi)
            while hi - lo > dt.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if offset(zone, mid) == offset(zone, lo):
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        t += step
    return found


def local_to_utc(zone, naive):
    """First occurrence of naive wall-clock time, or None in a gap."""
    aware = naive.replace(tzinfo=zone, fold=0)
    u = aware.astimezone(UTC)
    if u.astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return u


def write_tz(path):
    with open(path, "w") as out:
        for name in ZONES:
            zone = ZoneInfo(name)
            for year in YEARS:
                for month in (1, 4, 7, 10):
                    t = dt.datetime(year, month, 15, 12, tzinfo=UTC)
                    out.write(f"offset {name} {rfc3339(t)} {offset(zone, t)}\n")
                for tr in transitions(zone, year):
                    for t in (tr - dt.timedelta(seconds=1), tr):
                        out.write(f"offset {name} {rfc3339(t)} {offset(zone, t)}\n")
                    local = tr.astimezone(zone).replace(tzinfo=None, minute=0, second=0)
                    for quarter in range(-12, 13):
                        naive = local + dt.timedelta(minutes=15 * quarter)
                        u = local_to_utc(zone, naive)
                        out.write(f"local {name} {naive.strftime('%Y-%m-%dT%H:%M:%S')} "
                                  f"{rfc3339(u) if u else 'gap'}\n")


def main():
    outdir = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/schedule")
    outdir.mkdir(parents=True, exist_ok=True)
    write_crontab(outdir / "crontab_refs.txt")
    write_tz(outdir / "tz_refs.txt")


if __name__ == "__main__":
    main()
