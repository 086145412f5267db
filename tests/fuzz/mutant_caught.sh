#!/bin/sh
# The fuzz harness must catch a deliberately broken core: runs the generated
# volumes through the real core and through a mutant (e.g. one whose
# continuation rule accepts everything), counting invariant 6's violations
# ("the hardware boots, the core refuses") instead of stopping at the first.
# Passes when the mutant has more of them than the real core, or breaks
# another invariant.
#   mutant_caught.sh REAL MUTANT ARGS...
real=$1 mutant=$2
shift 2
export FUZZ_DASD_COUNT_REFUSALS=1 FUZZ_DASD_KNOWN_OPEN=1
count() { sed -n 's/.*unexpected refusals: \([0-9]*\).*/\1/p' | tail -n 1; }
r_out=$("$real" "$@" 2>&1)
m_out=$("$mutant" "$@" 2>&1)
r=$(echo "$r_out" | count)
m=$(echo "$m_out" | count)
echo "real core:   $(echo "$r_out" | grep 'executions:')"
echo "             unexpected refusals: ${r:-?}"
echo "mutant core: $(echo "$m_out" | grep 'executions:')"
echo "             unexpected refusals: ${m:-?}"
if echo "$r_out" | grep -q "FUZZ INVARIANT VIOLATED"; then
  echo "mutant_caught: the real core itself breaks an invariant:"
  echo "$r_out" | grep -A1 "FUZZ INVARIANT VIOLATED"
  exit 1
fi
if echo "$m_out" | grep -q "FUZZ INVARIANT VIOLATED"; then
  echo "mutant_caught: caught ($(echo "$m_out" | grep -A1 'FUZZ INVARIANT VIOLATED' | tail -n 1))"
  exit 0
fi
if [ -n "$m" ] && [ -n "$r" ] && [ "$m" -gt "$r" ]; then
  echo "mutant_caught: caught: $m volumes the hardware boots are refused by the mutant, $r by the real core"
  exit 0
fi
echo "mutant_caught: the harness did not tell the mutant from the real core"
exit 1
