# Sourced (". tests/bench/mplfinance_env.sh"), not run: makes mplfinance, the pure-Python
# peer of plot-candles, importable by Debian's /usr/bin/python3 (python3-matplotlib,
# python3-pandas) without pip and without copying its code into this repository.
#
# mplfinance is taken from, in this order:
#   LAMTOOL_MPLFINANCE_DIR  a checkout (with src/mplfinance/), an extracted src dir
#                           (with mplfinance/), the package dir itself, or a git dir
#   LAMTOOL_MPLFINANCE_GIT  a git dir to `git archive` from; default: the mirror at
#                           /work/.mirror/matplotlib+mplfinance/repo, used when present
# and copied into MPLFINANCE_CACHE (default: mplfinance/ under LAMTOOL_BUILD_DIR, else
# build/) and byte-compiled there, so the timed runs read one fixed copy with its .pyc
# files, as an installed package has them. PYTHONPATH is then exported, that copy first,
# with MPLBACKEND=Agg.
#
# When neither is there, or the copy does not import, it prints
#   skipped: mplfinance not available (set LAMTOOL_MPLFINANCE_DIR)
# and exits 0: a benchmark must not fail on a machine without mplfinance.
# Sets MPLFINANCE_VERSION and MPLFINANCE_FROM (where it came from) for the caller's report.

_mpf_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MPLFINANCE_CACHE=${MPLFINANCE_CACHE:-${LAMTOOL_BUILD_DIR:-$_mpf_repo/build}/mplfinance}
_mpf_git=${LAMTOOL_MPLFINANCE_GIT:-/work/.mirror/matplotlib+mplfinance/repo}

_mpf_skip() {
  echo "skipped: mplfinance not available (set LAMTOOL_MPLFINANCE_DIR)${1:+: $1}"
  exit 0
}

# _mpf_compile: .pyc files for the copy, as Debian's packages have theirs (compiled at
# install). Without them every timed run would compile mplfinance again whenever
# PYTHONDONTWRITEBYTECODE is set, which it is in some environments.
_mpf_compile() {
  /usr/bin/python3 -m compileall -q "$MPLFINANCE_CACHE/src/mplfinance" >/dev/null
}

# _mpf_extract_git GIT_DIR: the mplfinance package at HEAD into the cache, once per commit.
_mpf_extract_git() {
  local commit
  commit=$(git --git-dir="$1" rev-parse --verify -q HEAD) || return 1
  if [ "$(cat "$MPLFINANCE_CACHE/.commit" 2>/dev/null)" != "$commit" ]; then
    rm -rf "$MPLFINANCE_CACHE" && mkdir -p "$MPLFINANCE_CACHE/src" || return 1
    # Only the package's tree is archived. git may still complain on stderr about
    # objects outside it that a partial mirror lacks; the import check below decides.
    git --git-dir="$1" archive "$commit:src" mplfinance 2>"$MPLFINANCE_CACHE/git-archive.log" |
      tar -x -C "$MPLFINANCE_CACHE/src" || return 1
    _mpf_compile && echo "$commit" > "$MPLFINANCE_CACHE/.commit"
  fi
  MPLFINANCE_FROM="$1 @ ${commit:0:7}"
}

# _mpf_copy_dir PACKAGE_DIR: a fresh copy (a few hundred KB) of a package directory.
_mpf_copy_dir() {
  rm -rf "$MPLFINANCE_CACHE" && mkdir -p "$MPLFINANCE_CACHE/src" &&
    cp -R "$1" "$MPLFINANCE_CACHE/src/mplfinance" && rm -rf "$MPLFINANCE_CACHE/src/mplfinance/__pycache__" &&
    _mpf_compile
  MPLFINANCE_FROM=$1
}

if [ -n "${LAMTOOL_MPLFINANCE_DIR:-}" ]; then
  _d=$LAMTOOL_MPLFINANCE_DIR
  if [ -f "$_d/src/mplfinance/__init__.py" ]; then _mpf_copy_dir "$_d/src/mplfinance"
  elif [ -f "$_d/mplfinance/__init__.py" ]; then _mpf_copy_dir "$_d/mplfinance"
  elif [ -f "$_d/__init__.py" ] && [ "$(basename "$_d")" = mplfinance ]; then _mpf_copy_dir "$_d"
  elif git --git-dir="$_d" rev-parse -q --verify HEAD >/dev/null 2>&1; then _mpf_extract_git "$_d"
  else _mpf_skip "no mplfinance package in LAMTOOL_MPLFINANCE_DIR=$_d"
  fi || _mpf_skip "cannot copy it from $_d"
  unset _d
elif [ -d "$_mpf_git" ]; then
  _mpf_extract_git "$_mpf_git" || _mpf_skip "cannot extract it from $_mpf_git"
else
  _mpf_skip
fi

export PYTHONPATH="$MPLFINANCE_CACHE/src${PYTHONPATH:+:$PYTHONPATH}"
export MPLBACKEND=Agg  # no display: the original ran in Lambda
MPLFINANCE_VERSION=$(/usr/bin/python3 -c 'import mplfinance; print(mplfinance.__version__)' 2>&1) ||
  _mpf_skip "it does not import with /usr/bin/python3: $(echo "$MPLFINANCE_VERSION" | tail -n 1)"
unset _mpf_repo _mpf_git
unset -f _mpf_extract_git _mpf_copy_dir _mpf_compile _mpf_skip
