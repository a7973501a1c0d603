// The batch ledger as the driver made it durable: which blocks each batch time was given,
// decoded by the checker itself from the durable store's history (sim::DurableChange) of the
// driver's metadata in the checkpoint directory — the receiver tracker's write-ahead log
// ("<dir>/receivedBlockMetadata/log-*", one JSON event per line: "add", "allocate", "cleanup")
// and the metadata checkpoints ("<dir>/checkpoint-<ms>", written as "<dir>/temp" and renamed into
// place; their "block_allocations", and in "source_positions" the offset ranges of Kafka direct
// streams and the files of file streams). Changes are read as they happen, so files the driver
// deleted since count: every allocation that was ever durable is read, not only what the store
// holds at the end.
//
// The decoder shares no code with the engine's writers: it knows the layout and the field names
// (the documented format), nothing else. A line or a checkpoint that does not decode is counted,
// not guessed at; a torn last line (no newline) is not a record.
//
// Block ids restart with each driver life ("input-0-1" of the first driver is not the second's),
// so each allocation carries the life that made it durable: the latest driver life started at or
// before the change's time.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "simulator/storage.h"
#include "simulator/time.h"

namespace streamsim::checker {

struct DurableBlock {
  std::string id;        // "input-<stream>-<n>"
  int64_t records = 0;   // how many records the driver was told it holds
  std::string wal_path;  // where the receiver's write-ahead log holds it; "" when not logged
  int64_t wal_offset = 0;
  bool operator==(const DurableBlock&) const = default;
};

// One receiver stream's blocks at one batch time, as one durable change recorded them.
struct DurableAllocation {
  sim::Instant batch_time;
  int stream_id = 0;
  int driver_life = 0;  // the life that made it durable
  std::vector<DurableBlock> blocks;
  std::string where;  // the file it was read from
  sim::Instant durable_at;
};

// One Kafka direct input's offset ranges at one batch time, from a checkpoint's position of the
// stream ("source_positions": {"topic", "batches": [{"time_us", "ranges": [[partition, from,
// until]]}]}). The batch reads offsets [from, until) of each partition.
struct DurableOffsetRange {
  int partition = 0;
  int64_t from = 0;
  int64_t until = 0;
  bool operator==(const DurableOffsetRange&) const = default;
};
struct DurableOffsets {
  sim::Instant batch_time;
  std::string input;
  std::string topic;
  int driver_life = 0;
  std::vector<DurableOffsetRange> ranges;
  std::string where;
  sim::Instant durable_at;
};

// One file stream's files at one batch time, from a checkpoint's position of the stream
// ("source_positions": {"processed", "batches": [{"time_us", "files": [path...]}]}). The batch
// reads every line of each file.
struct DurableFiles {
  sim::Instant batch_time;
  std::string input;
  int driver_life = 0;
  std::vector<std::string> files;
  std::string where;
  sim::Instant durable_at;
};

// A metadata checkpoint in place (renamed to "<dir>/checkpoint-<ms>" and neither deleted nor
// moved away since), as a driver recovering from it would run batches again: those pending in
// it, and every batch from its checkpoint time on.
struct CheckpointInPlace {
  sim::Instant checkpoint_time;
  std::optional<sim::Instant> first_pending;  // its earliest pending batch, if any
};

// What the durable metadata gave each batch. Checkpoints repeat every allocation (and position)
// the driver still remembers; a repeat by the same life is kept once, at its first durable copy.
// Items of batch times the check settled may be retired (RetireUpTo): the index forgets them and
// the items leave from the front; an index is counted from the first item ever kept.
struct DurableBatchLedger {
  // Every durable allocation, in the order it became durable, but the `retired_allocations` first.
  std::deque<DurableAllocation> allocations;
  size_t retired_allocations = 0;
  // (batch time in us, stream id) -> indices of `allocations`, in order.
  std::map<std::pair<int64_t, int>, std::vector<size_t>> index;
  // Every durable offset range set of a direct input, in the order it became durable.
  std::deque<DurableOffsets> offsets;
  size_t retired_offsets = 0;
  // (batch time in us, input) -> indices of `offsets`, in order.
  std::map<std::pair<int64_t, std::string>, std::vector<size_t>> offsets_index;
  // Every durable file list of a file stream, in the order it became durable.
  std::deque<DurableFiles> files;
  size_t retired_files = 0;
  std::map<std::pair<int64_t, std::string>, std::vector<size_t>> files_index;
  int64_t undecodable = 0;  // log lines and checkpoints that did not decode
  // The checkpoints in place by path, those that decoded.
  std::map<std::string, CheckpointInPlace> checkpoints_in_place;
  // Batch times at or before it were retired: their items are not kept again.
  std::optional<sim::Instant> retired_until;
};

// The path prefixes whose history ReadDurableBatchLedger needs (World::KeepDurableHistory).
std::vector<std::string> DriverMetadataPaths(const std::string& checkpoint_dir);

// Decodes the changes as the run makes them (World::ObserveDurableChanges), keeping only what
// it decoded and the durable files it may still need (checkpoints not yet renamed into place or
// deleted, the unfinished last line of each log file), so that its memory follows the batches,
// not the bytes written.
class DurableMetadataReader {
 public:
  // `driver_starts` (engine Ledger::driver_starts) is read at each change: it may grow while
  // the run goes, and must outlive the reader.
  DurableMetadataReader(std::string checkpoint_dir,
                        const std::map<int, sim::Instant>* driver_starts);
  ~DurableMetadataReader();
  DurableMetadataReader(const DurableMetadataReader&) = delete;
  DurableMetadataReader& operator=(const DurableMetadataReader&) = delete;

  void Apply(const sim::DurableChange& change);
  const DurableBatchLedger& ledger() const;
  // Forgets every item of a batch time at or before `t` (checker/running_check.h).
  void RetireUpTo(sim::Instant t);

 private:
  class Decoder;
  std::unique_ptr<Decoder> decoder_;
};

// All of `history` at once (tests, and histories kept by hand).
// REQUIRES: `driver_starts` maps each driver life to its start time (engine Ledger).
DurableBatchLedger ReadDurableBatchLedger(const std::vector<sim::DurableChange>& history,
                                          const std::string& checkpoint_dir,
                                          const std::map<int, sim::Instant>& driver_starts);

// The allocation life `driver_life` ran batch `t` of stream `stream_id` on: of those made durable
// by the latest life at or before it, the first; null when none was.
const DurableAllocation* DurableAllocationFor(const DurableBatchLedger& ledger, sim::Instant t,
                                              int stream_id, int driver_life);

// As DurableAllocationFor, for the offset ranges of direct input `input`.
const DurableOffsets* DurableOffsetsFor(const DurableBatchLedger& ledger, sim::Instant t,
                                        const std::string& input, int driver_life);

// As DurableAllocationFor, for the files of file stream `input`.
const DurableFiles* DurableFilesFor(const DurableBatchLedger& ledger, sim::Instant t,
                                    const std::string& input, int driver_life);

}  // namespace streamsim::checker
