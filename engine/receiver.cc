// Receiver lifecycle and the block generator.
#include "engine/receiver.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/value_codec.h"
#include "engine/write_ahead_log.h"

namespace streamsim::engine {

Receiver::Receiver(sim::World* world, Cluster* cluster, ReceiverTracker* tracker, int stream_id,
                   std::string name, ReceiverSource* source, ReceiverConfig config)
    : world_(world),
      cluster_(cluster),
      tracker_(tracker),
      stream_id_(stream_id),
      name_(std::move(name)),
      source_(source),
      config_(config) {}

void Receiver::Start(int executor) {
  executor_ = executor;
  Executor& host = cluster_->executors[executor];
  ++host.receiver_cores;
  ReceiverStatus& status = tracker_->status(stream_id_);
  status.name = name_;
  status.stream_id = stream_id_;
  status.executor = executor;
  status.state = "ACTIVE";
  world_->Record("receiver", fmt::format("start {} on {}", name_, host.name));
  source_->Connect(host.node, [this](Values records) { Store(std::move(records)); });
  ScheduleCut();
}

void Receiver::Stop(const std::string& reason, bool flush) {
  if (executor_ < 0) return;
  if (flush) CutBlock();
  Executor& host = cluster_->executors[executor_];
  if (host.alive) --host.receiver_cores;  // a dead executor's cores are already gone
  source_->Disconnect();
  world_->Cancel(cut_timer_);
  buffer_.clear();
  ReceiverStatus& status = tracker_->status(stream_id_);
  status.state = "INACTIVE";
  status.executor = -1;
  if (!reason.empty()) status.last_error = reason;
  world_->Record("receiver", fmt::format("stop {}: {}", name_, reason));
  executor_ = -1;
}

void Receiver::Kill(const std::string& reason) {
  Stop(reason, /*flush=*/false);
  blocks_in_flight_ = 0;
}

void Receiver::Store(Values records) {
  if (executor_ < 0) return;  // arrived after the receiver stopped: nobody reads the socket
  buffer_.insert(buffer_.end(), std::make_move_iterator(records.begin()),
                 std::make_move_iterator(records.end()));
}

void Receiver::ScheduleCut() {
  cut_timer_ = world_->Schedule(cluster_->executors[executor_].node, config_.block_interval,
                                [this]() {
                                  CutBlock();
                                  ScheduleCut();
                                });
}

int Receiver::ReplicaFor(int executor) const {
  const int count = static_cast<int>(cluster_->executors.size());
  for (int step = 1; step < count; ++step) {
    const int candidate = (executor + step) % count;
    if (cluster_->executors[candidate].alive) return candidate;
  }
  return -1;
}

void Receiver::CutBlock() {
  if (buffer_.empty()) return;  // no block for an empty interval
  ++blocks_in_flight_;
  auto block = std::make_shared<Block>();
  block->id = fmt::format("input-{}-{}", stream_id_, next_block_++);
  block->stream_id = stream_id_;
  block->records = std::move(buffer_);
  buffer_.clear();
  block->bytes = EstimateBytes(block->records);
  block->created_us = world_->Now().us;
  Executor& host = cluster_->executors[executor_];
  host.blocks.Put(block);
  BlockRdd::BlockInfo info;
  info.id = block->id;
  info.records = static_cast<int64_t>(block->records.size());
  info.executors = {executor_};
  world_->Record("block", fmt::format("{} records={} on {}", block->id, info.records, host.name));
  if (!config_.wal_directory.empty()) return WriteAheadAndReport(block, std::move(info));
  const int replica = config_.replication >= 2 ? ReplicaFor(executor_) : -1;
  if (replica < 0) return Report(std::move(info));
  // Replicate, then report once the replica acknowledged (putting a block with replication is
  // synchronous in Spark's block manager).
  Executor& target = cluster_->executors[replica];
  world_->network().Send(sim::Message{
      host.node, target.node, block->bytes, "replicate-block",
      [this, block, replica, info, source = host.node, target_node = target.node]() mutable {
        cluster_->executors[replica].blocks.Put(block);
        info.executors.push_back(replica);
        world_->network().Send(sim::Message{target_node, source, 64, "replicate-ack",
                                            [this, info]() { Report(info); }});
      }});
}

// WriteAheadLogBasedBlockHandler: the block goes to the log (append + sync, `wal_write_time`) and
// to the block manager; it is reported only once both are done.
void Receiver::WriteAheadAndReport(const BlockPtr& block, BlockRdd::BlockInfo info) {
  const std::string record =
      nlohmann::json{{"block", block->id},
                     {"stream", stream_id_},
                     {"records", EncodeValue(Value::List(block->records))}}
          .dump();
  WriteAheadLog log(config_.wal_directory, config_.wal_rolling_interval);
  Executor& host = cluster_->executors[executor_];
  Result<WalRecordHandle> handle =
      log.Write(world_->storage(), host.node, record, world_->Now());
  if (!handle.ok()) {
    --blocks_in_flight_;
    tracker_->status(stream_id_).last_error = "write-ahead log: " + handle.status().message();
    world_->Record("receiver", fmt::format("{} not logged: {}", block->id,
                                           handle.status().message()));
    return;
  }
  info.wal_path = handle.value().path;
  info.wal_offset = handle.value().offset;
  info.wal_length = handle.value().length;
  world_->Schedule(host.node, config_.wal_write_time,
                   [this, info = std::move(info)]() mutable { Report(std::move(info)); });
}

void Receiver::Report(BlockRdd::BlockInfo info) {
  // Reported even if the receiver stopped while the block was being replicated: the last block of
  // a graceful stop must reach the driver, as Spark's BlockGenerator drains its blocks before the
  // receiver stops. (A crashed host sends nothing: the network drops messages of down nodes.)
  const Executor& host = cluster_->executors[info.executors.front()];
  world_->network().Send(sim::Message{host.node, cluster_->driver, 256, "add-block",
                                      [this, info = std::move(info)]() {
                                        --blocks_in_flight_;
                                        tracker_->AddBlock(ReceivedBlock{stream_id_, info});
                                      }});
}

}  // namespace streamsim::engine
