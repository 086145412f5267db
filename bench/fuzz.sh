#!/usr/bin/env bash
# Long fuzz run (the fuzzing benchmark of docs/fuzzing.md): runs one libFuzzer target from its seed
# corpus and prints executions, executions per second and distinct crashes.
#
# Usage: bench/fuzz.sh [--target NAME] [--runs N | --seconds S] [--keep-going]
#   --target      fuzz target without the fuzz_ prefix (default dasd_ipl)
#   --runs N      stop after N executions (default 10000000)
#   --seconds S   stop after S seconds instead
#   --keep-going  fork mode: record crashes and go on (needs --seconds);
#                 without it the run stops at the first crash
# Env: FUZZ_BENCH_NO_BUILD=1 uses the existing build/fuzz binaries.
#
# One process, one core (the machine is shared). The corpus grows in
# build/fuzz/bench/<target>/corpus (kept between runs; delete it to start
# from the seeds alone); crash inputs land in build/fuzz/bench/<target>/.
# Distinct crashes: each crash input is replayed and its first invariant or
# sanitizer line is the signature.
set -euo pipefail
# fuzz_dasd_ipl's invariant 6 counts the known-open classes apart unless
# FUZZ_DASD_KNOWN_OPEN=0 (strict; docs/fuzzing.md).
if [[ ${FUZZ_DASD_KNOWN_OPEN:-1} == 1 ]]; then export FUZZ_DASD_KNOWN_OPEN=1; else unset FUZZ_DASD_KNOWN_OPEN; fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=dasd_ipl
runs=10000000
seconds=""
keep_going=0
while (($#)); do
  case $1 in
    --target) target=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --keep-going) keep_going=1; shift ;;
    *) echo "usage: $0 [--target NAME] [--runs N | --seconds S] [--keep-going]" >&2; exit 2 ;;
  esac
done
if ((keep_going)) && [[ -z $seconds ]]; then
  echo "bench/fuzz.sh: --keep-going needs --seconds" >&2
  exit 2
fi

if [[ "${FUZZ_BENCH_NO_BUILD:-0}" != 1 ]]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j2 >/dev/null
fi
exe="$root/build/fuzz/tests/fuzz/fuzz_$target"
seeds="$root/tests/fuzz/corpus/$target"
work="$root/build/fuzz/bench/$target"
mkdir -p "$work/corpus" "$work/artifacts"
rm -f "$work/artifacts"/*
log="$work/log"

limit=(-runs="$runs")
[[ -n $seconds ]] && limit=(-max_total_time="$seconds")
mode=()
((keep_going)) && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)

echo "bench/fuzz.sh: fuzz_$target ${limit[*]} ${mode[*]}"
echo "  command: $exe ${limit[*]} ${mode[*]} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=$work/artifacts/ $work/corpus $seeds"
t0=$(date +%s.%N)
set +e
"$exe" "${limit[@]}" "${mode[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds" >"$log" 2>&1
rc=$?
set -e
t1=$(date +%s.%N)

if ((keep_going)); then
  # Fork mode: the last "#N: ..." progress line carries the total.
  execs=$(grep -oE '^#[0-9]+:' "$log" | tail -1 | tr -d '#:')
else
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
fi
execs=${execs:-0}
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
rate=$(awk -v n="$execs" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')

declare -A signatures=()
for a in "$work/artifacts"/*; do
  [[ -f $a ]] || continue
  replay=$("$exe" "$a" 2>&1 || true)
  sig=$(grep -m1 -E 'FUZZ INVARIANT VIOLATED|^SUMMARY:|ERROR: libFuzzer' <<<"$replay" || true)
  [[ -n $sig ]] || sig="no crash on replay: $(basename "$a")"
  signatures["$sig"]+="$a "
done

echo "  target:           fuzz_$target"
echo "  executions:       $execs"
echo "  wall time:        ${secs} s"
echo "  executions/s:     $rate"
echo "  corpus:           $(ls "$work/corpus" | wc -l) inputs"
echo "  distinct crashes: ${#signatures[@]}"
for sig in "${!signatures[@]}"; do
  echo "    $sig"
  echo "      inputs: ${signatures[$sig]}"
done
if ((rc != 0 && ${#signatures[@]} == 0)); then
  echo "bench/fuzz.sh: the fuzzer exited with $rc without a crash input; see $log" >&2
  exit 1
fi
((${#signatures[@]} == 0))
