// Writes the seed corpora of the boot-map fuzz targets with mkdisk's writers:
// small SCSI-scheme disks (512- and 4096-byte blocks), ECKD CDL disks (with
// and without a menu prompt) and an ISO 9660 El Torito image, in
// disk_input.h's encoding. The programs are tiny stand-ins (a few hundred
// bytes per component), so the seeds stay small.
//
// Usage: make_boot_map_seeds CORPUS_DIR   (writes CORPUS_DIR/{zipl_scsi,zipl_eckd,iso9660}/*)
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "disk_input.h"
#include "disk_layout.h"

using namespace ccwboot;

namespace {

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7);
  return v;
}

mkdisk::DiskSpec spec(uint32_t block_size) {
  mkdisk::DiskSpec s;
  s.block_size = block_size;
  s.max_blocks_per_pointer = 2;
  mkdisk::Program a{"linux",
                    {{pattern(1500, 1), 0x10000}, {pattern(300, 2), 0x20000}},
                    mkdisk::kPswLoad | 0x10000};
  mkdisk::Program b{"rescue", {{pattern(700, 3), 0x30000}}, mkdisk::kPswLoad | 0x30000};
  s.programs = {a, b};
  s.default_index = 0;
  return s;
}

bool write(const std::string& dir, const std::string& name, const std::vector<uint8_t>& image,
           uint32_t block_size, bool eckd, uint32_t entry, size_t* total) {
  if (image.empty()) return false;
  const auto bytes = fuzz::encode_disk_input(image, block_size, eckd, entry);
  const std::string path = dir + "/" + name;
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  std::printf("%-50s %7zu bytes (image %zu)\n", path.c_str(), bytes.size(), image.size());
  *total += bytes.size();
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const std::string root = argv[1];
  std::string error;
  size_t total = 0;
  bool ok = true;

  for (uint32_t bs : {512u, 4096u}) {
    auto img = mkdisk::write_scsi_disk(spec(bs), &error);
    ok &= write(root + "/zipl_scsi", "scsi-" + std::to_string(bs), img, bs, false, 0, &total);
    ok &= write(root + "/zipl_scsi", "scsi-" + std::to_string(bs) + "-entry2", img, bs, false, 2,
                &total);
  }

  mkdisk::DiskSpec eckd = spec(4096);
  auto img = mkdisk::write_eckd_cdl_disk(eckd, &error);
  ok &= write(root + "/zipl_eckd", "cdl", img, 4096, false, 0, &total);
  ok &= write(root + "/zipl_eckd", "cdl-geometry-entry1", img, 4096, true, 1, &total);
  eckd.menu_prompt = true;
  eckd.menu_timeout = 5;
  img = mkdisk::write_eckd_cdl_disk(eckd, &error);
  ok &= write(root + "/zipl_eckd", "cdl-menu", img, 4096, true, 2, &total);

  mkdisk::LinuxSpec linux_spec;
  linux_spec.name = "install";
  linux_spec.kernel.assign(mkdisk::kParmCommandLine + 0x100, 0);
  for (size_t i = 0; i < 64; ++i)
    linux_spec.kernel[mkdisk::kKernelLoadAddress + i] = static_cast<uint8_t>(0x40 + i);
  std::memcpy(&linux_spec.kernel[mkdisk::kEntrySignature], "S390EP", 6);
  linux_spec.initrd = pattern(400, 9);
  linux_spec.parmline = "root=/dev/ram0 console=ttysclp0";
  img = mkdisk::write_iso_image(linux_spec, &error);
  ok &= write(root + "/iso9660", "eltorito-2048", img, 2048, false, 0, &total);
  ok &= write(root + "/iso9660", "eltorito-512", img, 512, false, 0, &total);

  if (!ok)
    std::fprintf(stderr, "make_boot_map_seeds: %s\n",
                 error.empty() ? "write failed" : error.c_str());
  std::printf("%zu bytes in all\n", total);
  return ok ? 0 : 1;
}
