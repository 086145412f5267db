#!/bin/bash
# Fetch QEMU 10.0 (qemu-system-s390x from bookworm-backports) into a directory,
# next to the system's QEMU 7.2, for the tests that run under both.
#
# Usage: scripts/fetch-qemu10.sh DIR
#
# Leaves in DIR:
#   usr/...                      qemu-system-s390x, qemu-system-common and
#                                qemu-system-data unpacked with dpkg-deb -x
#   bin/qemu-system-s390x        a wrapper that runs usr/bin/qemu-system-s390x
#                                with -L DIR/usr/share/qemu (its own data: keymaps,
#                                its own s390-ccw.img)
#   qemu-version                 the package version, once everything is in place
#
# Nothing is installed and the system's apt sources are not touched: apt runs
# with a private source list (bookworm-backports only), private package lists
# and a private download cache, all under DIR/apt. Idempotent: when DIR holds a
# complete unpack of the pinned version, nothing is downloaded. The binary
# uses Debian 12's libraries (qemu-system-misc brings them, scripts/setup.sh).
# Any failure stops the script with a message and a non-zero status.
set -euo pipefail

version="1:10.0.2+ds-2+deb13u1~bpo12+1"
mirror="http://deb.debian.org/debian"
packages=(qemu-system-s390x qemu-system-common qemu-system-data)

fetch_name=fetch-qemu10
. "$(dirname "$0")/fetch-common.sh"
fetch_begin "$@"

if [ "$(cat "$out/qemu-version" 2>/dev/null)" = "$version" ] && [ -x "$out/bin/qemu-system-s390x" ] &&
   [ -s "$out/usr/share/qemu/s390-ccw.img" ]; then
  echo "fetch-qemu10: cached in $out ($version)"
  exit 0
fi
rm -f "$out/qemu-version"

apt_dir=$out/apt
private_apt "$apt_dir" \
  "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-backports main"

have_debs() {
  local p
  for p in "${packages[@]}"; do
    compgen -G "$apt_dir/debs/${p}_*.deb" >/dev/null || return 1
  done
}

if ! have_debs; then
  echo "fetch-qemu10: downloading ${packages[*]} $version (bookworm-backports)"
  apt-get "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1 ||
    { cat "$apt_dir/update.log" >&2; die "apt-get update of bookworm-backports failed"; }
  apt_download "$apt_dir/debs" "${apt_opts[@]}" -- "${packages[@]/%/=$version}" ||
    die "apt-get download failed (is $version still in bookworm-backports?)"
fi

rm -rf "$out/usr" "$out/bin"
for p in "${packages[@]}"; do
  dpkg-deb -x "$(compgen -G "$apt_dir/debs/${p}_*.deb" | head -n1)" "$out" || die "cannot unpack $p"
done
[ -x "$out/usr/bin/qemu-system-s390x" ] || die "no usr/bin/qemu-system-s390x in the packages"
[ -s "$out/usr/share/qemu/s390-ccw.img" ] || die "no usr/share/qemu/s390-ccw.img in the packages"

mkdir -p "$out/bin"
cat >"$out/bin/qemu-system-s390x" <<EOF
#!/bin/sh
# QEMU $version from bookworm-backports (scripts/fetch-qemu10.sh): its own data directory first.
exec "$out/usr/bin/qemu-system-s390x" -L "$out/usr/share/qemu" "\$@"
EOF
chmod 0755 "$out/bin/qemu-system-s390x"

got=$("$out/bin/qemu-system-s390x" --version | head -n1) || die "the unpacked QEMU does not run"
case $got in
  *"version 10.0"*) ;;
  *) die "unexpected version: $got" ;;
esac
echo "$version" >"$out/qemu-version"
echo "fetch-qemu10: $out: $got"
