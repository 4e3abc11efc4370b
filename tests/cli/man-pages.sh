#!/usr/bin/env bash
# Every registered subcommand has man/lamtool-<name>.1 and is named in man/lamtool.1;
# every page renders without warnings.
source "$(dirname "$0")/common.sh"
MAN="$LAMTOOL_SOURCE_DIR/man"
run --help
expect_rc 0
# Subcommand names: the indented words under "Subcommands:".
cmds=$(printf '%s\n' "$OUT" | awk '/^Subcommands:/{s=1;next} s&&/^  [a-z]/{print $1} s&&/^$/{s=0}')
[ -n "$cmds" ] || fail "no subcommands parsed from --help"
main_page=$(LC_ALL=C.UTF-8 MANWIDTH=200 groff -man -Tascii -P-cbou "$MAN/lamtool.1" 2>/dev/null)
for c in $cmds; do
  [ -f "$MAN/lamtool-$c.1" ] || fail "no man page man/lamtool-$c.1 for subcommand '$c'"
  [[ "$main_page" == *"lamtool-$c(1)"* ]] || fail "man/lamtool.1 does not name lamtool-$c(1)"
  grep -q "^\.TP" "$MAN/lamtool-$c.1" || fail "man/lamtool-$c.1 has no option list"
done
# Pages that name no registered command are stale.
for page in "$MAN"/lamtool-*.1; do
  name=$(basename "$page" .1)
  name=${name#lamtool-}
  printf '%s\n' $cmds | grep -qx "$name" || fail "man page $page has no subcommand"
done
for page in "$MAN"/*.1; do
  warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 groff -man -Tutf8 -ww -z "$page" 2>&1 || true)
  [ -z "$warn" ] || fail "$page: $warn"
done
grep -q "^\.SH EXIT STATUS" "$MAN/lamtool.1" || fail "lamtool.1 has no EXIT STATUS"
grep -q "^\.SH ENVIRONMENT" "$MAN/lamtool.1" || fail "lamtool.1 has no ENVIRONMENT"
