#!/usr/bin/env bash
# Check that every C++ file in the repository is formatted as .clang-format
# says; print the diff of each one that is not and exit 1.
#
# Usage: scripts/check-format.sh          check (a CI step)
#        scripts/check-format.sh --fix    reformat the files in place
#        scripts/check-format.sh --tidy   also run clang-tidy (.clang-tidy) over
#                                         src/core and src/lib with build/host's
#                                         compile commands (configure the host
#                                         preset first); any finding fails
set -uo pipefail
cd "$(dirname "$0")/.."

mode=${1:-check}
format=${CLANG_FORMAT:-clang-format}
command -v "$format" >/dev/null || { echo "check-format: $format not installed (scripts/setup.sh)"; exit 2; }

mapfile -t files < <(git ls-files '*.cc' '*.h' '*.cpp')
if [[ $mode == --fix ]]; then
  "$format" -i "${files[@]}"
  exit 0
fi

bad=0
for f in "${files[@]}"; do
  if ! diff -u --label "$f" --label "$f (clang-format)" "$f" <("$format" "$f"); then
    bad=$((bad + 1))
  fi
done
if ((bad)); then
  echo "check-format: $bad of ${#files[@]} files differ from .clang-format; run scripts/check-format.sh --fix"
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"

if [[ $mode == --tidy ]]; then
  [[ -f build/host/compile_commands.json ]] || { echo "check-format: configure the host preset first"; exit 2; }
  # The portable code the host build compiles (the platform is s390x-only).
  mapfile -t portable < <(git ls-files 'src/core/*.cc' 'src/lib/*.cc' | while read -r f; do
    grep -q "\"file\": \"$PWD/$f\"" build/host/compile_commands.json && echo "$f"
  done)
  clang-tidy -p build/host --quiet "${portable[@]}" || exit 1
  echo "check-format: clang-tidy found nothing in ${#portable[@]} files"
fi
