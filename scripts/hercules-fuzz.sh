#!/usr/bin/env bash
# Differential fuzzing of the DASD IPL against Hercules (docs/fuzzing.md,
# "Hercules as the oracle"): generated volumes, each IPLed natively by
# Hercules and through ccwboot, compared and classified.
#
#   scripts/hercules-fuzz.sh --volumes N --seed S [--jobs J] [--first I]
#                            [--batch B] [--verbose] [--keep-refused]
#
# Builds what it needs (volgen, the s390x image) unless HERCULES_FUZZ_NO_BUILD=1.
# Disagreeing volumes are kept in build/hercules-fuzz/seed-S/vol-I/ with both
# logs. The last line is the summary; the exit code is non-zero on any
# difference (see tests/hercules/hercules_fuzz.py).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${HERCULES_FUZZ_NO_BUILD:-0} != 1 ]]; then
  { cmake --preset host && cmake --build --preset host -j2 --target volgen; } >/dev/null
  { cmake --preset s390x && cmake --build --preset s390x -j2; } >/dev/null
fi
exec python3 tests/hercules/hercules_fuzz.py "$@"
