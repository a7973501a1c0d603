// Kinesis as a receiver source (KinesisUtils.createStream, Spark's KinesisReceiver with the
// Kinesis Client Library). It reads the stream and writes the lease table through what the KCL
// sees of them (protocols/kinesis.h, KinesisService); the KCL runs inside the receiver, on the
// receiver's node:
//
//   - the KCL worker holds every shard's lease. On connecting it reads each shard's checkpoint
//     from the lease table and resumes just after it; a shard without a checkpoint starts at the
//     initial position: `latest` (records put from now on) or `trim_horizon` (the oldest held);
//   - each shard's record processor calls GetRecords (at most `max_records`) every
//     `idle_time_between_reads` (the KCL's idleTimeBetweenReadsInMillis) and hands what it got to
//     the receiver as one reliably stored block;
//   - once a block is stored and accepted by the driver, its shard's latest stored sequence
//     number advances (only over blocks stored in order, so that a gap is never skipped);
//   - Spark's KinesisCheckpointer writes each shard's latest stored sequence number to the lease
//     table every `checkpoint_interval` (Spark's default: the batch interval), and once more when
//     the receiver stops on a live node.
//
// So a relaunched receiver gets again every record after the last checkpoint: those stored since
// (duplicates) and those not yet stored (no loss) — at least once. A receiver that died before
// its first checkpoint of a shard starts again at the initial position: with `latest`, the
// records put in between are never read.
//
// In the run's ledger the records keep the stream's ids (shard, sequence number). A checkpoint,
// once the lease table holds it, acknowledges every record of its shard up to it from the first
// one this source handed over (ledger/source_ledger.h, AcknowledgedUpTo).
//
// Where this departs from Spark: each GetRecords result is one block (Spark's block generator
// gathers records into a block per block interval); KinesisBackedBlockRDD, which re-reads a block
// lost from memory by its sequence number ranges, is not modelled: such a block is lost as any
// other (the receiver write-ahead log keeps it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/receivers/receiver.h"
#include "protocols/kinesis.h"
#include "simulator/world.h"

namespace streamsim::engine {

struct KinesisSourceConfig {
  std::string application;              // the KCL application name: the lease table's key
  bool initial_position_latest = true;  // false: TRIM_HORIZON
  sim::Duration checkpoint_interval = sim::Duration::Seconds(1);
  sim::Duration idle_time_between_reads = sim::Duration::Seconds(1);
  int64_t max_records = 10000;  // the KCL's maxRecords
  // How long a call to the stream waits for its answer before the worker tries again.
  sim::Duration request_timeout = sim::Duration::Seconds(10);
};

class KinesisSource : public ReceiverSource {
 public:
  // Reads `service` (REQUIRES: outlives the source). REQUIRES: 1 <= config.max_records <=
  // kGetRecordsLimitMax, positive intervals.
  KinesisSource(sim::World* world, protocols::KinesisService* service, KinesisSourceConfig config);

  bool reliable() const override { return true; }
  void ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) override;
  void Disconnect() override;

  const KinesisSourceConfig& config() const { return config_; }
  int64_t checkpoints_written() const { return checkpoints_written_; }

 private:
  // One shard's record processor (volatile: a new connection starts afresh).
  struct ShardState {
    std::optional<int64_t> next;  // the next sequence number to read, once known
    int64_t request = 0;          // the call waited for, 0 for none
    std::map<int64_t, std::pair<int64_t, bool>> blocks;  // first seq -> (last seq, stored)
    std::optional<int64_t> latest_stored;
    std::optional<int64_t> checkpointed;  // what the lease table holds, as far as we know
  };
  void InitializeShard(uint64_t connection, int shard);
  void StartShard(uint64_t connection, int shard, std::optional<int64_t> checkpoint,
                  int64_t position);
  void ReadShard(uint64_t connection, int shard);
  void OnRecords(uint64_t connection, int shard, int64_t request,
                 std::vector<protocols::KinesisRecord> records);
  void OnBlockStored(uint64_t connection, int shard, int64_t first);
  void ScheduleCheckpoint(uint64_t connection);
  void CheckpointShards();
  // Sends `call` to the service's node; its answer runs `on_answer` on the receiver's node, unless
  // the connection changed. Nothing comes back when either node is down.
  void Call(uint64_t connection, std::function<std::function<void()>()> call);
  void RetryAfterTimeout(uint64_t connection, int shard, int64_t request,
                         std::function<void()> retry);

  sim::World* world_;
  KinesisSourceConfig config_;
  protocols::KinesisService* service_;
  uint64_t connection_ = 0;
  sim::NodeId receiver_node_;
  uint64_t receiver_incarnation_ = 0;
  StoreBlock store_block_;
  std::vector<ShardState> shards_;
  AcknowledgedUpTo acknowledged_;  // the ledger's view of the lease table (not volatile)
  int64_t next_request_ = 1;
  int64_t checkpoints_written_ = 0;
};

}  // namespace streamsim::engine
