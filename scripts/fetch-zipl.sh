#!/bin/bash
# Fetch Debian's real zipl for s390x, two releases, to run under qemu-user.
#
# Usage: scripts/fetch-zipl.sh DIR
#
# Leaves in DIR, for RELEASE in bookworm (s390-tools 2.16) and trixie (2.35):
#   RELEASE/root/      s390-tools and a C library unpacked (dpkg-deb -x): zipl and
#                      its stage3.bin, run as `qemu-s390x-static -L ROOT ROOT/.../zipl`
#   RELEASE/zipl       the path of zipl inside root/ (sbin/zipl or usr/sbin/zipl)
#   RELEASE/packages   the package names and versions unpacked
#
# bookworm comes from the machine's own apt sources (the s390x architecture is added
# to dpkg if needed, as scripts/fetch-debian-kernel.sh does). trixie comes through a
# source list of its own, used only for this download: its package lists and apt
# cache live in DIR/trixie/apt and the machine's apt state is not touched.
#
# zipl 2.35 needs glibc 2.38 or later. libc6:s390x of trixie is tried first; when the
# mirror does not serve it (seen here: its current version was missing from the
# pool), Debian's cross-toolchain copy of the same glibc, libc6-s390x-cross
# (architecture all, /usr/s390x-linux-gnu/lib), is used: root/lib then points there.
#
# Idempotent: a release whose RELEASE/packages exists is not fetched again. Needs
# root for the first run (dpkg --add-architecture, apt-get update), like
# fetch-debian-kernel.sh.
set -euo pipefail
fetch_name=fetch-zipl
. "$(dirname "$0")/fetch-common.sh"
fetch_begin "$@"

unpack() {
  local root=$1
  shift
  local deb
  for deb in "$@"; do
    dpkg-deb -x "$deb" "$root" || die "cannot unpack $deb"
  done
}

record() {  # record RELEASE-DIR DEB...: package names and versions, and zipl's path
  local dir=$1
  shift
  local deb
  for deb in "$@"; do
    dpkg-deb -W --showformat='${Package} ${Version} ${Architecture}\n' "$deb"
  done >"$dir/packages.tmp"
  if [ -x "$dir/root/usr/sbin/zipl" ]; then
    echo usr/sbin/zipl >"$dir/zipl"
  elif [ -x "$dir/root/sbin/zipl" ]; then
    echo sbin/zipl >"$dir/zipl"
  else
    die "no zipl in $dir/root"
  fi
  [ -n "$(find "$dir/root" -name stage3.bin -print -quit)" ] || die "no stage3.bin in $dir/root"
  mv "$dir/packages.tmp" "$dir/packages"
  echo "fetch-zipl: $dir: $(paste -sd';' "$dir/packages")"
}

fetch_bookworm() {
  local dir=$out/bookworm
  [ -s "$dir/packages" ] && { echo "fetch-zipl: cached $dir"; return; }
  need_s390x_arch
  rm -rf "$dir"
  mkdir -p "$dir/debs"
  if ! apt_download "$dir/debs" -- s390-tools:s390x libc6:s390x; then
    as_root apt-get update -q || die "apt-get update failed"
    apt_download "$dir/debs" -- s390-tools:s390x libc6:s390x || die "apt-get download failed (bookworm)"
  fi
  unpack "$dir/root" "$dir"/debs/*.deb
  record "$dir" "$dir"/debs/*.deb
  rm -rf "$dir/debs"
}

fetch_trixie() {
  local dir=$out/trixie
  [ -s "$dir/packages" ] && { echo "fetch-zipl: cached $dir"; return; }
  rm -rf "$dir"
  private_apt "$dir/apt" "deb [arch=s390x] http://deb.debian.org/debian trixie main"
  local opts=("${apt_opts[@]}" -o "APT::Architecture=s390x" -o "APT::Architectures=s390x")
  chmod -R 0777 "$dir/apt"
  echo "fetch-zipl: reading trixie's package lists (source list $dir/apt/sources.list)"
  apt-get "${opts[@]}" update >"$dir/apt/update.log" 2>&1 ||
    { cat "$dir/apt/update.log" >&2; die "apt-get update for trixie failed"; }
  apt_download "$dir/debs" "${opts[@]}" -- s390-tools:s390x || die "apt-get download s390-tools (trixie) failed"
  if apt_download "$dir/debs" "${opts[@]}" -- libc6:s390x; then
    unpack "$dir/root" "$dir"/debs/*.deb
    # trixie's packages are /usr-merged: /lib is base-files' symlink, not in the debs.
    [ -e "$dir/root/lib" ] || ln -s usr/lib "$dir/root/lib"
  else
    echo "fetch-zipl: libc6:s390x of trixie is not downloadable; using libc6-s390x-cross (same glibc)"
    apt_download "$dir/debs" "${opts[@]}" -- libc6-s390x-cross || die "apt-get download libc6-s390x-cross failed"
    unpack "$dir/root" "$dir"/debs/*.deb
    [ -e "$dir/root/usr/s390x-linux-gnu/lib/ld64.so.1" ] || die "libc6-s390x-cross has no ld64.so.1"
    [ -e "$dir/root/lib" ] || ln -s usr/s390x-linux-gnu/lib "$dir/root/lib"
  fi
  record "$dir" "$dir"/debs/*.deb
  rm -rf "$dir/debs" "$dir/apt/cache"
}

fetch_bookworm
fetch_trixie
