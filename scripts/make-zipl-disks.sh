#!/bin/bash
# Make the set of real-zipl disks the tests boot, cached in the build tree.
#
# Usage: scripts/make-zipl-disks.sh OUTDIR FLAT2CKD [KERNEL-ASSETS-DIR]
#
# Fetches zipl (scripts/fetch-zipl.sh OUTDIR/zipl) and the kernel and initrd
# (scripts/fetch-debian-kernel.sh, default OUTDIR/../linux-assets), then writes with
# scripts/make-zipl-disk.py, for RELEASE in bookworm (zipl 2.16) and trixie (2.35):
#   OUTDIR/RELEASE-{cdl,ldl,scsi}.img    flat images (what zipl wrote to the loop device)
#   OUTDIR/RELEASE-{cdl,ldl}.3390        the same DASD volumes as Hercules 3390s
#   OUTDIR/RELEASE-cdl-nodiag308.3390    CDL written with the stage-3 patch, console=ttyS0
#                                        and a Hercules-friendly /init (--hercules-linux):
#                                        Linux boots in Hercules 3.13; see make-zipl-disk.py
#   OUTDIR/trixie-cdl-env.{img,3390}     CDL with an environment block (zipl 2.35's
#                                        --environment import; sites 1 and 2)
#   OUTDIR/*.json                        zipl's report for each (sections, load ranges)
# Nothing is redone when OUTDIR/stamp matches the inputs (scripts, kernel, zipl packages).
# Needs root (loop devices, mount), qemu-user-static and flat2ckd (host build).
set -euo pipefail

die() { echo "make-zipl-disks: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: $0 OUTDIR FLAT2CKD [KERNEL-ASSETS-DIR]"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
flat2ckd=$2
assets=${3:-$out/../linux-assets}
[ -x "$flat2ckd" ] || die "no flat2ckd at $flat2ckd (build the host preset)"

exec 9>"$out/.make.lock"
flock 9

"$here/fetch-debian-kernel.sh" "$assets"
"$here/fetch-zipl.sh" "$out/zipl"

stamp=$( (cat "$here/make-zipl-disk.py" "$here/make-zipl-disks.sh" "$assets/kernel-version" \
             "$out"/zipl/*/packages; sha256sum "$flat2ckd" "$assets/initrd.img" | cut -d' ' -f1) |
        sha256sum | cut -d' ' -f1)
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ]; then
  echo "make-zipl-disks: cached in $out"
  exit 0
fi
rm -f "$out/stamp"

make() {  # make NAME RELEASE LAYOUT [ARGS...]
  local name=$1 release=$2 layout=$3
  shift 3
  python3 "$here/make-zipl-disk.py" --zipl-dir "$out/zipl" --assets "$assets" \
    --release "$release" --layout "$layout" -o "$out/$name.img" \
    --report "$out/$name.json" --flat2ckd "$flat2ckd" "$@"
}

t0=$SECONDS
for release in bookworm trixie; do
  make "$release-cdl" "$release" cdl --ckd "$out/$release-cdl.3390"
  make "$release-ldl" "$release" ldl --ckd "$out/$release-ldl.3390"
  make "$release-scsi" "$release" scsi
  make "$release-cdl-nodiag308" "$release" cdl --no-diag308 --hercules-linux --ckd "$out/$release-cdl-nodiag308.3390"
  rm -f "$out/$release-cdl-nodiag308.img"  # only its 3390 is used
done
# zipl 2.35's environment block: a common namespace and sites 1 and 2, named in the
# parameter line as ${NAME} (make-zipl-disk.py --environment).
make trixie-cdl-env trixie cdl --environment --ckd "$out/trixie-cdl-env.3390"
echo "$stamp" >"$out/stamp"
echo "make-zipl-disks: $out ready ($((SECONDS - t0)) s for the disks)"
