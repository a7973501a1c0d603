// The run's ledgers: what every source produced, what the system took from it and acknowledged,
// which records each batch time was given, and what each output emitted. The checker (checker/)
// reads them after the run to decide whether the results were exactly-once; the engine only
// writes them.
//
// The ledger lives outside the simulated world, like the trace: no fault reaches it, it is never
// written to simulated storage and it costs no simulated time, so keeping it changes no figure of
// the run. A record's id never enters a block's byte count, a write-ahead log record or a
// checkpoint.
//
// Record ids are (source, partition, sequence): the source's index in registration order, a
// partition of that source (a Kafka partition, a Kinesis shard, a file, a queue batch; 0 for a
// single-stream source such as a socket) and a dense 0-based sequence within it (a line number, an
// offset). A source that sends the same record again (a reliable source re-delivering what was
// not acknowledged, a Kafka consumer re-reading from its committed offset) uses the same id, so a
// record in two batches is visible as such.
#pragma once

#include <compare>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ledger/recent_values.h"
#include "records/value.h"
#include "simulator/time.h"

namespace streamsim::ledger {

struct RecordId {
  int32_t source = 0;
  int32_t partition = 0;
  int64_t sequence = 0;
  friend auto operator<=>(const RecordId&, const RecordId&) = default;
};
using RecordIds = std::vector<RecordId>;

// What one record went through. Times are in microseconds of simulated time; -1 when it did not
// happen. Its value is not here: Ledger::ValueOf knows it again.
struct RecordEntry {
  int64_t produced_us = -1;
  int64_t first_delivered_us = -1;  // first handed to the system (a receiver, a direct batch)
  int64_t acknowledged_us = -1;     // first acknowledged (stored reliably, offsets committed)
  int32_t deliveries = 0;           // how many times it was handed to the system
  // The external system dropped it before the system could take it (a full Flume channel, a
  // custom device's full outbox).
  bool dropped = false;
};

// A partition's records by sequence. A deque: it grows by chunks, never copying what it holds.
using RecordEntries = std::deque<RecordEntry>;

// A partition's records as the ledger keeps them once the check retires the settled part
// (checker/running_check.h): the records from `first_kept` on by sequence, and before it only
// those a check may still need. A retired record was produced and given to a settled batch: the
// checks know it as such without its entry.
struct PartitionRecords {
  // A record below first_kept a check still needs, with the first delivery of a retired record
  // after it (before the next record kept), when one was retired after it; -1 when none was.
  struct Earlier {
    int64_t sequence = 0;
    RecordEntry entry;
    int64_t next_retired_delivery_us = -1;
  };
  int64_t first_kept = 0;
  RecordEntries entries;  // sequences first_kept, first_kept + 1, ...
  // By sequence. A deque: it grows at its end (records leave the entries in order) by chunks.
  std::deque<Earlier> earlier;
  // earlier[waiting_from...] wait for the first retired delivery after them: the others have it,
  // or a kept delivered record after them.
  size_t waiting_from = 0;
  // The lowest sequence of a retired record that was delivered; -1 when none was.
  int64_t first_retired_delivered = -1;

  // The entry of `sequence`, null when it is neither kept nor earlier (retired, or never made).
  const RecordEntry* Find(int64_t sequence) const;
  RecordEntry* Find(int64_t sequence);
  bool Retired(int64_t sequence) const;
};

// One input stream's share of one batch, as the driver allocated it.
struct BatchAllocation {
  int driver_life = 0;
  sim::Instant batch_time;
  std::string input;       // the input stream's name
  RecordIds records;       // in block (or offset) order
  bool recovered = false;  // allocated from what a restarted driver read back (WAL, checkpoint)
  // Records allocated whose data no executor and no log held any more when the batch ran.
  int64_t unavailable = 0;
};

// How one batch of one driver life ended: every job succeeded (`failure` empty) or one failed.
// A batch still running when the run ends has no outcome.
struct BatchOutcome {
  int driver_life = 0;
  sim::Instant batch_time;
  std::string failure;  // the failed job's message
};

// One execution of an output operation for one batch that reached the driver (a print, a collect,
// a commit of saveAsTextFiles).
struct OutputEmission {
  std::string output;
  int driver_life = 0;
  sim::Instant batch_time;
  records::Values records;  // what a collect returned or a print printed; empty for other kinds
  sim::Instant emitted_at;  // when the driver finished the output job
};

// A source's record values drawn again: the value of the source's draw number `draw` (the
// producer's own count of the records it made, which a Kafka producer spreads over partitions), a
// pure function (a counter-based generator, records/generators.h), so that the ledger keeps no
// copy of a record.
using ValueFunction = std::function<records::Value(int64_t draw)>;

class Ledger {
 public:
  Ledger() = default;
  // Not copyable: it points into its own maps (a move keeps their nodes, and so its pointers).
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;
  Ledger(Ledger&&) = default;
  Ledger& operator=(Ledger&&) = default;

  // Whether records are kept: their ids, times and values, blocks, the record ids of allocations,
  // what outputs emitted and the outcomes of batches that succeeded. A run nobody checks
  // (streamsim run --no-check) keeps only driver lives and failed batches, so that its memory
  // does not grow with its length; every record call is then a no-op. Call before the first
  // record.
  void KeepRecords(bool keep) { keep_records_ = keep; }
  bool keeps_records() const { return keep_records_; }

  // Sources. Returns the new source's index (its RecordId.source).
  int32_t RegisterSource(std::string name);
  const std::vector<std::string>& sources() const { return source_names_; }
  // How the values of `source`'s generated records are drawn again (ProducedGenerated).
  void SetValueFunction(int32_t source, ValueFunction function);
  // Records made by the external system. Producing an id twice keeps the first. `value` is kept
  // (a record given by the scenario, or written by someone else); a generated record's value is
  // not: it is its source's value function at its id.
  void Produced(const RecordId& id, records::Value value, sim::Instant at);
  // A record whose value is the source's value function at `draw`, whose text is `text` (kept
  // while a check may still read it, ledger/recent_values.h; then drawn again).
  // REQUIRES: the source has a value function, and `text` is its value at `draw`.
  void ProducedGenerated(const RecordId& id, int64_t draw, sim::Instant at,
                         const std::string& text);
  // A produced record the external system dropped before handing it over.
  void Dropped(const RecordId& id);
  // Records handed to the system (every time they are handed).
  void Delivered(const RecordIds& ids, sim::Instant at);
  // Records the system acknowledged to the source (their first acknowledgement is kept).
  void Acknowledged(const RecordIds& ids, sim::Instant at);
  // REQUIRES: `id` was produced.
  const RecordEntry& Entry(const RecordId& id) const;
  records::Value ValueOf(const RecordId& id) const;
  bool WasProduced(const RecordId& id) const;
  // Appends the value of each record of `ids` that was produced to `values`, in order; nothing
  // for one that was not. A value kept for the check (ledger/recent_values.h) is moved out, not
  // copied: the check reads most records once, and one read again is drawn again (the same value).
  void TakeValuesIfProduced(const RecordIds& ids, records::Values* values) const;
  // Whether every sequence in [from, until) of (source, partition) `key` was produced.
  bool AllProduced(std::pair<int32_t, int32_t> key, int64_t from, int64_t until) const;
  // Every (source, partition) with its records, in id order.
  const std::map<std::pair<int32_t, int32_t>, PartitionRecords>& partitions() const {
    return partitions_;
  }
  // The latest first delivery of any record, retired ones included; absent when none was.
  std::optional<sim::Instant> last_first_delivery() const { return last_first_delivery_; }

  // Blocks. A block is known by the driver life that created it and its id (block ids restart
  // with a new driver), and, once written to the receiver log, by its place in the log.
  void BlockCreated(int driver_life, const std::string& block_id, RecordIds records);
  void BlockWrittenAhead(int driver_life, const std::string& block_id, const std::string& wal_path,
                         int64_t wal_offset);
  // The records of a block a driver of life `driver_life` refers to: the logged block at that
  // place when `wal_path` is not empty, else the block of that id made by the latest life at or
  // before `driver_life`. Empty when unknown.
  RecordIds BlockRecords(int driver_life, const std::string& block_id, const std::string& wal_path,
                         int64_t wal_offset) const;
  // Forgets the block BlockRecords would find (checker/running_check.h: its batch settled).
  void ForgetBlock(int driver_life, const std::string& block_id, const std::string& wal_path,
                   int64_t wal_offset);
  // BlockRecords, for the engine allocating the block to a batch: forgets the block unless blocks
  // are kept (KeepAllocatedBlocks).
  RecordIds RecordsOfAllocatedBlock(int driver_life, const std::string& block_id,
                                    const std::string& wal_path, int64_t wal_offset);

  // Driver lives: life `life` (1 for the first driver) started at `at`.
  void DriverStarted(int life, sim::Instant at) { driver_starts_[life] = at; }
  const std::map<int, sim::Instant>& driver_starts() const { return driver_starts_; }
  // A restarted driver (life > 1) that recovered nothing: no checkpoint directory, or none
  // readable in it (the driver before it crashed before writing its first).
  void DriverStartedAfresh(int life, sim::Instant at) { fresh_starts_[life] = at; }
  const std::map<int, sim::Instant>& fresh_starts() const { return fresh_starts_; }

  // Batches.
  void Allocated(BatchAllocation allocation);
  // A batch of that life finished; `failure` is empty when every job of it succeeded.
  void BatchFinished(int driver_life, sim::Instant batch_time, std::string failure);
  const std::vector<BatchAllocation>& allocations() const { return allocations_; }
  const std::vector<BatchOutcome>& outcomes() const { return outcomes_; }

  // What each driver life did to batches, kept whole when its batches are retired.
  struct LifeBatches {
    std::optional<sim::Instant> first_time, last_time;  // any batch it allocated or finished
    std::optional<sim::Instant> first_allocated, last_allocated;
    std::optional<sim::Instant> first_recovered;  // its first allocation made `recovered`
    bool finished_any = false;
  };
  const std::map<int, LifeBatches>& life_batches() const { return life_batches_; }

  // Outputs.
  void Emitted(OutputEmission emission);
  const std::vector<OutputEmission>& emissions() const { return emissions_; }

  // Retirement (checker/running_check.h). Forgets every allocation and emission of a batch time
  // at or before `t`, and its outcomes unless one is a failure.
  void RetireBatchesUpTo(sim::Instant t);
  // Forgets the entries of `key`'s sequences below `until` for which `retire(sequence, entry)`
  // is true; the others stay as earlier records. REQUIRES: those retired were produced.
  void RetireRecords(std::pair<int32_t, int32_t> key, int64_t until,
                     const std::function<bool(int64_t, const RecordEntry&)>& retire);
  // Whether a block is looked up again once a batch is allocated its records: only the checker's
  // reading of durable metadata does, and a restarted driver's recovery from a checkpoint. Without
  // them (false), RecordsOfAllocatedBlock forgets the block it returns.
  void KeepAllocatedBlocks(bool keep) { keep_allocated_blocks_ = keep; }

 private:
  RecordEntry* Find(const RecordId& id);
  // The entry of a record being produced; null when it was produced before.
  RecordEntry* NewEntry(const RecordId& id);
  RecordEntry* NewEntryIn(PartitionRecords& partition, int64_t sequence);
  // Draw numbers of a partition's generated records: sequences from `first_sequence` on have
  // draw first_draw + (sequence - first_sequence) * stride, up to the next run. A Kafka partition
  // of a round-robin producer is one run of stride = partitions until the broker misses records.
  struct DrawRun {
    int64_t first_sequence = 0;
    int64_t first_draw = 0;
    int64_t stride = 1;
    int64_t last_sequence = 0;
  };
  void AddDraw(std::vector<DrawRun>* runs, int64_t sequence, int64_t draw);
  // What the ledger keeps of a partition of generated records besides its entries: their draw
  // numbers and their values while the check may read them.
  struct GeneratedPartition {
    std::pair<int32_t, int32_t> key;
    PartitionRecords* records = nullptr;  // partitions_[key]
    std::vector<DrawRun> draws;
    // A cache, taken from by a const read (TakeValuesIfProduced).
    mutable RecentValues recent;
  };
  // The partition `key` of a source with a value function; the last one asked for is found
  // without a lookup (a source makes its records partition by partition).
  GeneratedPartition& GeneratedPartitionOf(std::pair<int32_t, int32_t> key);
  int64_t DrawOf(const RecordId& id) const;

  void NoteLifeBatch(int life, sim::Instant t);

  bool keep_records_ = true;
  bool keep_allocated_blocks_ = true;
  std::optional<sim::Instant> last_first_delivery_;
  std::map<int, LifeBatches> life_batches_;
  std::vector<std::string> source_names_;
  std::map<int32_t, ValueFunction> value_functions_;  // by source
  std::map<RecordId, records::Value> kept_values_;    // records produced with their value
  std::map<std::pair<int32_t, int32_t>, GeneratedPartition> generated_;  // by (source, partition)
  GeneratedPartition* generated_cursor_ = nullptr;  // the last GeneratedPartitionOf
  std::map<std::pair<int32_t, int32_t>, PartitionRecords> partitions_;
  std::map<std::pair<int, std::string>, RecordIds> blocks_;             // (life, block id)
  std::map<std::pair<std::string, int64_t>, RecordIds> logged_blocks_;  // (log path, offset)
  std::map<int, sim::Instant> driver_starts_;
  std::map<int, sim::Instant> fresh_starts_;
  std::vector<BatchAllocation> allocations_;
  std::vector<BatchOutcome> outcomes_;
  std::vector<OutputEmission> emissions_;
};

}  // namespace streamsim::ledger
