// DStreams: a stream is one RDD per batch time. A DStream knows its parents and its slide, and
// computes its RDD for a valid batch time from its parents' RDDs at that time (memoised, so every
// output of a batch shares one RDD graph). It forgets RDDs older than its remember duration.
// Input DStreams make RDDs from the outside world: driver-held queues, received blocks, files.
// Each tells its allocation listener which records (by ledger id, ledger/ledger.h) a batch took.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/core/operators.h"
#include "engine/core/rdd.h"
#include "engine/core/records_and_ledger.h"
#include "ledger/file_ledger.h"
#include "ledger/ledger.h"
#include "simulator/time.h"
#include "simulator/world.h"

namespace streamsim::engine {

class ReceiverTracker;

// What an input stream's batch took, by ledger id, in block (or offset, file, queue) order.
struct InputAllocation {
  sim::Instant batch_time;
  RecordIds records;
  // Records allocated whose data nothing held any more when the RDD was made (blocks lost with
  // their executors, Kafka records deleted by retention, files that could not be read).
  int64_t unavailable = 0;
  // Whether the batch taking the records is their hand-over to the system (streams with no
  // receiver: Kafka direct, files, queues) rather than records received before.
  bool handed_over = false;
};

class DStream {
 public:
  DStream(std::string name, sim::Duration slide, std::vector<DStream*> parents);
  virtual ~DStream() = default;

  const std::string& name() const { return name_; }
  // The stream's place in its context's graph (0, 1, ... in the order streams were added), set
  // when the context starts: how the context keys what it keeps per stream, never by address.
  int id() const { return id_; }
  void set_id(int id) { id_ = id; }
  sim::Duration slide() const { return slide_; }
  const std::vector<DStream*>& parents() const { return parents_; }

  // Sets the time batches are counted from (the context's start time).
  virtual void Initialize(sim::Instant zero_time);
  // Whether this stream has an RDD at `t`: after zero time, on a multiple of the slide.
  bool IsValidTime(sim::Instant t) const;
  // The RDD at `t`, computed once; nullptr when `t` is not a valid time or there is no RDD.
  RddPtr GetOrCompute(sim::Instant t);
  // Drops memoised RDDs at or before `t - remember`, telling the forget listener of each.
  void ForgetOldRdds(sim::Instant t);
  // Keeps RDDs for at least `duration`, and makes the parents keep theirs for what this stream
  // needs of them (duration plus a window's length), recursively (Spark's DStream.remember).
  void RememberAtLeast(sim::Duration duration);
  sim::Duration remember() const { return remember_; }
  // How much further back than this stream's own remember duration its parents must remember.
  virtual sim::Duration ParentRememberExtra() const { return {}; }
  // The RDDs at this stream's valid times in [from, to], oldest first (computing missing ones).
  std::vector<RddPtr> Slice(sim::Instant from, sim::Instant to);

  // Every RDD this stream generates is persisted (kept in executor memory once computed).
  void set_persist(bool persist) { persist_ = persist; }
  bool persist() const { return persist_; }
  void set_forget_listener(std::function<void(const RddPtr&)> listener) {
    forget_listener_ = std::move(listener);
  }
  // Checkpointing: streams whose lineage grows without bound (state, inverse windows) must have
  // their RDDs checkpointed every checkpoint interval.
  virtual bool must_checkpoint() const { return false; }
  sim::Duration checkpoint_interval() const { return checkpoint_interval_; }
  // Spark's default: the smallest multiple of the slide that is at least 10 seconds.
  virtual sim::Duration DefaultCheckpointInterval() const;
  void set_checkpoint_interval(sim::Duration interval) { checkpoint_interval_ = interval; }
  // Whether the RDD at `t` is due for a data checkpoint.
  bool IsCheckpointTime(sim::Instant t) const;
  // The driver crashed: forget every memoised RDD and any other per-driver state. What survives
  // comes back only through RestorePosition and PutRdd (from the checkpoint).
  virtual void ClearVolatileState();
  // For input streams: what a checkpoint must keep to replay this stream's batches (files picked
  // per batch, ...). Null when there is nothing.
  virtual nlohmann::json SavePosition() const { return nullptr; }
  virtual void RestorePosition(const nlohmann::json& position) { (void)position; }
  // The memoised RDDs, oldest first; and replacing or restoring one (checkpoint, recovery).
  const std::map<sim::Instant, RddPtr>& generated() const { return generated_; }
  void PutRdd(sim::Instant t, RddPtr rdd) { generated_[t] = std::move(rdd); }
  // For input streams: how many records the batch at `t` took in (Spark's "input records").
  virtual int64_t InputRecords(sim::Instant t) const {
    (void)t;
    return 0;
  }
  bool is_input() const { return parents_.empty(); }
  size_t remembered_rdds() const { return generated_.size(); }
  // Input streams: told of every RDD made, with what it took (for the run's ledger).
  using AllocationListener = std::function<void(const DStream& input, InputAllocation allocation)>;
  void set_allocation_listener(AllocationListener listener) {
    allocation_listener_ = std::move(listener);
  }

 protected:
  virtual RddPtr Compute(sim::Instant t) = 0;
  // Called when RDDs at or before `limit` are forgotten, to drop per-batch bookkeeping.
  virtual void ForgetUpTo(sim::Instant limit) { (void)limit; }
  sim::Instant zero_time() const { return zero_time_; }
  bool allocations_listened() const { return static_cast<bool>(allocation_listener_); }
  void ReportAllocation(InputAllocation allocation) const;

 private:
  std::string name_;
  int id_ = -1;
  sim::Duration slide_;
  std::vector<DStream*> parents_;
  sim::Instant zero_time_;
  sim::Duration remember_;
  std::map<sim::Instant, RddPtr> generated_;
  bool persist_ = false;
  sim::Duration checkpoint_interval_;
  std::function<void(const RddPtr&)> forget_listener_;
  AllocationListener allocation_listener_;
};

// A stateless stream: a chain of operators applied to the parent's RDD of each batch. parents()[0]
// is the main input; parents()[1 + i] is `others[i]` of the chain's binary operators.
class TransformedDStream : public DStream {
 public:
  TransformedDStream(std::string name, std::vector<DStream*> parents, std::vector<Operator> chain,
                     OperatorEnvironment environment);

 protected:
  RddPtr Compute(sim::Instant t) override;

 private:
  std::vector<Operator> chain_;
  OperatorEnvironment environment_;
};

// queueStream: explicit records per batch. With one_at_a_time the batch at the i-th batch time
// takes the i-th queued batch (an empty RDD after the last); otherwise the first batch takes
// everything. The batch is chosen by its time, not by dequeuing, so a recovered driver that
// re-runs a batch gets the same records: the source is replayable, like the TestInputStream of
// Spark's own streaming test suites.
class QueueInputDStream : public DStream {
 public:
  QueueInputDStream(std::string name, sim::Duration slide, std::vector<Values> batches,
                    int partitions, bool one_at_a_time);
  int64_t InputRecords(sim::Instant t) const override;
  void ClearVolatileState() override;
  // The queue's records are produced, all at once at `at`: the i-th queued batch is the ledger
  // partition i, a record's sequence its position in it.
  void AttachLedger(const SourceLedger& ledger, sim::Instant at);

 protected:
  RddPtr Compute(sim::Instant t) override;
  void ForgetUpTo(sim::Instant limit) override;

 private:
  RecordIds IdsOfBatch(size_t index) const;

  SourceLedger ledger_;
  std::map<sim::Instant, int64_t> records_at_;
  std::vector<Values> batches_;
  int partitions_;
  bool one_at_a_time_;
};

// A receiver's stream: the RDD at `t` has one partition per block allocated to batch `t`.
// Blocks that no live executor holds any more (after a driver failure) are left out of the RDD
// with Spark's warning, as ReceiverInputDStream does when the blocks have no write-ahead log.
class ReceiverInputDStream : public DStream {
 public:
  using BlockAvailable = std::function<bool(const BlockRdd::BlockInfo& block)>;
  // A block's records by ledger id (Ledger::BlockRecords for the current driver life).
  using BlockRecords = std::function<RecordIds(const BlockRdd::BlockInfo& block)>;
  using Warn = std::function<void(const std::string& message)>;
  ReceiverInputDStream(std::string name, sim::Duration slide, int stream_id,
                       ReceiverTracker* tracker, BlockAvailable available,
                       BlockRecords block_records, Warn warn);
  int stream_id() const { return stream_id_; }
  int64_t InputRecords(sim::Instant t) const override;

 protected:
  RddPtr Compute(sim::Instant t) override;

 private:
  int stream_id_;
  ReceiverTracker* tracker_;
  BlockAvailable available_;
  BlockRecords block_records_;
  Warn warn_;
};

// textFileStream: each batch takes the files that appeared in the directory since the last batch
// (files become visible by atomic rename; names starting with "." or "_" are in-progress files and
// are ignored, as Hadoop's default path filter does). Every file is processed once. Files already
// in the directory at start are never processed (textFileStream's newFilesOnly = true).
class FileInputDStream : public DStream {
 public:
  FileInputDStream(std::string name, sim::Duration slide, std::string directory, sim::World* world);
  void Initialize(sim::Instant zero_time) override;
  const std::set<std::string>& processed_files() const { return processed_; }
  // The ledger of the watched directory (null: none). REQUIRES: it outlives the stream.
  void AttachLedger(FileLedger* ledger) { ledger_ = ledger; }
  int64_t InputRecords(sim::Instant t) const override;
  void ClearVolatileState() override;
  nlohmann::json SavePosition() const override;
  void RestorePosition(const nlohmann::json& position) override;

 protected:
  RddPtr Compute(sim::Instant t) override;
  void ForgetUpTo(sim::Instant limit) override;

 private:
  std::map<sim::Instant, int64_t> records_at_;
  std::map<sim::Instant, std::vector<std::string>> files_at_;  // files of each remembered batch
  std::string directory_;
  sim::World* world_;
  FileLedger* ledger_ = nullptr;
  std::set<std::string> processed_;
  std::set<std::string> existing_at_start_;
};

}  // namespace streamsim::engine
