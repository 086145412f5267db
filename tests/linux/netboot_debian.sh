#!/usr/bin/env bash
# Network-boot a real Debian s390x kernel through ccwboot under QEMU (TCG), on
# the console: QEMU's user network answers DHCP and serves build/run/tftp over
# TFTP, which holds the kernel, the initrd and a pxelinux.cfg with two labels
# (1 "debian", 2 "rescue"; their command lines differ in ccwboot.entry=N).
#
# Usage: tests/linux/netboot_debian.sh [--bios IMG] [--loadparm N|PROMPT]
#                                      [--bootfile pxe.cfg|vmlinuz|debian.ins]
#                                      [--qemu BIN] [-- extra qemu args]
#   --bios      firmware image (default build/s390x/ccwboot.img; give
#               /usr/share/qemu/s390-ccw.img to compare with QEMU's own)
#   --loadparm  pxelinux entry number, or PROMPT (menu until answered)
#   --bootfile  what DHCP names: the pxelinux.cfg (default), the kernel alone,
#               or a .INS load list
#   --qemu      qemu-system-s390x binary (e.g. QEMU 10's; its data dir is
#               passed with -L when it has one next to it)
#   --peer      DHCP, DNS and TFTP from tests/linux/net_peer.py instead of
#               QEMU's user network: option 66 is the host name
#               boot.example.test (resolved by DNS), blksize 1468 and
#               windowsize 16 are granted; its log goes to build/run/net-peer.log
#               and is summed up at the end
#
# The kernel is downloaded once into build/host/linux-assets
# (scripts/fetch-debian-kernel.sh). Ctrl-A X quits.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
bios=$root/build/s390x/ccwboot.img
assets=$root/build/host/linux-assets
qemu=qemu-system-s390x
loadparm=""
bootfile=pxe.cfg
peer=0
extra=()
while (($#)); do
  case "$1" in
    --bios) bios=$2; shift 2 ;;
    --loadparm) loadparm=$2; shift 2 ;;
    --bootfile) bootfile=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --assets) assets=$2; shift 2 ;;
    --peer) peer=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "netboot_debian: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

[ -f "$bios" ] || { echo "netboot_debian: no firmware image $bios (build the s390x preset)" >&2; exit 1; }
scripts/fetch-debian-kernel.sh "$assets"

tftp=$root/build/run/tftp
mkdir -p "$tftp"
cp -f "$assets/vmlinuz" "$assets/initrd.img" "$tftp/"
cat >"$tftp/pxe.cfg" <<CFG
# pxelinux.cfg for scripts/run.sh netboot
default debian
label debian
  kernel vmlinuz
  initrd initrd.img
  append console=ttysclp0 ccwboot.entry=1
label rescue
  kernel vmlinuz
  initrd initrd.img
  append console=ttysclp0 ccwboot.entry=2
CFG
ksize=$(stat -c %s "$assets/vmlinuz")
isize=$(stat -c %s "$assets/initrd.img")
iaddr=$(( ((ksize + 0xfffff) & ~0xfffff) + 0x100000 ))
printf 'console=ttysclp0 ccwboot.entry=3\0' >"$tftp/parmfile"
python3 -c "import struct,sys; open(sys.argv[1],'wb').write(struct.pack('>Q',int(sys.argv[2])))" "$tftp/initrd.off" "$iaddr"
python3 -c "import struct,sys; open(sys.argv[1],'wb').write(struct.pack('>Q',int(sys.argv[2])))" "$tftp/initrd.siz" "$isize"
printf '* Debian GNU/Linux for S/390 (netboot demo)\nvmlinuz 0x00000000\nparmfile 0x00010480\ninitrd.img 0x%08x\ninitrd.off 0x00010408\ninitrd.siz 0x00010410\n' "$iaddr" >"$tftp/debian.ins"

machine=s390-ccw-virtio
[ -n "$loadparm" ] && machine="$machine,loadparm=$loadparm"
data=()
qdir=$(dirname "$(dirname "$(command -v "$qemu" || echo "$qemu")")")
[ -d "$qdir/share/qemu" ] && [ "$qemu" != qemu-system-s390x ] && data=(-L "$qdir/share/qemu")
net=(-netdev "user,id=n0,tftp=$tftp,bootfile=$bootfile"
     -device virtio-net-ccw,netdev=n0,devno=fe.0.0002,bootindex=1)
if ((peer)); then
  sock=$root/build/run/net-peer.sock
  log=$root/build/run/net-peer.log
  python3 tests/linux/net_peer.py --socket "$sock" --root "$tftp" --bootfile "$bootfile" \
    --server-name boot.example.test >"$log" 2>&1 &
  peer_pid=$!
  trap 'kill "$peer_pid" 2>/dev/null; wait "$peer_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
  net=(-netdev "stream,id=n0,server=off,addr.type=unix,addr.path=$sock"
       -device virtio-net-ccw,netdev=n0,devno=fe.0.0002,mac=52:54:00:12:34:56,bootindex=1)
fi
cmd=("$qemu" "${data[@]}" -M "$machine" -nodefaults -nographic -no-reboot -m 512 -bios "$bios"
     -chardev stdio,id=c0 -device sclpconsole,chardev=c0 -d guest_errors "${net[@]}" "${extra[@]}")
echo "${cmd[*]}"
if ((peer)); then
  rc=0
  "${cmd[@]}" || rc=$?
  echo "== what net_peer.py saw ($log)"
  grep -E "dns |rrq |tftp " "$log" || true
  exit "$rc"
fi
exec "${cmd[@]}"
