// Receiver lifecycle, the block generator, and reliable stores with their acknowledgements.
#include "engine/receivers/receiver.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/assert.h"
#include "engine/core/records_and_ledger.h"
#include "engine/recovery/write_ahead_log.h"
#include "records/value_codec.h"

namespace streamsim::engine {

Receiver::Receiver(sim::World* world, Cluster* cluster, ReceiverTracker* tracker, int stream_id,
                   std::string name, ReceiverSource* source, ReceiverConfig config)
    : world_(world),
      cluster_(cluster),
      tracker_(tracker),
      stream_id_(stream_id),
      name_(std::move(name)),
      source_(source),
      config_(config) {
  STREAMSIM_ASSERT(config_.ledger == nullptr || config_.driver_life);
}

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
  const uint64_t connection = ++connection_;
  if (source_->reliable()) {
    source_->ConnectReliable(
        host.node, [this, connection](Values records, RecordIds ids, OnStored on_stored) {
          StoreReliably(connection, std::move(records), std::move(ids), std::move(on_stored));
        });
  } else {
    source_->Connect(host.node, [this](Values records, RecordIds ids) {
      Store(std::move(records), std::move(ids));
    });
  }
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
  buffer_ids_.clear();
  pending_acks_.clear();  // blocks still being stored are never acknowledged to the source
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

void Receiver::Store(Values records, RecordIds ids) {
  STREAMSIM_ASSERT(ids.size() == records.size());
  if (executor_ < 0) return;  // arrived after the receiver stopped: nobody reads the socket
  NoteDelivered(ids);
  buffer_.insert(buffer_.end(), std::make_move_iterator(records.begin()),
                 std::make_move_iterator(records.end()));
  buffer_ids_.insert(buffer_ids_.end(), ids.begin(), ids.end());
}

void Receiver::ScheduleCut() {
  cut_timer_ =
      world_->Schedule(cluster_->executors[executor_].node, config_.block_interval, [this]() {
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
  Values records = std::move(buffer_);
  RecordIds ids = std::move(buffer_ids_);
  buffer_.clear();
  buffer_ids_.clear();
  PushBlock(std::move(records), std::move(ids), nullptr);
}

// Receiver.store(ArrayBuffer): the block is pushed at once, bypassing the block generator.
void Receiver::StoreReliably(uint64_t connection, Values records, RecordIds ids,
                             OnStored on_stored) {
  STREAMSIM_ASSERT(ids.size() == records.size());
  if (executor_ < 0 || connection != connection_) return;  // from a connection that is gone
  if (records.empty()) {
    if (on_stored) on_stored();  // nothing to store, nothing to lose
    return;
  }
  NoteDelivered(ids);
  PushBlock(std::move(records), std::move(ids), std::move(on_stored));
}

// Read: each block cut is counted in flight once (PushBlock) and leaves it once — reported,
// refused by the log, or forgotten with the executor that died with the driver (Kill).
void Receiver::BlockLeftFlight() {
  STREAMSIM_ASSERT(blocks_in_flight_ > 0, name_ + ": a block left flight twice");
  --blocks_in_flight_;
}

std::string Receiver::NextBlockId() {
  return fmt::format("input-{}-{}", stream_id_, next_block_++);
}

void Receiver::PushBlock(Values records, RecordIds ids, OnStored on_stored) {
  ++blocks_in_flight_;
  auto block = std::make_shared<Block>();
  block->id = NextBlockId();
  block->stream_id = stream_id_;
  block->records = std::move(records);
  block->ids = std::move(ids);  // not counted in the bytes: ids cost no simulated time
  block->bytes = EstimateBytes(block->records);
  block->created_us = world_->Now().us;
  NoteBlockCreated(*block);
  if (on_stored) pending_acks_[block->id] = std::move(on_stored);
  Executor& host = cluster_->executors[executor_];
  host.blocks.Put(block);
  BlockRdd::BlockInfo info;
  info.id = block->id;
  info.records = static_cast<int64_t>(block->records.size());
  info.executors = {executor_};
  world_->Record("block", fmt::format("{} records={} on {}", block->id, info.records, host.name));
  if (!config_.wal_directory.empty()) {
    const int64_t in_flight = blocks_in_flight_;
    WriteAheadAndReport(block, std::move(info));
    // A block the log refused is never reported: a reliable store fails (Spark's store throws).
    if (blocks_in_flight_ < in_flight && pending_acks_.count(block->id) > 0) {
      FailReliableStore(block->id, "write-ahead log write failed");
    }
    return;
  }
  const int replica = config_.replication >= 2 ? ReplicaFor(executor_) : -1;
  if (replica < 0) return Report(std::move(info));
  // Replicate, then report once the replica acknowledged (putting a block with replication is
  // synchronous in Spark's block manager). If the peer dies first, the put ends with the local
  // copy only (WatchReplica).
  Executor& target = cluster_->executors[replica];
  auto reported = std::make_shared<bool>(false);
  world_->network().Send(sim::Message{host.node, target.node, block->bytes, "replicate-block",
                                      [this, block, replica, info, reported, source = host.node,
                                       target_node = target.node]() mutable {
                                        cluster_->executors[replica].blocks.Put(block);
                                        info.executors.push_back(replica);
                                        world_->network().Send(
                                            sim::Message{target_node, source, 64, "replicate-ack",
                                                         [this, info, reported]() {
                                                           if (*reported) return;
                                                           *reported = true;
                                                           Report(info);
                                                         }});
                                      }});
  WatchReplica(std::move(info), target.node, world_->Incarnation(target.node), reported);
}

// The host's connection to the replica's peer breaks when the peer dies: Spark's block manager
// then gives up on that peer ("Block ... replicated to only 0 peer(s) instead of 1 peers") and
// the put succeeds with the local copy, which is reported.
void Receiver::WatchReplica(BlockRdd::BlockInfo info, sim::NodeId peer, uint64_t peer_life,
                            std::shared_ptr<bool> reported) {
  const sim::NodeId host = cluster_->executors[info.executors.front()].node;
  world_->Schedule(host, sim::Duration::Millis(100),
                   [this, info = std::move(info), peer, peer_life, reported]() mutable {
                     if (*reported) return;
                     if (world_->IsUp(peer) && world_->Incarnation(peer) == peer_life) {
                       return WatchReplica(std::move(info), peer, peer_life, reported);
                     }
                     *reported = true;
                     world_->Record("block", fmt::format("{} replicated to only 0 peer(s) "
                                                         "instead of 1 peers",
                                                         info.id));
                     Report(std::move(info));
                   });
}

// WriteAheadLogBasedBlockHandler: the block goes to the log and to the block manager; it is
// reported only once both are done. The log write takes `wal_write_time` (plus the store's own
// delay): the record is appended at once and synced at the end, so a crash in between loses or
// tears it. A write the store refuses is reported as the receiver's error; a reliable store then
// fails (at once when the append is refused, at the end when the sync is).
void Receiver::WriteAheadAndReport(const BlockPtr& block, BlockRdd::BlockInfo info) {
  const std::string record = nlohmann::json{{"block", block->id},
                                            {"stream", stream_id_},
                                            {"records", EncodeValue(Value::List(block->records))}}
                                 .dump();
  auto fail = [this, id = block->id](const std::string& message) {
    BlockLeftFlight();
    tracker_->status(stream_id_).last_error = "write-ahead log: " + message;
    world_->Record("receiver", fmt::format("{} not logged: {}", id, message));
  };
  WriteAheadLog log(config_.wal_directory, config_.wal_rolling_interval);
  Executor& host = cluster_->executors[executor_];
  Result<WalRecordHandle> handle = log.Append(world_->storage(), host.node, record, world_->Now());
  if (!handle.ok()) return fail(handle.status().message());
  info.wal_path = handle.value().path;
  info.wal_offset = handle.value().offset;
  info.wal_length = handle.value().length;
  info.wal_hash = BlockRdd::WalRecordHash(record);  // written: checked where the block is read back
  const sim::Duration write_time =
      config_.wal_write_time + world_->storage().WriteDelay(static_cast<int64_t>(record.size()));
  world_->Schedule(host.node, write_time,
                   [this, fail, handle = handle.value(), info = std::move(info)]() mutable {
                     Status synced = WriteAheadLog::SyncRecord(world_->storage(), handle);
                     if (synced.ok()) {
                       NoteWrittenAhead(info);
                       return Report(std::move(info));
                     }
                     fail(synced.message());
                     if (pending_acks_.count(info.id) > 0) {
                       FailReliableStore(info.id, "write-ahead log write failed");
                     }
                   });
}

void Receiver::Report(BlockRdd::BlockInfo info) {
  auto pending = pending_acks_.find(info.id);
  if (pending != pending_acks_.end()) {
    OnStored on_stored = std::move(pending->second);
    pending_acks_.erase(pending);
    return ReportReliable(std::move(info), std::move(on_stored));
  }
  // Reported even if the receiver stopped while the block was being replicated: the last block of
  // a graceful stop must reach the driver, as Spark's BlockGenerator drains its blocks before the
  // receiver stops. (A crashed host sends nothing: the network drops messages of down nodes.)
  // A block the tracker refuses (its log write failed) is lost; as Spark's BlockGenerator does,
  // the receiver reports the error ("Error in block pushing thread") and keeps running.
  const Executor& host = cluster_->executors[info.executors.front()];
  world_->network().Send(sim::Message{
      host.node, cluster_->driver, 256, "add-block", [this, info = std::move(info)]() {
        BlockLeftFlight();
        if (tracker_->AddBlock(ReceivedBlock{stream_id_, info})) return;
        const std::string error =
            "Error in block pushing thread: Failed to add block to receiver tracker.";
        tracker_->status(stream_id_).last_error = error;
        world_->Record("receiver", fmt::format("{} {} lost: {}", name_, info.id, error));
      }});
}

// ReceiverSupervisorImpl.pushAndReportBlock: the driver answers AddBlock, and a reliable store
// returns (and the source is acknowledged) only once the answer is yes.
void Receiver::ReportReliable(BlockRdd::BlockInfo info, OnStored on_stored) {
  const sim::NodeId host = cluster_->executors[info.executors.front()].node;
  const uint64_t connection = connection_;
  world_->network().Send(sim::Message{
      host, cluster_->driver, 256, "add-block",
      [this, host, connection, info = std::move(info), on_stored = std::move(on_stored)]() {
        BlockLeftFlight();
        const bool accepted = tracker_->AddBlock(ReceivedBlock{stream_id_, info});
        world_->network().Send(
            sim::Message{cluster_->driver, host, 64, "add-block-reply",
                         [this, connection, accepted, id = info.id, on_stored]() {
                           OnBlockAccepted(connection, accepted, id, on_stored);
                         }});
      }});
}

void Receiver::OnBlockAccepted(uint64_t connection, bool accepted, const std::string& block_id,
                               const OnStored& on_stored) {
  if (executor_ < 0 || connection != connection_) return;  // the receiver stopped meanwhile
  if (!accepted) return FailReliableStore(block_id, "Failed to add block to receiver tracker.");
  world_->Record("receiver", fmt::format("{} stored {}: acknowledging", name_, block_id));
  on_stored();
}

// A reliable store failed: as Spark's reliable receivers do, the receiver stops with the error and
// is relaunched, and the source re-delivers what it had not seen acknowledged.
void Receiver::FailReliableStore(const std::string& block_id, const std::string& reason) {
  pending_acks_.erase(block_id);
  Stop(fmt::format("error storing {}: {}", block_id, reason), /*flush=*/false);
  if (config_.relaunch) config_.relaunch();
}

// The ledger (ledger/ledger.h) hears of records the receiver took, of every block it made and of
// where the receiver log holds it, so that a checker can turn the blocks a batch was allocated
// back into records. None of it costs simulated time.
void Receiver::NoteDelivered(const RecordIds& ids) {
  if (config_.ledger != nullptr && !ids.empty()) config_.ledger->Delivered(ids, world_->Now());
}

void Receiver::NoteBlockCreated(const Block& block) {
  if (config_.ledger == nullptr) return;
  config_.ledger->BlockCreated(config_.driver_life(), block.id, block.ids);
}

void Receiver::NoteWrittenAhead(const BlockRdd::BlockInfo& info) {
  if (config_.ledger == nullptr) return;
  config_.ledger->BlockWrittenAhead(config_.driver_life(), info.id, info.wal_path, info.wal_offset);
}

}  // namespace streamsim::engine
