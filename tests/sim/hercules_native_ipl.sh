#!/bin/sh
# Native Hercules IPL (`ipl 0120`, CCW trace on) of mkdasd's shapes:
#  * every shape a real channel boots must end in the payload's wait PSW;
#  * with SIM_IPL_TRACE given, Hercules must execute exactly the CCWs the
#    simulator's hardware IPL executes (every shape but the endless tic_loop).
#   hercules_native_ipl.sh MKDASD [SIM_IPL_TRACE [SHAPE...]]
# Exit 0 = all matched, 1 = a mismatch, 77 = hercules not installed (skip).
set -u
mkdasd=$1
trace_tool=${2:-}
[ $# -ge 2 ] && shift 2 || shift 1
command -v hercules >/dev/null 2>&1 || { echo "SKIP: hercules not installed"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ccwboot-herc.XXXXXX")
trap 'rm -rf "$work"' EXIT

# name good native_boots needs_split expected_psw ...
"$mkdasd" --list | grep -v '^#' >"$work/shapes" || exit 1
[ $# -gt 0 ] || set -- $(awk '$1 != "tic_loop" { print $1 }' "$work/shapes")

fail=0
for shape in "$@"; do
  native=$(awk -v s="$shape" '$1 == s { print $3 }' "$work/shapes")
  expected=$(awk -v s="$shape" '$1 == s { print toupper($5) }' "$work/shapes")
  [ -n "$native" ] || { echo "FAIL $shape: unknown shape"; fail=1; continue; }
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
t+0120
ipl 0120
RC
  (cd "$dir" && HERCULES_RC=herc.rc timeout 20 hercules -f herc.cnf -d </dev/null >log 2>&1)
  if [ "$native" = 1 ]; then
    want="PSW=$(echo "$expected" | cut -c1-8) $(echo "$expected" | cut -c9-16)"
    if grep -q "HHCCP011I" "$dir/log" && grep -q "$want" "$dir/log"; then
      echo "ok   $shape: $want"
    else
      echo "FAIL $shape: expected $want; log:"
      grep -E "HHCCP0(11|14|16|29|30)|PSW=" "$dir/log" | head -20
      fail=1
    fi
  fi
  if [ -n "$trace_tool" ]; then
    sed -n 's/.*HHCCP048I [0-9A-F]*:CCW=\([0-9A-F]\{8\} [0-9A-F]\{8\}\).*/\1/p' "$dir/log" >"$dir/herc.trace"
    "$trace_tool" "$shape" | grep -v '^PSW' >"$dir/sim.trace"
    if [ -s "$dir/herc.trace" ] && cmp -s "$dir/herc.trace" "$dir/sim.trace"; then
      echo "ok   $shape: $(wc -l <"$dir/sim.trace") CCWs, same as the simulator"
    else
      echo "FAIL $shape: Hercules and the simulator ran different CCWs:"
      diff "$dir/herc.trace" "$dir/sim.trace" | head -20
      fail=1
    fi
  fi
done
exit $fail
