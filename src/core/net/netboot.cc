// Network boot flow, see ccwboot/net/netboot.h.
#include "ccwboot/net/netboot.h"

#include "ccwboot/endian.h"
#include "ccwboot/format.h"
#include "ccwboot/log.h"
#include "ccwboot/menu/kernel_cmdline.h"
#include "ccwboot/net/dns.h"

#define LOG_PREFIX "net: "

namespace ccwboot::net {
namespace {

constexpr u32 kMaxMenuRounds = 16;  // back to the menu from the editor, at most

void copy_name(char* dst, const char* src) {
  u32 i = 0;
  for (; src[i] && i + 1 < kTftpMaxName; ++i) dst[i] = src[i];
  dst[i] = 0;
}

void put_ip(char* buf, u32 ip) {
  format(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

// A file into a buffer of the firmware's (the menu reads the pxelinux.cfg
// before guest memory may be written). Stops the transfer once the file is
// too large for a pxelinux.cfg or, with need_header, does not start like one.
class TextSink final : public TftpSink {
 public:
  TextSink(char* buf, u32 cap, bool need_header) : buf_(buf), cap_(cap), header_(need_header) {}
  WaitCode expect(u64 total) override {
    return total > cap_ ? WaitCode::kMenuNetNotAConfig : WaitCode::kNone;
  }
  WaitCode write(u64 offset, const u8* data, u32 len) override {
    if (offset > cap_ || len > cap_ - offset) return WaitCode::kMenuNetNotAConfig;
    for (u32 i = 0; i < len; ++i) buf_[offset + i] = static_cast<char>(data[i]);
    if (offset + len > got_) got_ = static_cast<u32>(offset + len);
    if (header_ && got_ >= 16 && !is_pxelinux_cfg(reinterpret_cast<const u8*>(buf_), 16))
      return WaitCode::kMenuNetNotAConfig;
    return WaitCode::kNone;
  }
  u32 got() const { return got_; }

 private:
  char* buf_;
  u32 cap_;
  bool header_;
  u32 got_ = 0;
};

// A boot file ending in '/' names a folder whose pxelinux.cfg/ holds the
// configurations, as QEMU's bios reads it ("s390x/" -> "s390x/pxelinux.cfg/"),
// unless the folder is itself called pxelinux.cfg ("pxelinux.cfg/").
bool pxelinux_dir_of(const char* file, u32 n, char* out, u32 cap) {
  static const char kDir[] = "pxelinux.cfg/";
  const u32 k = sizeof kDir - 1;
  bool is_dir = n >= k && (n == k || file[n - k - 1] == '/');
  for (u32 i = 0; is_dir && i < k; ++i) is_dir = file[n - k + i] == kDir[i];
  return format(out, cap, is_dir ? "%s" : "%spxelinux.cfg/", file) < static_cast<int>(cap);
}

}  // namespace

WaitCode check_load_range(u64 addr, u64 len, GuestMemory& mem, const zipl::LoadLimits& limits) {
  if (addr > mem.size() || len > mem.size() - addr) {
    LOG("%llu bytes at 0x%llx do not fit in %llu MiB of storage\n", len, addr, mem.size() >> 20);
    return WaitCode::kNetLoadOutsideMemory;
  }
  if (const ReservedRange* z = limits.reserved.find_overlap(AddrRange::at(addr, len))) {
    LOG("%llu bytes at 0x%llx would overwrite %s (0x%llx-0x%llx)\n", len, addr, z->name, z->start,
        z->end);
    return WaitCode::kNetLoadReserved;
  }
  return WaitCode::kNone;
}

WaitCode GuestSink::expect(u64 total) { return check_load_range(base_, total, mem_, limits_); }

WaitCode GuestSink::write(u64 offset, const u8* data, u32 len) {
  if (offset > ~u64{0} - base_) return WaitCode::kNetLoadOutsideMemory;
  if (WaitCode w = check_load_range(base_ + offset, len, mem_, limits_); w != WaitCode::kNone)
    return w;
  return mem_.write(base_ + offset, data, len) ? WaitCode::kNone : WaitCode::kNetLoadOutsideMemory;
}

WaitCode NetBoot::load(const char* file, u64 address, u64* size) {
  GuestSink sink(mem_, p_.limits, address);
  TftpStats s;
  const u16 port = static_cast<u16>(0xc000 | ((p_.xid + next_port_++) & 0x3fff));
  WaitCode rc = tftp_get(st_, server_, port, file, p_.tftp, sink, &s);
  if (rc != WaitCode::kNone) return rc;
  const u64 ms = s.micros / 1000;
  LOG("TFTP %s: %llu bytes at 0x%llx in %llu ms (block %u, window %u, %u retries)\n", file, s.bytes,
      address, ms, s.blksize, s.windowsize, s.retries);
  out_->files++;
  out_->bytes += s.bytes;
  out_->tftp_micros += s.micros;
  *size = s.bytes;
  return WaitCode::kNone;
}

u32 NetBoot::fetch_text(u64 size, u32 cap) {
  const u32 n = size < cap ? static_cast<u32>(size) : cap;
  if (!mem_.read(0, text_, n)) return 0;
  text_[n] = 0;
  return n;
}

WaitCode NetBoot::load_text(const char* file, bool need_header, u32* len) {
  TextSink sink(text_, kPxeMaxText, need_header);
  TftpStats s;
  const u16 port = static_cast<u16>(0xc000 | ((p_.xid + next_port_++) & 0x3fff));
  WaitCode rc = tftp_get(st_, server_, port, file, p_.tftp, sink, &s);
  if (rc == WaitCode::kNone && need_header &&
      !is_pxelinux_cfg(reinterpret_cast<const u8*>(text_), sink.got()))
    rc = WaitCode::kMenuNetNotAConfig;
  if (rc != WaitCode::kNone) return rc;
  text_[sink.got()] = 0;
  LOG("TFTP %s: %llu bytes for the boot menu in %llu ms\n", file, s.bytes, s.micros / 1000);
  out_->files++;
  out_->bytes += s.bytes;
  out_->tftp_micros += s.micros;
  *len = sink.got();
  return WaitCode::kNone;
}

WaitCode NetBoot::dhcp() {
  const Mac& m = st_.link().mac();
  LOG("MAC %02x:%02x:%02x:%02x:%02x:%02x, asking DHCP\n", m.b[0], m.b[1], m.b[2], m.b[3], m.b[4],
      m.b[5]);
  if (dhcp_run(st_, p_.xid, p_.dhcp_ms, &lease_) != WaitCode::kNone) {
    LOG("no DHCP answer within %u s\n", p_.dhcp_ms / 1000);
    return WaitCode::kNetNoDhcp;
  }
  server_ = dhcp_tftp_server(lease_);
  u32 dotted = 0;
  const bool named = lease_.server_name_option && lease_.server_name[0] &&
                     !parse_ipv4(lease_.server_name, &dotted);
  if (named) {
    // Option 66 names a host: ask the name servers of option 6.
    if (lease_.dns_count == 0) {
      LOG("TFTP server '%s' is a name, and DHCP gave no name server\n", lease_.server_name);
      return WaitCode::kNetDnsFailed;
    }
    if (WaitCode rc = dns_resolve(st_, lease_.dns, lease_.dns_count, lease_.server_name,
                                  static_cast<u16>(p_.xid), p_.dns_ms, &server_);
        rc != WaitCode::kNone)
      return rc;
  }
  char ip[16], srv[16];
  put_ip(ip, lease_.your_ip);
  put_ip(srv, server_);
  if (named)
    LOG("address %s, TFTP server %s (%s), boot file '%s'\n", ip, lease_.server_name, srv,
        lease_.bootfile);
  else
    LOG("address %s, TFTP server %s, boot file '%s'\n", ip, srv, lease_.bootfile);
  if (server_ == 0 || lease_.bootfile[0] == 0) return WaitCode::kNetNoBootfile;
  return WaitCode::kNone;
}

WaitCode NetBoot::run(NetBootResult* out) {
  *out = NetBootResult{};
  out_ = out;
  if (WaitCode rc = dhcp(); rc != WaitCode::kNone) return rc;
  const char* file = lease_.bootfile;
  u32 n = 0;
  while (file[n]) ++n;
  u32 len = 0;
  if (file[n - 1] == '/') {
    if (!pxelinux_dir_of(file, n, dir_, sizeof dir_)) return WaitCode::kNetPxeNoConfig;
    if (WaitCode rc = pxelinux_lookup(dir_, false, &len); rc != WaitCode::kNone) return rc;
    return boot_pxe(len);
  }
  u64 size = 0;
  WaitCode rc = load(file, 0, &size);
  if (rc == WaitCode::kNetTftpNotFound) {
    // QEMU's bios then looks for a pxelinux.cfg directory.
    if (pxelinux_lookup("pxelinux.cfg/", false, &len) == WaitCode::kNone) return boot_pxe(len);
    return rc;
  }
  if (rc != WaitCode::kNone) return rc;
  return classify(file, size);
}

WaitCode NetBoot::read_menu(zipl::BootMenu* menu) {
  static NetBootResult counts;
  counts = NetBootResult{};
  out_ = &counts;
  if (WaitCode rc = dhcp(); rc != WaitCode::kNone) return rc;
  const char* file = lease_.bootfile;
  u32 n = 0;
  while (file[n]) ++n;
  u32 len = 0;
  WaitCode rc;
  if (file[n - 1] == '/') {
    rc = pxelinux_dir_of(file, n, dir_, sizeof dir_) ? pxelinux_lookup(dir_, true, &len)
                                                     : WaitCode::kNetPxeNoConfig;
  } else {
    rc = load_text(file, true, &len);
    if (rc == WaitCode::kNetTftpNotFound &&
        pxelinux_lookup("pxelinux.cfg/", true, &len) == WaitCode::kNone)
      rc = WaitCode::kNone;
  }
  if (rc == WaitCode::kMenuNetNotAConfig)
    LOG("boot file '%s' is not a pxelinux.cfg: one entry in the menu\n", file);
  if (rc != WaitCode::kNone) return rc;
  if (!parse_pxelinux(text_, len, &pxe_)) {
    LOG("the pxelinux.cfg has no label with a kernel\n");
    return WaitCode::kNetPxeNoEntry;
  }
  pxe_menu(text_, pxe_, menu);
  return WaitCode::kNone;
}

WaitCode NetBoot::classify(const char* file, u64 size) {
  u8 head[16] = {};
  mem_.read(0, head, size < sizeof head ? static_cast<u32>(size) : sizeof head);
  if (is_pxelinux_cfg(head, static_cast<u32>(size < 16 ? size : 16))) {
    format(out_->what, sizeof out_->what, "pxelinux.cfg");
    return boot_pxe(fetch_text(size, kPxeMaxText));
  }
  if (is_ins_file(head, static_cast<u32>(size < 16 ? size : 16))) {
    format(out_->what, sizeof out_->what, ".INS");
    return boot_ins(fetch_text(size, kInsMaxText));
  }
  format(out_->what, sizeof out_->what, "kernel");
  return set_start(file, size);
}

WaitCode NetBoot::set_start(const char* file, u64 size) {
  u8 sig[8] = {};
  if (size >= 0x10010 && mem_.read(0x10008, sig, 6) && sig[0] == 'S' && sig[1] == '3' &&
      sig[2] == '9' && sig[3] == '0' && sig[4] == 'E' && sig[5] == 'P') {
    out_->psw = kLinuxPsw;
    return WaitCode::kNone;
  }
  u8 psw[8] = {};
  if (size >= 8 && mem_.read(0, psw, 8) && (psw[1] & 0x08) != 0 &&
      (be::load64(psw) & 0x7fffffff) < mem_.size()) {
    out_->psw = be::load64(psw);
    return WaitCode::kNone;
  }
  LOG("%s is neither a Linux image (S390EP at 0x10008), an IPL PSW at 0, a "
      "pxelinux.cfg nor a .INS list\n",
      file);
  return WaitCode::kNetNotBootable;
}

WaitCode NetBoot::pxelinux_lookup(const char* dir, bool text_only, u32* len) {
  const Mac& m = st_.link().mac();
  const u32 ip = st_.config().ip;
  // pxelinux's order: the UUID (lower-case 8-4-4-4-12), 01-<mac>, the
  // address in hex with 8..1 digits, default.
  for (int step = p_.has_uuid ? -1 : 0; step < 10; ++step) {
    char leaf[40];
    if (step < 0) {
      const u8* u = p_.uuid;
      format(leaf, sizeof leaf,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
             u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
             u[15]);
    } else if (step == 0) {
      format(leaf, sizeof leaf, "01-%02x-%02x-%02x-%02x-%02x-%02x", m.b[0], m.b[1], m.b[2], m.b[3],
             m.b[4], m.b[5]);
    } else if (step <= 8) {
      format(leaf, sizeof leaf, "%08X", ip);
      leaf[9 - step] = 0;
    } else {
      format(leaf, sizeof leaf, "default");
    }
    if (format(name2_, sizeof name2_, "%s%s", dir, leaf) >= static_cast<int>(sizeof name2_))
      return WaitCode::kNetPxeNoConfig;
    u64 size = 0;
    WaitCode rc = text_only ? load_text(name2_, false, len) : load(name2_, 0, &size);
    if (rc == WaitCode::kNetTftpNotFound) continue;
    if (rc != WaitCode::kNone) return rc;
    format(out_->what, sizeof out_->what, "pxelinux.cfg");
    if (!text_only) *len = fetch_text(size, kPxeMaxText);
    return WaitCode::kNone;
  }
  LOG("no pxelinux.cfg in %s for this %sMAC or address, and no default\n", dir,
      p_.has_uuid ? "UUID, " : "");
  return WaitCode::kNetPxeNoConfig;
}

WaitCode NetBoot::boot_pxe(u32 len) {
  PxeConfig& cfg = pxe_;
  if (!parse_pxelinux(text_, len, &cfg)) {
    LOG("the pxelinux.cfg has no label with a kernel\n");
    return WaitCode::kNetPxeNoEntry;
  }
  zipl::BootMenu& menu = menu_;
  pxe_menu(text_, cfg, &menu);
  LOG("pxelinux.cfg: %u entr%s, default %s\n", cfg.count, cfg.count == 1 ? "y" : "ies",
      menu.entries[0].name);
  virtio::Selection sel;
  u32 entry = p_.forced_entry;
  bool want_edit = p_.forced_edit;
  bool ask = false;
  if (p_.forced) {
    if (entry >= zipl::kMaxEntries || !menu.entries[entry].present) {
      LOG("the pxelinux.cfg has no entry %u (any more)\n", entry);
      return WaitCode::kLoadparmNoSuchEntry;
    }
  } else {
    sel = virtio::select_boot_entry(p_.loadparm, p_.menu_request, menu);
    if (sel.error != WaitCode::kNone) {
      LOG("loadparm [%s]: %s\n", p_.loadparm, sel.reason);
      return sel.error;
    }
    entry = sel.entry;
    ask = sel.show_menu && p_.choose;
  }
  // Until an entry is loaded and, when asked, its append line accepted.
  for (u32 round = 0;; ++round) {
    if (ask) entry = p_.choose(sel, menu, &want_edit);
    if (entry == 0) entry = menu.default_entry;
    const PxeEntry& e = cfg.entries[entry - 1];
    LOG("booting entry %u (%s)\n", entry, menu.entries[entry].name);
    out_->entry = entry;
    format(out_->label, sizeof out_->label, "%s", menu.entries[entry].name);
    if (e.kernel.length == 0) {
      LOG("entry %u has no kernel\n", entry);
      return WaitCode::kNetPxeNoEntry;
    }
    char kernel[kTftpMaxName], initrd[kTftpMaxName];
    span_copy(text_, e.kernel, kernel, sizeof kernel);
    span_copy(text_, e.initrd, initrd, sizeof initrd);
    if (WaitCode rc = load_linux(kernel, initrd, e.append); rc != WaitCode::kNone) return rc;
    if (!want_edit || p_.edit == nullptr) return WaitCode::kNone;
    // The line is in place now; the owner may still go back to the menu.
    if (p_.edit(entry, out_->label) || p_.choose == nullptr || round >= kMaxMenuRounds)
      return WaitCode::kNone;
    ask = true;
    sel.show_menu = true;
    sel.menu_timeout_ms = 0;  // somebody is at the console: no countdown again
  }
}

WaitCode NetBoot::load_linux(const char* kernel, const char* initrd, TextSpan append) {
  copy_name(name_, kernel);
  u64 ksize = 0;
  if (WaitCode rc = load(name_, 0, &ksize); rc != WaitCode::kNone) return rc;
  if (WaitCode rc = set_start(name_, ksize); rc != WaitCode::kNone) return rc;
  out_->kernel_end = ksize;
  if (initrd[0]) {
    const u64 at = (ksize + 0xfff) & ~u64{0xfff};
    copy_name(name_, initrd);
    u64 isize = 0;
    if (WaitCode rc = load(name_, at, &isize); rc != WaitCode::kNone) return rc;
    u8 v[16];
    be::store64(v, at);
    be::store64(v + 8, isize);
    if (!mem_.write(kLinuxInitrdStart, v, 16)) return WaitCode::kNetLoadOutsideMemory;
    out_->kernel_end = at + isize;
  }
  if (append.length) {
    // Where the kernel reads its line and how long it may be (its header).
    menu::KernelCmdline k;
    WaitCode rc = menu::inspect_kernel_cmdline(mem_, menu::kLinuxEntry, &k);
    if (rc == WaitCode::kNone)
      rc = menu::write_kernel_cmdline(mem_, k, text_ + append.offset, append.length);
    if (rc != WaitCode::kNone) {
      LOG("the append line (%u characters) cannot be passed to %s: %s\n", append.length, kernel,
          wait_code_info(rc).message);
      return rc;
    }
  }
  return WaitCode::kNone;
}

WaitCode NetBoot::boot_ins(u32 len) {
  InsList& list = ins_;
  u32 bad = 0;
  if (!parse_ins(text_, len, &list, &bad)) {
    LOG("the .INS list is malformed at line %u\n", bad);
    return WaitCode::kNetInsMalformed;
  }
  span_copy(text_, list.title, name2_, sizeof name2_);
  LOG(".INS list '%s', %u files\n", name2_, list.count);
  u64 kernel_size = 0;
  for (u32 i = 0; i < list.count; ++i) {
    span_copy(text_, list.entries[i].file, name_, sizeof name_);
    u64 size = 0;
    if (WaitCode rc = load(name_, list.entries[i].address, &size); rc != WaitCode::kNone) return rc;
    if (list.entries[i].address == 0) kernel_size = size;
  }
  return set_start("the .INS list's file at 0", kernel_size);
}

}  // namespace ccwboot::net
