// mkdisk: write a bootable raw virtio-blk disk image with a zipl boot map.
//
//   mkdisk -o disk.img [--layout scsi|eckd-cdl|eckd-ldl|iso] [--block-size N] [--size BYTES[K|M]]
//          [--default N] [--volser SERIAL] [--max-blocks-per-pointer N]
//          [--prompt] [--timeout SECONDS]      (ECKD: zipl menu flag and timeout)
//          --entry NAME --kernel VMLINUZ [--initrd FILE] [--parm "console=ttysclp0 ..."]
//                       [--initrd-address ADDR]
//          --entry NAME --raw FILE@ADDR [--raw FILE@ADDR ...] --start ADDR
//          ...
//
// Each --entry starts a boot entry (numbered 1, 2, ... in order); --default N picks
// which one entry 0 (the default, booted with an empty loadparm) repeats.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "disk_layout.h"

using namespace ccwboot::mkdisk;

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "mkdisk: %s\n", msg.c_str());
  std::exit(1);
}

void usage() {
  std::fprintf(stderr,
               "usage: mkdisk -o OUT [--layout scsi|eckd-cdl|eckd-ldl|iso] [--block-size N] "
               "[--size N[K|M]]\n"
               "              [--default N] [--volser SERIAL] [--max-blocks-per-pointer N]\n"
               "              [--prompt] [--timeout SECONDS]\n"
               "              --entry NAME (--kernel F [--initrd F] [--parm TEXT] "
               "[--initrd-address A] | --raw F@ADDR... --start ADDR) ...\n");
  std::exit(2);
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) die("cannot open " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

uint64_t number(const std::string& s) {
  char* end = nullptr;
  uint64_t v = std::strtoull(s.c_str(), &end, 0);
  if (end == s.c_str()) die("not a number: " + s);
  if (*end == 'K' || *end == 'k')
    v <<= 10, ++end;
  else if (*end == 'M' || *end == 'm')
    v <<= 20, ++end;
  if (*end) die("not a number: " + s);
  return v;
}

struct EntryArgs {
  std::string name;
  std::string kernel, initrd, parm;
  uint64_t initrd_address = 0;
  std::vector<std::pair<std::string, uint64_t>> raws;
  bool has_start = false;
  uint64_t start = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::string out, layout = "scsi";
  DiskSpec spec;
  std::vector<EntryArgs> entries;
  uint32_t default_entry = 1;

  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    auto cur = [&]() -> EntryArgs& {
      if (entries.empty()) die(a + " must follow --entry");
      return entries.back();
    };
    if (a == "-o" || a == "--output")
      out = val();
    else if (a == "--layout")
      layout = val();
    else if (a == "--block-size")
      spec.block_size = uint32_t(number(val()));
    else if (a == "--size")
      spec.min_size = number(val());
    else if (a == "--default")
      default_entry = uint32_t(number(val()));
    else if (a == "--volser")
      spec.volser = val();
    else if (a == "--prompt")
      spec.menu_prompt = true;
    else if (a == "--timeout")
      spec.menu_timeout = uint32_t(number(val()));
    else if (a == "--max-blocks-per-pointer")
      spec.max_blocks_per_pointer = uint32_t(number(val()));
    else if (a == "--entry")
      entries.push_back(EntryArgs{val()});
    else if (a == "--kernel")
      cur().kernel = val();
    else if (a == "--initrd")
      cur().initrd = val();
    else if (a == "--parm")
      cur().parm = val();
    else if (a == "--initrd-address")
      cur().initrd_address = number(val());
    else if (a == "--raw") {
      std::string v = val();
      auto at = v.rfind('@');
      if (at == std::string::npos) die("--raw needs FILE@ADDR");
      cur().raws.emplace_back(v.substr(0, at), number(v.substr(at + 1)));
    } else if (a == "--start") {
      cur().has_start = true;
      cur().start = number(val());
    } else
      usage();
  }
  if (out.empty() || entries.empty()) usage();
  if (default_entry < 1 || default_entry > entries.size())
    die("--default must name an entry (1..n)");
  spec.default_index = default_entry - 1;

  std::string error;
  for (const EntryArgs& e : entries) {
    if (layout == "iso") break;
    Program p;
    if (!e.kernel.empty()) {
      LinuxSpec ls{e.name, read_file(e.kernel),
                   e.initrd.empty() ? std::vector<uint8_t>{} : read_file(e.initrd), e.parm,
                   e.initrd_address};
      if (!linux_program(ls, &p, &error)) die(e.kernel + ": " + error);
    } else {
      if (e.raws.empty() || !e.has_start)
        die("entry '" + e.name + "' needs --kernel or --raw/--start");
      p.name = e.name;
      for (const auto& [file, addr] : e.raws) p.components.push_back({read_file(file), addr});
      p.psw = kPswLoad | e.start;
    }
    spec.programs.push_back(std::move(p));
  }

  std::vector<uint8_t> img;
  if (layout == "iso") {
    // One Linux entry: the El Torito image carries kernel, initrd and parameter line.
    const EntryArgs& e = entries.front();
    if (entries.size() != 1 || e.kernel.empty())
      die("--layout iso takes exactly one --kernel entry");
    LinuxSpec ls{e.name, read_file(e.kernel),
                 e.initrd.empty() ? std::vector<uint8_t>{} : read_file(e.initrd), e.parm, 0};
    img = write_iso_image(ls, &error);
    if (!img.empty() && img.size() < spec.min_size) img.resize(spec.min_size);
  } else if (layout == "scsi")
    img = write_scsi_disk(spec, &error);
  else if (layout == "eckd-cdl")
    img = write_eckd_disk(spec, false, &error);
  else if (layout == "eckd-ldl")
    img = write_eckd_disk(spec, true, &error);
  else
    die("unknown layout " + layout + " (scsi, eckd-cdl, eckd-ldl, iso)");
  if (img.empty()) die(error);

  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(img.data()), std::streamsize(img.size()));
  if (!f) die("cannot write " + out);
  std::printf("mkdisk: %s: %s layout, %zu entries, %zu bytes\n", out.c_str(), layout.c_str(),
              entries.size(), img.size());
  return 0;
}
