# Sourced by scripts/fetch-*.sh: what every script that downloads Debian
# packages into a directory (apt-get download + dpkg-deb -x, nothing installed)
# does the same way. Set `fetch_name` first; it prefixes every message.
#
#   fetch_begin "$@"         the one DIR argument, made absolute in $out, and
#                            DIR/.fetch.lock held: tests may ask at once (ctest
#                            -j), one fetches, the others wait
#   die MESSAGE              print "<fetch_name>: MESSAGE" and exit 1
#   as_root CMD...           CMD as root (sudo unless already root)
#   need_s390x_arch          dpkg --add-architecture s390x, if not there yet
#   private_apt DIR LINE     apt_opts=(...): apt with the one source LINE and its
#                            own lists and cache under DIR; the machine's apt
#                            state is neither read nor changed
#   apt_download DEST APT-OPTION... -- PACKAGE...
#                            apt-get download into DEST

die() { echo "$fetch_name: $*" >&2; exit 1; }

fetch_begin() {
  [ $# -eq 1 ] || die "usage: $0 DIR"
  out=$1
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  exec 9>"$out/.fetch.lock"
  flock 9
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need_s390x_arch() {
  dpkg --print-foreign-architectures | grep -qx s390x && return 0
  echo "$fetch_name: adding the s390x architecture to dpkg"
  as_root dpkg --add-architecture s390x
  as_root apt-get update -q || die "apt-get update failed"
}

private_apt() {
  local dir=$1 line=$2
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  echo "$line" >"$dir/sources.list"
  apt_opts=(-q -o "Dir::Etc::SourceList=$dir/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
            -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
            -o "Debug::NoLocking=1")
}

apt_download() {
  local dest=$1
  shift
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  mkdir -p "$dest"
  # apt-get download runs as the _apt user when root; give it a directory it can write.
  chmod 0777 "$dest"
  (cd "$dest" && apt-get "${opts[@]}" download -q "$@")
}
