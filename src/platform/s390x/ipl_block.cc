// The IPL parameter block of the device being booted, see
// ccwboot/platform/ipl_block.h.
#include "ccwboot/platform/ipl_block.h"

#include "ccwboot/arch/lowcore.h"
#include "ccwboot/endian.h"
#include "ccwboot/log.h"
#include "ccwboot/platform/absolute_memory.h"
#include "cpu.h"

#define LOG_PREFIX "ccwboot: "

namespace ccwboot {
namespace {

alignas(4096) u8 g_page[kIplbMaxSize];
bool g_page_valid = false;  // the page holds the block of the device being tried

// diag 308 response codes in R1+1.
constexpr long kDiag308Ok = 0x0001;
constexpr u32 kOffType = 0x0c;
constexpr u32 kOffDevno = 0x6e;

u64 page_address() { return reinterpret_cast<u64>(g_page); }

}  // namespace

u8* ipl_block_page() { return g_page; }

void select_ipl_block(const boot::BootTarget& target) {
  g_page_valid = false;
  if (target.iplb < 0) return;
  const u64 from = target.ctx->iplb_address[target.iplb];
  if (from != page_address()) {
    // A chained block: QEMU's array below the firmware; the page gets a copy.
    if (!absolute_memory().read(from, g_page, sizeof g_page)) return;
  } else if (target.iplb != 0) {
    return;
  }
  g_page_valid = true;
}

void publish_ipl_block(const boot::BootTarget& target) {
  if (!g_page_valid) return;
  const IplParameters* p = target.iplb_params();
  // The page may be the first block, stored before any chained copy: it is
  // only valid for the block select_ipl_block() put there.
  if (p == nullptr) return;
  if (p->type == iplb_type::kQemuScsi) {
    // QEMU 9.2+: devno = boot position, QEMU rebuilds that device's block.
    be::store16(g_page + kOffDevno, target.ctx->iplb_position[target.iplb]);
    long rc = diag308_try(page_address(), 5);
    if (rc != kDiag308Ok) {
      // QEMU 7.2 knows no QEMU SCSI blocks in diag 308 set: the controller as
      // a CCW device, which a re-IPL then scans for its LUN.
      g_page[kOffType] = iplb_type::kCcw;
      be::store16(g_page + kOffDevno, p->devno);
      rc = diag308_try(page_address(), 5);
    }
    if (rc != kDiag308Ok) LOG("diag 308 set of the IPL block: response 0x%lx\n", rc);
  } else if (target.iplb != 0 || p->loadparm_valid) {
    // A chained block becomes the machine's. The first one is already, but
    // setting it again makes QEMU copy its loadparm to the machine's, which
    // SCLP reports: QEMU 9.2+ reports only the machine's, so a -device
    // loadparm= would not reach the loaded system (zipl's stage 3 takes its
    // environment site from it; docs/zipl-disks.md).
    long rc = diag308_try(page_address(), 5);
    if (rc != kDiag308Ok) LOG("diag 308 set of the IPL block: response 0x%lx\n", rc);
  }
  u8 ptr[4];
  be::store32(ptr, static_cast<u32>(page_address()));
  absolute_memory().write(lowcore::kIplbAddress, ptr, 4);
}

}  // namespace ccwboot
