#!/usr/bin/env bash
# Boot a real Debian s390x kernel through ccwboot under QEMU (TCG), on the
# console, from a disk made with mkdisk (zipl SCSI scheme, two entries:
# 1 "debian", 2 "rescue"; their command lines differ in ccwboot.entry=N).
#
# Usage: tests/linux/boot_debian.sh [--bios IMG] [--loadparm N|PROMPT] [--menu MS]
#                                   [-- extra qemu args]
#   --bios      firmware image (default build/s390x/ccwboot.img; give
#               /usr/share/qemu/s390-ccw.img to compare with QEMU's own)
#   --loadparm  entry number or PROMPT (menu until answered)
#   --menu MS   -boot menu=on,splash-time=MS (type a number and Enter to choose)
#   --mkdisk, --assets  other mkdisk binary / kernel cache directory
#
# Needs the s390x and host builds (build/s390x, build/host: scripts/run.sh or
# scripts/test.sh make them). The kernel is downloaded once into
# build/host/linux-assets (scripts/fetch-debian-kernel.sh). The initrd prints
# "ccwboot-initrd: hello from userspace" and its command line, then powers
# off, which ends QEMU. Ctrl-A X quits earlier.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
bios=$root/build/s390x/ccwboot.img
mkdisk=$root/build/host/tools/mkdisk/mkdisk
assets=$root/build/host/linux-assets
loadparm=""
menu=""
extra=()
while (($#)); do
  case "$1" in
    --bios) bios=$2; shift 2 ;;
    --loadparm) loadparm=$2; shift 2 ;;
    --menu) menu=$2; shift 2 ;;
    --mkdisk) mkdisk=$2; shift 2 ;;
    --assets) assets=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "boot_debian: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

[ -f "$bios" ] || { echo "boot_debian: no firmware image $bios (build the s390x preset)" >&2; exit 1; }
[ -x "$mkdisk" ] || { echo "boot_debian: no $mkdisk (build the host preset)" >&2; exit 1; }
scripts/fetch-debian-kernel.sh "$assets"

mkdir -p build/run
disk=build/run/debian.img
"$mkdisk" -o "$disk" \
  --entry debian --kernel "$assets/vmlinuz" --initrd "$assets/initrd.img" \
    --parm "console=ttysclp0 ccwboot.entry=1" \
  --entry rescue --kernel "$assets/vmlinuz" --initrd "$assets/initrd.img" \
    --parm "console=ttysclp0 ccwboot.entry=2" \
  --default 1

machine=s390-ccw-virtio
[ -n "$loadparm" ] && machine+=",loadparm=$loadparm"
boot=()
[ -n "$menu" ] && boot=(-boot "menu=on,splash-time=$menu")
set -x
exec qemu-system-s390x -M "$machine" -nodefaults -nographic -no-reboot -m 512 \
  -bios "$bios" -chardev stdio,id=c0 -device sclpconsole,chardev=c0 \
  -d guest_errors "${boot[@]}" \
  -drive "file=$disk,if=none,format=raw,id=d0" \
  -device virtio-blk-ccw,drive=d0,devno=fe.0.0001,bootindex=1 "${extra[@]}"
