#!/usr/bin/env bash
# lamtool package: where the zip goes (a directory, stdout) and its errors: no launcher
# (78, naming where it looked), no libcurl (78), an unwritable destination (73), bad
# destinations (64); nothing partial is left behind.
source "$(dirname "$0")/common.sh"

# A directory takes lamtool.zip below it; `-` is stdout.
run package --to dist/
expect_rc 0
expect_file dist/lamtool.zip
"$LAMTOOL" package --to - >stdout.zip 2>"$WORK/.err" || fail "package --to -: $(cat "$WORK/.err")"
cmp -s stdout.zip dist/lamtool.zip || fail "the zip on stdout differs from the file"

run package --to - --json
expect_rc 64
expect_one_error_line
run package --to kinesis://stream
expect_rc 64
expect_one_error_line
expect_err_contains "not a stream"

# Unwritable: a regular file where a directory is needed.
printf 'x' >blocker
run package --to blocker/sub/lamtool.zip
expect_rc 73
expect_one_error_line
expect_err_contains "cannot create directory 'blocker/sub"

# A copy of lamtool with no launcher beside it, nor installed.
if [ -e /usr/local/libexec/lamtool/lamtool-bootstrap ]; then
  echo "SKIPPED (in part): a lamtool-bootstrap is installed in /usr/local/libexec/lamtool"
else
  mkdir -p alone/bin
  cp "$LAMTOOL" alone/bin/lamtool
  set +e
  alone/bin/lamtool package --to alone.zip >"$WORK/.out" 2>"$WORK/.err"
  RC=$?
  set -e
  ERR=$(cat "$WORK/.err")
  expect_rc 78
  expect_one_error_line
  expect_err_contains "cannot find the Lambda launcher 'lamtool-bootstrap': looked at '$WORK/alone/bin/lamtool-bootstrap', '$WORK/alone/libexec/lamtool/lamtool-bootstrap'"
  [ ! -e alone.zip ] || fail "wrote alone.zip"
fi

# No usable libcurl.so.4: LD_LIBRARY_PATH puts an empty one first.
mkdir empty
: >empty/libcurl.so.4
LD_LIBRARY_PATH=$WORK/empty run package --to nocurl.zip
expect_rc 78
expect_one_error_line
expect_err_contains "cannot load 'libcurl.so.4' to package it"
[ ! -e nocurl.zip ] || fail "wrote nocurl.zip"

# Run through the loader as a command (as the Lambda launcher runs lamtool), /proc/self/exe
# is the loader: refused rather than packed as lamtool. (Not with the sanitizers, whose
# runtime wants to be loaded first.)
[ "${LAMTOOL_SANITIZED:-0}" == 1 ] && exit 0
loader=$(readelf -l "$LAMTOOL" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[ -n "$loader" ] || fail "no program interpreter in $LAMTOOL"
set +e
"$loader" "$LAMTOOL" package --to vialoader.zip >"$WORK/.out" 2>"$WORK/.err"
RC=$?
set -e
ERR=$(cat "$WORK/.err")
expect_rc 78
expect_one_error_line
expect_err_contains "runs through its loader"
[ ! -e vialoader.zip ] || fail "wrote vialoader.zip"
