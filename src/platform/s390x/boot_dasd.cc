// The image's DASD boot path: run the portable DASD IPL core on the boot
// subchannel with absolute 0-8K handed to the system being loaded, then start
// that system the way the end of a hardware IPL does. docs/dasd-ipl.md.
#include "ccwboot/boot/boot_order.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/dasd/dasd_ipl.h"
#include "ccwboot/log.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/entry_lowcore.h"
#include "ccwboot/platform/handoff.h"
#include "ccwboot/platform/image.h"
#include "ccwboot/platform/subchannel_io.h"
#include "cpu.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot {
namespace {

// The IPL's time budget runs on the TOD clock (bit 51: one microsecond).
class TodClock final : public Clock {
 public:
  u64 now_us() override { return cpu::stck() >> 12; }
};

}  // namespace

WaitCode boot_dasd(const boot::BootTarget& target) {
  const BootDevice& dev = target.dev;
  // Everything the firmware owns (code, data, bss: stack, moved prefix,
  // SCCB, scratch) is off limits to the IPL's CCWs; absolute 0-8K is not,
  // because the prefix is moved away while the IPL runs.
  dasd::DasdIplConfig config;
  TodClock clock;
  config.clock = &clock;
  ScratchArea scratch = scratch_area();
  AddrRange image = image_range();
  config.scratch_address = scratch.address;
  config.scratch_size = scratch.size;
  config.reserved.add(image.start, image.end, "firmware image");

  LOG("IPL from device 0.%x.%04x (CU %04x, storage %llu MiB, firmware at 0x%llx)\n",
      static_cast<unsigned>(dev.ssid), static_cast<unsigned>(dev.devno),
      static_cast<unsigned>(dev.cu_type), absolute_memory().size() >> 20, image.start);

  SubchannelIo io(dev.schid);
  move_prefix(firmware_prefix_area());
  // From here on the firmware's interruptions land in its own prefix area:
  // hand absolute 0-8K back as the machine had it, so that after the IPL it
  // holds exactly what the machine's own IPL would leave there.
  restore_entry_lowcore();
  dasd::DasdIplResult result = dasd::run_dasd_ipl(io, absolute_memory(), config);
  if (!result.ok()) {
    restore_prefix_with_new_psws();  // the firmware goes on at prefix 0
    return result.code;
  }
  // With the prefix still moved: the handoff's console output must not reach
  // the loaded system's lowcore either.
  handoff_to_ipl_psw(dev.schid, result.psw);
}

}  // namespace ccwboot
