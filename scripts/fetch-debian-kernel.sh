#!/bin/bash
# Fetch a real Debian s390x kernel and build a tiny initramfs for the Linux boot tests.
#
# Usage: scripts/fetch-debian-kernel.sh DIR
#
# Leaves in DIR:
#   vmlinuz        the kernel image of Debian's linux-image-<ver>-s390x package
#   initrd.img     a gzip'd newc cpio: static busybox + an /init that prints
#                  "ccwboot-initrd: hello from userspace" and powers off (QEMU exits)
#   kernel-version the package name the kernel came from
#
# The packages are downloaded through apt's multiarch support (apt-get download, no
# install): the s390x architecture is added to dpkg if needed. Idempotent: when DIR
# already holds all three files, nothing is downloaded. Any failure stops the script
# with a message and a non-zero status.
set -euo pipefail
fetch_name=fetch-debian-kernel
. "$(dirname "$0")/fetch-common.sh"
fetch_begin "$@"

if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ] && [ -s "$out/kernel-version" ]; then
  echo "fetch-debian-kernel: cached in $out ($(cat "$out/kernel-version"))"
  exit 0
fi

need_s390x_arch

# The meta package names the current kernel ABI (e.g. linux-image-6.1.0-50-s390x).
kpkg=$(apt-cache depends linux-image-s390x:s390x 2>/dev/null |
       sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-s390x\)\(:s390x\)\?$/\1/p' | head -n1)
if [ -z "$kpkg" ]; then
  as_root apt-get update -q || die "apt-get update failed"
  kpkg=$(apt-cache depends linux-image-s390x:s390x 2>/dev/null |
         sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-s390x\)\(:s390x\)\?$/\1/p' | head -n1)
fi
[ -n "$kpkg" ] || die "cannot find the s390x kernel package (apt-cache depends linux-image-s390x:s390x)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

echo "fetch-debian-kernel: downloading $kpkg:s390x and busybox-static:s390x"
apt_download "$work" -- "$kpkg:s390x" || die "apt-get download $kpkg:s390x failed"
apt_download "$work" -- "busybox-static:s390x" || die "apt-get download busybox-static:s390x failed"

dpkg-deb -x "$work"/"$kpkg"_*_s390x.deb "$work/kernel" || die "cannot unpack $kpkg"
dpkg-deb -x "$work"/busybox-static_*_s390x.deb "$work/busybox" || die "cannot unpack busybox-static"

vmlinuz=$(ls "$work"/kernel/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -n "$vmlinuz" ] || die "no /boot/vmlinuz-* in $kpkg"
[ -x "$work/busybox/bin/busybox" ] || die "no /bin/busybox in busybox-static"

# The initramfs is written by a few lines of Python (newc format) so no cpio tool and no
# root rights are needed for the /dev/console node.
cat >"$work/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox echo "ccwboot-initrd: hello from userspace"
/bin/busybox echo "ccwboot-initrd: cmdline: $(/bin/busybox cat /proc/cmdline)"
/bin/busybox poweroff -f
EOF

python3 - "$work/busybox/bin/busybox" "$work/init" "$work/initrd.cpio" <<'EOF'
import sys

busybox, init, dst = sys.argv[1:4]
ino = [1000]

def entry(name, mode, data=b"", rdev=(0, 0), nlink=1):
    ino[0] += 1
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino[0], mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out

blob = b""
for d in ("dev", "proc", "sys", "bin", "sbin"):
    blob += entry(d, 0o040755, nlink=2)
blob += entry("dev/console", 0o020600, rdev=(5, 1))
blob += entry("bin/busybox", 0o100755, open(busybox, "rb").read())
blob += entry("init", 0o100755, open(init, "rb").read())
blob += entry("TRAILER!!!", 0, nlink=1)
blob += b"\0" * (-len(blob) % 512)
open(dst, "wb").write(blob)
EOF

gzip -9 -n -c "$work/initrd.cpio" >"$work/initrd.img"

install -m 0644 "$vmlinuz" "$out/vmlinuz.tmp"
install -m 0644 "$work/initrd.img" "$out/initrd.img.tmp"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
mv "$out/initrd.img.tmp" "$out/initrd.img"
echo "$kpkg $(basename "$vmlinuz")" >"$out/kernel-version"
echo "fetch-debian-kernel: $out: vmlinuz ($(stat -c %s "$out/vmlinuz") bytes)," \
     "initrd.img ($(stat -c %s "$out/initrd.img") bytes) from $kpkg"
