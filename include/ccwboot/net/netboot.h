// Network boot, portable part: DHCP, then what QEMU's bios would load over
// TFTP, put into guest memory, with the start PSW to hand off to.
//
//   bootfile ending in '/'      a pxelinux.cfg directory: the machine's
//                               UUID (when it has one), 01-<mac>, the
//                               address in hex (8 digits, then shorter
//                               prefixes), then "default"
//   else the bootfile, loaded at 0:
//     starts with "# pxelinux"  a pxelinux.cfg: its entries are a boot menu
//                               (loadparm, -boot menu), the chosen entry's
//                               kernel, initrd and append line are loaded
//     starts with "* "          a .INS load list
//     anything else             a kernel: Linux ("S390EP" at 0x10008, entry
//                               0x10000) or an image with an IPL PSW at 0
//   bootfile not found          the pxelinux.cfg/ directory lookup, as QEMU's bios
//
// Linux images: kernel at 0, initrd at the next 4 KiB boundary after it, its
// address and size at 0x10408/0x10410, the append line at 0x10480 (as long as
// the kernel's header at 0x10430 allows, 895 characters for older kernels;
// menu/kernel_cmdline.h), as QEMU's bios leaves them.
// Every byte goes through a GuestSink that checks it against the end of
// storage and the caller's reserved ranges (the firmware) before it is stored.
#pragma once

#include "ccwboot/boot/boot_select.h"
#include "ccwboot/guest_memory.h"
#include "ccwboot/net/dhcp.h"
#include "ccwboot/net/ins.h"
#include "ccwboot/net/pxelinux.h"
#include "ccwboot/net/tftp.h"
#include "ccwboot/zipl/boot_map.h"

namespace ccwboot::net {

inline constexpr u64 kLinuxInitrdStart = 0x10408;
inline constexpr u64 kLinuxInitrdSize = 0x10410;
inline constexpr u64 kLinuxCommandLine = 0x10480;
inline constexpr u64 kLinuxPsw = 0x0008000080010000ULL;

// Checks each write against storage and reserved ranges.
class GuestSink final : public TftpSink {
 public:
  GuestSink(GuestMemory& mem, const zipl::LoadLimits& limits, u64 base)
      : mem_(mem), limits_(limits), base_(base) {}
  WaitCode expect(u64 total) override;
  WaitCode write(u64 offset, const u8* data, u32 len) override;

 private:
  GuestMemory& mem_;
  const zipl::LoadLimits& limits_;
  u64 base_;
};

// [addr, addr+len) inside storage and outside every reserved range?
// kNetLoadOutsideMemory / kNetLoadReserved (logged) otherwise.
WaitCode check_load_range(u64 addr, u64 len, GuestMemory& mem, const zipl::LoadLimits& limits);

struct NetBootParams {
  const char* loadparm = "        ";  // 8 characters
  virtio::MenuRequest menu_request;
  // Shows the menu and returns the entry chosen (0 = default), and in *edit
  // whether the owner asked to edit its append line first. Null: no console
  // input, the selection's entry is taken.
  u32 (*choose)(const virtio::Selection& sel, const zipl::BootMenu& menu, bool* edit) = nullptr;
  // The boot menu across devices has chosen already (pxelinux.cfg entry
  // forced_entry, 0 = the default; forced_edit: with `e`): no loadparm
  // selection and no menu here.
  bool forced = false;
  u32 forced_entry = 0;
  bool forced_edit = false;
  // Opens the chosen entry's append line, already where the loaded kernel
  // reads it (0x10480), in the line editor. True: boot (edited or not);
  // false: back to the menu (choose). Null: no editing.
  bool (*edit)(u32 entry, const char* label) = nullptr;
  zipl::LoadLimits limits;
  u32 xid = 0x63637762;  // DHCP transaction id; vary it per boot
  u8 uuid[16] = {};      // the machine's UUID (SYSIB 3.2.2), for the pxelinux.cfg/ lookup
  bool has_uuid = false;
  u32 dhcp_ms = 8000;  // DHCP gives up after this
  u32 dns_ms = 6000;   // resolving option 66's host name gives up after this
  TftpOptions tftp;
};

struct NetBootResult {
  u64 psw = 0;          // ESA/390 short PSW to start (mask | address)
  u32 files = 0;        // files downloaded
  u64 bytes = 0;        // bytes downloaded
  u64 tftp_micros = 0;  // time spent in TFTP transfers
  u64 kernel_end = 0;   // first byte after the kernel (and initrd, when loaded)
  char what[16] = {};   // "kernel", "pxelinux.cfg", ".INS"
  u32 entry = 0;        // pxelinux.cfg: the entry booted (1-based label number)
  char label[zipl::kMaxNameLength + 1] = {};  // and its label
};

class NetBoot {
 public:
  NetBoot(Stack& stack, GuestMemory& mem, const NetBootParams& params)
      : st_(stack), mem_(mem), p_(params) {}

  WaitCode run(NetBootResult* out);

  // For the boot menu across devices, before anything may be loaded: DHCP,
  // then the boot file (or the pxelinux.cfg/ lookup) into the firmware's own
  // buffer, never guest memory; a pxelinux.cfg's labels become `menu`. A boot
  // file that is not a pxelinux.cfg (a kernel, a .INS list) is
  // kMenuNetNotAConfig, after its first block (the transfer is stopped).
  WaitCode read_menu(zipl::BootMenu* menu);

  const DhcpLease& lease() const { return lease_; }

 private:
  WaitCode load(const char* file, u64 address, u64* size);
  WaitCode classify(const char* file, u64 size);
  WaitCode dhcp();
  // Fetches the first pxelinux.cfg of the lookup into text_ (*len bytes):
  // through guest memory at 0 when booting, into text_ directly for the menu.
  WaitCode pxelinux_lookup(const char* dir, bool text_only, u32* len);
  WaitCode load_text(const char* file, bool need_header, u32* len);
  WaitCode boot_pxe(u32 len);
  WaitCode boot_ins(u32 len);
  WaitCode load_linux(const char* kernel, const char* initrd, TextSpan append);
  WaitCode set_start(const char* file, u64 size);
  // Copies the first `len` bytes of guest memory at 0 into text_ (NUL-terminated).
  u32 fetch_text(u64 size, u32 cap);

  Stack& st_;
  GuestMemory& mem_;
  const NetBootParams& p_;
  DhcpLease lease_;
  u32 server_ = 0;
  u16 next_port_ = 0;
  NetBootResult* out_ = nullptr;
  char name_[kTftpMaxName] = {};
  char name2_[kTftpMaxName] = {};
  char dir_[kTftpMaxName] = {};  // the pxelinux.cfg directory of a boot file ending in '/'
  char text_[kPxeMaxText + 1] = {};
  PxeConfig pxe_;
  zipl::BootMenu menu_;
  InsList ins_;
};

}  // namespace ccwboot::net
