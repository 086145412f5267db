// An IBM 3390 count-key-data volume held in host memory, and its on-disk form
// as a Hercules uncompressed CKD image ("CKD_P370").
//
// A track is: home address, record 0 (8 data bytes), then records R1..Rn,
// each a count field (CCHHR KL DL), a key and a data area. The count field's
// identifier is stored as given, so hostile volumes may carry ids that do not
// match their position (real CKD allows this too). The channel simulator
// (tests/sim) reads volumes through this class; mkdasd writes them.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ccwboot/types.h"

namespace ccwboot::sim {

// 3390 geometry as Hercules lays it out.
inline constexpr u32 k3390Heads = 15;
inline constexpr u32 k3390TrackSlot = 56832;      // bytes per track in the image file
inline constexpr u32 k3390MaxRecordData = 56664;  // largest single data area (R1 alone, KL 0)
inline constexpr u32 kHerculesHeaderSize = 512;
inline constexpr u8 k3390DeviceType = 0x90;

// Record identifier as in a count field: CCHHR.
struct CkdId {
  u16 cyl = 0;
  u16 head = 0;
  u8 record = 0;
  friend bool operator==(const CkdId&, const CkdId&) = default;
};

struct CkdRecord {
  CkdId id;
  std::vector<u8> key;   // KL = key.size() (at most 255)
  std::vector<u8> data;  // DL = data.size() (at most 65535, and the track must hold it)

  // The 8-byte count field CCHHRKLDLDL.
  void count_field(u8 out[8]) const;
};

struct CkdTrack {
  u8 home_flag = 0;  // HA byte 0 (F); HA is F CCHH of the track's own address
  std::vector<u8> r0_data = std::vector<u8>(8, 0);
  std::vector<CkdRecord> records;  // R1.. in rotational order
};

class CkdVolume {
 public:
  // An empty (HA + R0 only) volume of `cylinders` cylinders of 15 tracks.
  explicit CkdVolume(u32 cylinders = 1);

  u32 cylinders() const { return cylinders_; }
  u32 heads() const { return k3390Heads; }
  bool valid_track(u32 cyl, u32 head) const { return cyl < cylinders_ && head < k3390Heads; }

  // Appends a record with id (cyl, head, next number from 1). Returns the
  // record number, or nullopt if the track does not exist, the key is longer
  // than 255 bytes, or the track would overflow (see fits()).
  std::optional<u8> add_record(u32 cyl, u32 head, std::span<const u8> key,
                               std::span<const u8> data);
  // Appends a record with an arbitrary count-field id (hostile volumes).
  bool add_record_with_id(u32 cyl, u32 head, const CkdId& id, std::span<const u8> key,
                          std::span<const u8> data);
  // Replaces the data (and key) of an existing record; false if it is absent
  // or the track would overflow.
  bool replace_record(u32 cyl, u32 head, u8 record, std::span<const u8> key,
                      std::span<const u8> data);
  void clear_track(u32 cyl, u32 head);

  // Lookups; nullptr when absent. find() matches the stored count-field id
  // of the records on track (cyl, head), by record number.
  const CkdTrack* track(u32 cyl, u32 head) const;
  CkdTrack* track(u32 cyl, u32 head);
  const CkdRecord* find(u32 cyl, u32 head, u8 record) const;

  // Bytes the track occupies in the Hercules image (HA, R0, records, end
  // marker). A track is accepted only if this stays <= k3390TrackSlot and
  // the 3390 rotational capacity (cells, as on the real device) is not exceeded.
  u32 image_bytes(u32 cyl, u32 head) const;
  static bool fits(const CkdTrack& track);
  // 3390 capacity of one record in 34-byte cells (R0 and HA not included).
  static u32 record_cells(u32 key_length, u32 data_length);

  // Hercules uncompressed CKD image (format in docs/simulator.md): 512-byte
  // header, then cylinders*15 fixed 56832-byte tracks.
  std::vector<u8> to_hercules_bytes() const;
  bool save_hercules(const std::string& path, std::string* error = nullptr) const;
  // Parses an image; nullopt (with a reason) if the header or any track is
  // malformed. Bounded: never reads past a track slot.
  static std::optional<CkdVolume> from_hercules_bytes(std::span<const u8> bytes,
                                                      std::string* error = nullptr);
  static std::optional<CkdVolume> load_hercules(const std::string& path,
                                                std::string* error = nullptr);

 private:
  u32 cylinders_;
  std::vector<CkdTrack> tracks_;  // index cyl*15 + head
};

}  // namespace ccwboot::sim
