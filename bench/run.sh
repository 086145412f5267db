#!/usr/bin/env bash
# ccwboot benchmarks (not tests): image size, QEMU start-to-wait time, start-
# subchannel operations per DASD IPL, Hercules IPL wall time, Debian kernel
# boot time, network boot time and TFTP throughput; each side by side with its
# peer (QEMU's own s390-ccw.img, Hercules' native IPL); then the QEMU start
# and Debian boot sections again under QEMU 10.0 next to its own bios.
#
# Usage: bench/run.sh [--runs N] [--only size,qemu,starts,hercules,linux,netboot] [--shapes a,b|good|bad|all]
#
# Builds the image (preset s390x), mkdasd, mkdisk and dasd_ipl_stats (preset
# host) and fetches the Debian kernel first. Results of a recorded run are in
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
cmake --preset s390x >/dev/null && cmake --build --preset s390x -j 2 >/dev/null
cmake --preset host >/dev/null && cmake --build --preset host -j 2 --target mkdasd mkdisk dasd_ipl_stats >/dev/null
scripts/fetch-debian-kernel.sh build/host/linux-assets >/dev/null
scripts/fetch-qemu10.sh build/host/qemu10 >/dev/null
python3 bench/ipl_bench.py "$@"
# The QEMU sections again under QEMU 10.0, next to QEMU 10's own bios.
echo
echo "=== QEMU 10.0 (bookworm-backports, scripts/fetch-qemu10.sh) ==="
CCWBOOT_QEMU=build/host/qemu10/bin/qemu-system-s390x \
CCWBOOT_QEMU_BIOS=build/host/qemu10/usr/share/qemu/s390-ccw.img \
  python3 bench/ipl_bench.py "$@" --only qemu,linux,netboot
