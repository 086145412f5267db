// The boot context, see ccwboot/boot/boot_context.h.
#include "ccwboot/boot/boot_context.h"

#include "ccwboot/log.h"

#define LOG_PREFIX "ccwboot: "

namespace ccwboot::boot {
namespace {

// Only the CCW-type fields are read from a chained block; a page holds it.
alignas(8) u8 g_chain_block[kIplbPageSize];

bool names_a_device(const IplParameters& p) {
  return p.valid && (p.type == iplb_type::kCcw || p.type == iplb_type::kQemuScsi);
}

void add_block(BootContext* ctx, const IplParameters& p, u64 address, u8 position) {
  if (!names_a_device(p)) {
    LOG("IPL parameter block %u (%s, type 0x%02x) names no CCW device; skipped\n",
        static_cast<unsigned>(position), p.valid ? "valid" : "not decodable",
        static_cast<unsigned>(p.type));
    return;
  }
  ctx->iplb[ctx->iplb_count] = p;
  ctx->iplb_address[ctx->iplb_count] = address;
  ctx->iplb_position[ctx->iplb_count] = position;
  ++ctx->iplb_count;
}

}  // namespace

void load_boot_context(BootContext* ctx, const u8* qipl_raw, const u8* first_iplb, u32 first_len,
                       u64 first_address, const u8* sclp_loadparm, GuestMemory& mem) {
  *ctx = BootContext{};
  ctx->qipl = decode_qemu_ipl_parameters(qipl_raw);
  if (sclp_loadparm != nullptr) {
    for (int i = 0; i < 8; ++i) ctx->sclp_loadparm[i] = ebcdic_to_ascii(sclp_loadparm[i]);
  }
  if (first_iplb == nullptr) {
    // No IPLB means no chain either, whatever the bytes at 0xcc say.
    ctx->qipl.chain_len = 0;
    return;
  }
  add_block(ctx, decode_iplb(first_iplb, first_len), first_address, 0);

  u32 n = ctx->qipl.chain_len;
  if (n == 0) return;
  ctx->chain = true;
  if (n > kMaxBootDevices - 1) {
    LOG("QEMU announced %u more IPL parameter blocks; using the first %d\n", n,
        kMaxBootDevices - 1);
    n = kMaxBootDevices - 1;
  }
  const u64 base = ctx->qipl.next_iplb;
  if (base % kIplbPageSize != 0 || base > mem.size() ||
      u64{n} * kIplbPageSize > mem.size() - base) {
    LOG("QEMU's IPL parameter block chain at 0x%llx (%u blocks) is not in storage; "
        "ignored\n",
        base, n);
    return;
  }
  for (u32 i = 0; i < n; ++i) {
    const u64 at = base + u64{i} * kIplbPageSize;
    if (!mem.read(at, g_chain_block, sizeof g_chain_block)) break;
    add_block(ctx, decode_iplb(g_chain_block, sizeof g_chain_block), at, static_cast<u8>(i + 1));
  }
}

}  // namespace ccwboot::boot
