#!/usr/bin/env bash
# Install every Debian package ccwboot needs to build, test and run.
#
# Idempotent and quick when nothing is missing: each package is checked with
# dpkg first, and apt-get (update once, then install) runs only for the ones
# that are not installed yet. Written for a clean Debian 12 machine, as root
# (or with sudo available).
#
# Usage: scripts/setup.sh
set -euo pipefail

# One package a line, with the reason it is needed.
packages=(
  cmake                     # build system (presets need 3.25)
  ninja-build               # generator used by every preset
  g++                       # host tools and tests
  git                       # fresh clones, CI
  g++-s390x-linux-gnu       # cross compiler for the firmware image
  binutils-s390x-linux-gnu  # objcopy/readelf for the image
  libgtest-dev              # host unit tests (GoogleTest)
  clang                     # libFuzzer targets
  clang-format              # scripts/check-format.sh (CI fails on a formatting diff)
  clang-tidy                # scripts/check-format.sh --tidy
  libclang-rt-14-dev        # clang's sanitizer and fuzzer runtimes
  python3                   # emulator test harnesses (stdlib only)
  qemu-system-misc          # qemu-system-s390x
  qemu-system-data          # /usr/share/qemu/s390-ccw.img, QEMU's own bios to compare with
  qemu-utils                # qemu-img for disk images
  hercules                  # Hercules 3.13 and dasdinit: real DASD IPL
  qemu-user-static          # runs Debian's s390x zipl on the host (real-zipl disks)
  e2fsprogs                 # mkfs.ext2 for the file system zipl's boot files live on
  binutils                  # readelf for the benchmark
  coreutils                 # timeout
  tmux                      # the boot menu typed into a real terminal (linux.menu.tmux)
)

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for p in "${packages[@]}"; do
  is_installed "$p" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages already installed"
else
  sudo=()
  if [[ $(id -u) != 0 ]]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Further setup steps (one line each), e.g. fetching test inputs into build/.
