# shellcheck shell=bash
# Sourced by tests/cli/*signals*.sh after common.sh: lamtool in the background with
# SIGINT and SIGTERM at their defaults (a background job of a non-interactive shell
# ignores SIGINT, and lamtool leaves an inherited ignored signal ignored), and bounded
# polls for the moment to send a signal: never a sleep as synchronisation.

BG=""
# start_bg STDIN ARGS...: lamtool ARGS reading STDIN; sets BG (its pid). stdout and
# stderr go to $WORK/.bg.out and $WORK/.bg.err.
start_bg() {
  local input=$1
  shift
  env --default-signal=INT,TERM "$LAMTOOL" "$@" <"$input" >"$WORK/.bg.out" 2>"$WORK/.bg.err" &
  BG=$!
}
bg_fail() {
  [ -z "$BG" ] || kill -KILL "$BG" 2>/dev/null || true
  fail "$@"
}
# poll WHAT CMD...: until CMD succeeds (at most 30 s), while lamtool still runs.
poll() {
  local what=$1
  shift
  for _ in $(seq 1 600); do
    "$@" && return 0
    kill -0 "$BG" 2>/dev/null || bg_fail "lamtool exited before $what: $(cat "$WORK/.bg.err")"
    sleep 0.05
  done
  bg_fail "no $what within 30 s"
}
# wait_bg: waits (at most 30 s) for lamtool; sets RC, OUT and ERR.
wait_bg() {
  for _ in $(seq 1 600); do
    kill -0 "$BG" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$BG" 2>/dev/null && bg_fail "lamtool still runs 30 s after the signal"
  set +e
  wait "$BG"
  RC=$?
  set -e
  BG=""
  OUT=$(cat "$WORK/.bg.out")
  ERR=$(cat "$WORK/.bg.err")
}
# fifo_drained FD: the pipe whose write end is open on FD holds no unread byte (lamtool
# has read everything written so far and waits for more).
fifo_drained() {
  /usr/bin/python3 -c 'import array, fcntl, sys, termios
b = array.array("i", [0])
fcntl.ioctl(int(sys.argv[1]), termios.FIONREAD, b)
sys.exit(b[0] != 0)' "$1"
}
# temp_exists DIR NAME: the temporary file .NAME.XXXXXX of an atomic write is in DIR.
temp_exists() { compgen -G "$1/.$2.??????" >/dev/null; }
# expect_no_temps DIR...: no .NAME.XXXXXX file left below the DIRs.
expect_no_temps() {
  local left
  left=$(find "$@" -name '.*.??????')
  [ -z "$left" ] || fail "temporary files left behind: $left"
}
