// A simulated Amazon Kinesis stream, as a world node ("kinesis/<source name>"), with the KCL's
// lease table (the DynamoDB table where consumers checkpoint). The stream has N shards, each an
// ordered log of records numbered by per-shard sequence numbers from 0. A producer on the node
// puts generated lines at a configured rate (all shards together, following the rate exactly over
// time), spread round-robin over the shards — as explicit hash keys chosen round-robin would.
// Records older than the retention period (24 hours by default, Kinesis's) are trimmed; the oldest
// record still held is the shard's trim horizon.
//
// The lease table keeps, per application and shard, the last checkpointed sequence number; it is
// durable. This node serves the table too (one node stands for both services): while it is down,
// checkpoints fail like reads do.
//
// Faults this double injects (it has no others): the node can crash and start again. While it is
// down reads and checkpoints fail and the producer's puts fail — the records that fall due
// meanwhile are never produced. The shards and the lease table are durable: both survive whole.
//
// In the run's ledger a record's id is (its shard, its sequence number).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "ledger/source_ledger.h"
#include "protocols/kinesis.h"
#include "records/generators.h"
#include "simulator/world.h"

namespace streamsim::externals {

struct KinesisStreamConfig {
  std::string source_name;  // names the node, the stream and the workload random stream
  int shards = 1;
  double rate_per_second = 100;  // records put per second, all shards together
  records::GeneratorConfig generator;
  sim::Duration retention = sim::Duration::Seconds(24 * 3600);
  sim::Duration produce_interval = sim::Duration::Millis(10);
};

class KinesisStream : public protocols::KinesisService {
 public:
  // Adds the node "kinesis/<source name>"; the producer starts when the node starts.
  // REQUIRES: config.shards >= 1, config.rate_per_second > 0, config.retention > 0.
  KinesisStream(sim::World* world, KinesisStreamConfig config);
  KinesisStream(const KinesisStream&) = delete;
  KinesisStream& operator=(const KinesisStream&) = delete;

  const KinesisStreamConfig& config() const { return config_; }
  const std::string& name() const { return config_.source_name; }
  sim::NodeId node() const override { return node_; }
  int shards() const override { return config_.shards; }
  bool available() const override;
  // The run's ledger, attached by the source that owns the stream.
  void AttachLedger(ledger::Ledger* ledger, int32_t source_index) {
    ledger_ = ledger::SourceLedger(ledger, source_index);
    ledger_.DrawsFrom(generator_);
  }
  const ledger::SourceLedger& ledger() const { return ledger_; }

  // Puts a record into `shard` now and returns its sequence number (the producer calls this;
  // tests may too: it works while down). REQUIRES: 0 <= shard < shards().
  int64_t Put(int shard, std::string data);
  // protocols::KinesisService: reads, and the lease table, fail while the node is down.
  int64_t NextSequenceNumber(int shard) const override;
  int64_t TrimHorizon(int shard) const override;
  Result<std::vector<protocols::KinesisRecord>> GetRecords(int shard, int64_t from,
                                                           int64_t limit) const override;
  Status Checkpoint(const std::string& application, int shard, int64_t sequence_number) override;
  Result<std::optional<int64_t>> CheckpointOf(const std::string& application,
                                              int shard) const override;

  int64_t records_produced() const { return produced_; }
  int64_t records_not_produced() const { return not_produced_; }  // fell due while down

 private:
  // Puts without telling the ledger; returns the sequence number.
  int64_t Store(int shard, std::string data);
  struct Shard {
    int64_t trim_horizon = 0;
    std::deque<protocols::KinesisRecord>
        records;  // sequence numbers [trim_horizon, trim_horizon + size)
  };
  void OnStart();
  void Produce();
  void Trim(Shard& shard);
  int64_t RecordsDue() const;
  const Shard& shard(int index) const;
  Status Unavailable(const std::string& operation) const;

  sim::World* world_;
  KinesisStreamConfig config_;
  sim::NodeId node_;
  std::shared_ptr<const records::RecordGenerator> generator_;
  ledger::SourceLedger ledger_;
  std::vector<Shard> shards_;
  std::map<std::pair<std::string, int>, int64_t> lease_table_;  // (application, shard) -> seq
  std::optional<sim::Instant> first_start_;
  int64_t produced_ = 0;
  int64_t not_produced_ = 0;
};

}  // namespace streamsim::externals
