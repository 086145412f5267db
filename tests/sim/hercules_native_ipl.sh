#!/bin/sh
# Native Hercules IPL of every mkdasd shape the hardware can boot: `ipl 0120`
# must end in the payload's disabled wait with the shape's PSW.
#   hercules_native_ipl.sh MKDASD [SHAPE...]
# Exit 0 = all matched, 1 = a mismatch, 77 = hercules not installed (skip).
set -u
mkdasd=$1
shift
command -v hercules >/dev/null 2>&1 || { echo "SKIP: hercules not installed"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ccwboot-herc.XXXXXX")
trap 'rm -rf "$work"' EXIT

# name good native_boots needs_split expected_psw ...
"$mkdasd" --list | grep -v '^#' >"$work/shapes" || exit 1
[ $# -gt 0 ] || set -- $(awk '$3 == 1 { print $1 }' "$work/shapes")

fail=0
for shape in "$@"; do
  expected=$(awk -v s="$shape" '$1 == s { print toupper($5) }' "$work/shapes")
  [ -n "$expected" ] || { echo "FAIL $shape: unknown shape"; fail=1; continue; }
  want="PSW=$(echo "$expected" | cut -c1-8) $(echo "$expected" | cut -c9-16)"
  dir="$work/$shape"
  mkdir -p "$dir"
  "$mkdasd" --shape "$shape" -o "$dir/disk.3390" || { echo "FAIL $shape: mkdasd"; fail=1; continue; }
  cat >"$dir/herc.cnf" <<CNF
ARCHMODE z/Arch
MAINSIZE 64
NUMCPU 1
PANRATE SLOW
0120 3390 $dir/disk.3390
CNF
  cat >"$dir/herc.rc" <<RC
hao tgt HHCCP0(11I|16I|27E|29E|30E)
hao cmd quit
ipl 0120
RC
  (cd "$dir" && HERCULES_RC=herc.rc timeout 20 hercules -f herc.cnf -d </dev/null >log 2>&1)
  if grep -q "HHCCP011I" "$dir/log" && grep -q "$want" "$dir/log"; then
    echo "ok   $shape: $want"
  else
    echo "FAIL $shape: expected $want; log:"
    grep -E "HHCCP|PSW=" "$dir/log" | head -20
    fail=1
  fi
done
exit $fail
