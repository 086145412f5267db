#!/usr/bin/env bash
# Build ccwboot and boot a real guest with it.
#
# Usage: scripts/run.sh [COMMAND] [ARGS]
#
#   all                     (default) debian, then hercules-zipl
#   debian [ARGS]           boot a real Debian s390x kernel through ccwboot
#                           under QEMU TCG from a virtio-blk-ccw disk with a
#                           zipl boot map (mkdisk); the kernel comes from
#                           Debian's archive, the initrd prints a marker and
#                           powers off. ARGS go to tests/linux/boot_debian.sh
#                           (--loadparm N|PROMPT, --menu MS, --bios IMG)
#   hercules-dasd [SHAPE]   make a 3390 volume with mkdasd (shape
#                           zipl3 unless given; `mkdasd --help` lists them),
#                           IPL it through ccwboot in Hercules, show the
#                           console and the PSW the loaded program ends in,
#                           next to a native Hercules IPL of the same volume
#   netboot [ARGS]          network-boot the same Debian kernel through ccwboot
#                           under QEMU TCG over virtio-net-ccw: DHCP and TFTP
#                           from QEMU's user network, a pxelinux.cfg with two
#                           entries. ARGS go to tests/linux/netboot_debian.sh
#                           (--loadparm N|PROMPT, --bootfile vmlinuz|debian.ins,
#                           --bios IMG, --qemu BIN, --peer: DHCP/DNS/TFTP from
#                           tests/linux/net_peer.py with option 66 a host name
#                           and TFTP windows)
#   hercules-zipl [RELEASE] IPL a 3390 written by Debian's real zipl (bookworm: 2.16,
#                           trixie: 2.35; scripts/make-zipl-disks.sh) in Hercules,
#                           natively and through ccwboot: both stop at the same
#                           stage-3 PSW (Hercules 3.13 has no diag 308) with the
#                           same memory over every range zipl loaded
#   hercules-linux [--native]
#                           boot Debian in Hercules from the real-zipl 3390 (stage 3
#                           patched) through ccwboot (or natively): kernel banner,
#                           the initrd's marker and command line, with times.
#                           Slow: minutes of interpreted kernel start-up
#   qemu-virtio             boot ccwboot under QEMU TCG (-bios) with a blank
#                           virtio-blk-ccw disk and show its console
#
# Installs missing packages first (scripts/setup.sh), then builds with the
# presets (build/s390x for the image, build/host for mkdasd). Run files go
# to build/run/.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
run_dir=$root/build/run
jobs=2

build_image() {
  echo "== building the image (preset s390x)"
  cmake --preset s390x >/dev/null
  cmake --build --preset s390x -j "$jobs"
}

build_host_target() {
  echo "== building $1 (preset host)"
  cmake --preset host >/dev/null
  cmake --build --preset host -j "$jobs" --target "$1"
}

hercules_dasd() {
  local shape=${1:-zipl3}
  build_image
  build_host_target mkdasd
  mkdir -p "$run_dir"
  local volume=$run_dir/$shape.3390
  local mkdasd
  mkdasd=$(find "$root/build/host/tools" -type f -name mkdasd -perm -u+x | head -n 1)
  [[ -n $mkdasd ]] || { echo "mkdasd was not built"; exit 1; }
  "$mkdasd" --shape "$shape" -o "$volume"
  echo
  echo "== ccwboot IPLs $volume in Hercules (ipl build/s390x/ccwboot.ins)"
  local boot native
  boot=$(python3 tests/hercules/hercules_run.py --volume "$volume" \
           --ipl "$root/build/s390x/ccwboot.ins" --show-log) || true
  echo "$boot"
  echo
  echo "== for comparison: Hercules' own IPL of the same volume (ipl 0120)"
  native=$(python3 tests/hercules/hercules_run.py --volume "$volume" --ipl 0120) || true
  grep -E '^(outcome|PSW)' <<<"$native"
  local a b
  a=$(grep '^PSW: ' <<<"$boot" | grep -o 'address 0x[0-9a-f]*')
  b=$(grep '^PSW: ' <<<"$native" | grep -o 'address 0x[0-9a-f]*')
  echo
  if [[ -n $a && $a == "$b" ]]; then
    echo "ccwboot and Hercules' own IPL end at the same PSW ($a)"
  else
    echo "ccwboot ended at ${a:-no wait PSW}, Hercules' own IPL at ${b:-no wait PSW}"
    return 1
  fi
}

zipl_disks() {
  build_image
  build_host_target flat2ckd
  echo "== real-zipl disks (scripts/make-zipl-disks.sh; needs root for loop devices)"
  scripts/make-zipl-disks.sh "$root/build/host/zipl-disks" \
    "$root/build/host/tools/flat2ckd/flat2ckd" "$root/build/host/linux-assets"
}

hercules_zipl() {
  local release=${1:-bookworm}
  zipl_disks
  local d=$root/build/host/zipl-disks/$release-cdl
  echo
  echo "== $release's zipl, CDL 3390: native IPL and ccwboot's IPL in Hercules"
  python3 tests/hercules/zipl_suite.py stage3 --disk "$d.3390" --report "$d.json" \
    --ins "$root/build/s390x/ccwboot.ins" --assets "$root/build/host/linux-assets"
}

hercules_linux() {
  zipl_disks
  local d=$root/build/host/zipl-disks/bookworm-cdl-nodiag308
  echo
  echo "== Debian boots in Hercules from the real-zipl 3390 (this takes minutes)"
  python3 tests/hercules/zipl_suite.py linux --disk "$d.3390" --report "$d.json" \
    --ins "$root/build/s390x/ccwboot.ins" --timeout 1800 "$@"
}

debian() {
  build_image
  build_host_target mkdisk
  echo
  echo "== ccwboot boots Debian under QEMU TCG (tests/linux/boot_debian.sh)"
  # Bounded: the initrd powers off, which ends QEMU; a hang must not.
  timeout 300 tests/linux/boot_debian.sh "$@" </dev/null
}

netboot() {
  build_image
  echo
  echo "== ccwboot network-boots Debian under QEMU TCG (tests/linux/netboot_debian.sh)"
  timeout 300 tests/linux/netboot_debian.sh "$@" </dev/null
}

qemu_virtio() {
  build_image
  mkdir -p "$run_dir"
  local disk=$run_dir/blank-virtio.img
  rm -f "$disk"
  truncate -s 10M "$disk"
  echo
  echo "== ccwboot under QEMU with a blank virtio-blk-ccw disk (Ctrl-A X quits)"
  local cmd=(qemu-system-s390x -M s390-ccw-virtio -nodefaults -nographic -no-reboot -m 256
             -bios "$root/build/s390x/ccwboot.img"
             -chardev stdio,id=c0 -device sclpconsole,chardev=c0 -d guest_errors
             -drive "file=$disk,if=none,format=raw,id=d0"
             -device virtio-blk-ccw,drive=d0,devno=fe.0.0001)
  echo "${cmd[*]}"
  timeout 60 "${cmd[@]}" </dev/null
}

command=${1:-all}
[[ $# -gt 0 ]] && shift
case $command in
  all) scripts/setup.sh; debian; hercules_zipl ;;
  hercules-zipl) scripts/setup.sh; hercules_zipl "$@" ;;
  hercules-linux) scripts/setup.sh; hercules_linux "$@" ;;
  debian) scripts/setup.sh; debian "$@" ;;
  hercules-dasd) scripts/setup.sh; hercules_dasd "$@" ;;
  netboot) scripts/setup.sh; netboot "$@" ;;
  qemu-virtio) scripts/setup.sh; qemu_virtio "$@" ;;
  -h|--help|help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) echo "unknown command: $command (try: $0 --help)"; exit 2 ;;
esac
