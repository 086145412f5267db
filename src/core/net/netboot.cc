// Network boot flow, see ccwboot/net/netboot.h.
#include "ccwboot/net/netboot.h"

#include "ccwboot/endian.h"
#include "ccwboot/format.h"
#include "ccwboot/log.h"
#include "ccwboot/menu/kernel_cmdline.h"

namespace ccwboot::net {
namespace {

void copy_name(char* dst, const char* src) {
  u32 i = 0;
  for (; src[i] && i + 1 < kTftpMaxName; ++i) dst[i] = src[i];
  dst[i] = 0;
}

void put_ip(char* buf, u32 ip) {
  format(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

}  // namespace

WaitCode check_load_range(u64 addr, u64 len, GuestMemory& mem, const zipl::LoadLimits& limits) {
  if (addr > mem.size() || len > mem.size() - addr) {
    log_printf("net: %llu bytes at 0x%llx do not fit in %llu MiB of storage\n", len, addr,
               mem.size() >> 20);
    return WaitCode::kNetLoadOutsideMemory;
  }
  if (const ReservedRange* z = limits.reserved.find_overlap(AddrRange::at(addr, len))) {
    log_printf("net: %llu bytes at 0x%llx would overwrite %s (0x%llx-0x%llx)\n", len, addr, z->name,
               z->start, z->end);
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
  log_printf("net: TFTP %s: %llu bytes at 0x%llx in %llu ms (block %u, window %u, %u retries)\n",
             file, s.bytes, address, ms, s.blksize, s.windowsize, s.retries);
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

WaitCode NetBoot::run(NetBootResult* out) {
  *out = NetBootResult{};
  out_ = out;
  const Mac& m = st_.link().mac();
  log_printf("net: MAC %02x:%02x:%02x:%02x:%02x:%02x, asking DHCP\n", m.b[0], m.b[1], m.b[2],
             m.b[3], m.b[4], m.b[5]);
  if (dhcp_run(st_, p_.xid, p_.dhcp_ms, &lease_) != WaitCode::kNone) {
    log_printf("net: no DHCP answer within %u s\n", p_.dhcp_ms / 1000);
    return WaitCode::kNetNoDhcp;
  }
  server_ = dhcp_tftp_server(lease_);
  char ip[16], srv[16];
  put_ip(ip, lease_.your_ip);
  put_ip(srv, server_);
  log_printf("net: address %s, TFTP server %s, boot file '%s'\n", ip, srv, lease_.bootfile);
  if (server_ == 0 || lease_.bootfile[0] == 0) return WaitCode::kNetNoBootfile;

  const char* file = lease_.bootfile;
  u32 n = 0;
  while (file[n]) ++n;
  if (file[n - 1] == '/') return pxelinux_lookup(file);
  u64 size = 0;
  WaitCode rc = load(file, 0, &size);
  if (rc == WaitCode::kNetTftpNotFound) {
    // QEMU's bios then looks for a pxelinux.cfg directory.
    if (pxelinux_lookup("pxelinux.cfg/") == WaitCode::kNone) return WaitCode::kNone;
    return rc;
  }
  if (rc != WaitCode::kNone) return rc;
  return classify(file, size);
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
  log_printf(
      "net: %s is neither a Linux image (S390EP at 0x10008), an IPL PSW at 0, a "
      "pxelinux.cfg nor a .INS list\n",
      file);
  return WaitCode::kNetNotBootable;
}

WaitCode NetBoot::pxelinux_lookup(const char* dir) {
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
    WaitCode rc = load(name2_, 0, &size);
    if (rc == WaitCode::kNetTftpNotFound) continue;
    if (rc != WaitCode::kNone) return rc;
    format(out_->what, sizeof out_->what, "pxelinux.cfg");
    return boot_pxe(fetch_text(size, kPxeMaxText));
  }
  log_printf("net: no pxelinux.cfg in %s for this %sMAC or address, and no default\n", dir,
             p_.has_uuid ? "UUID, " : "");
  return WaitCode::kNetPxeNoConfig;
}

WaitCode NetBoot::boot_pxe(u32 len) {
  PxeConfig& cfg = pxe_;
  if (!parse_pxelinux(text_, len, &cfg)) {
    log_printf("net: the pxelinux.cfg has no label with a kernel\n");
    return WaitCode::kNetPxeNoEntry;
  }
  zipl::BootMenu& menu = menu_;
  pxe_menu(text_, cfg, &menu);
  log_printf("net: pxelinux.cfg: %u entr%s, default %s\n", cfg.count, cfg.count == 1 ? "y" : "ies",
             menu.entries[0].name);
  const virtio::Selection sel = virtio::select_boot_entry(p_.loadparm, p_.menu_request, menu);
  if (sel.error != WaitCode::kNone) {
    log_printf("net: loadparm [%s]: %s\n", p_.loadparm, sel.reason);
    return sel.error;
  }
  u32 entry = sel.entry;
  if (sel.show_menu && p_.choose) entry = p_.choose(sel, menu);
  if (entry == 0) entry = menu.default_entry;
  const PxeEntry& e = cfg.entries[entry - 1];
  log_printf("net: booting entry %u (%s)\n", entry, menu.entries[entry].name);
  out_->entry = entry;
  format(out_->label, sizeof out_->label, "%s", menu.entries[entry].name);
  if (e.kernel.length == 0) {
    log_printf("net: entry %u has no kernel\n", entry);
    return WaitCode::kNetPxeNoEntry;
  }
  char kernel[kTftpMaxName], initrd[kTftpMaxName];
  span_copy(text_, e.kernel, kernel, sizeof kernel);
  span_copy(text_, e.initrd, initrd, sizeof initrd);
  return load_linux(kernel, initrd, e.append);
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
      log_printf("net: the append line (%u characters) cannot be passed to %s: %s\n", append.length,
                 kernel, wait_code_info(rc).message);
      return rc;
    }
  }
  return WaitCode::kNone;
}

WaitCode NetBoot::boot_ins(u32 len) {
  InsList& list = ins_;
  u32 bad = 0;
  if (!parse_ins(text_, len, &list, &bad)) {
    log_printf("net: the .INS list is malformed at line %u\n", bad);
    return WaitCode::kNetInsMalformed;
  }
  span_copy(text_, list.title, name2_, sizeof name2_);
  log_printf("net: .INS list '%s', %u files\n", name2_, list.count);
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
