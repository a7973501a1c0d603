// The KCL worker inside the Kinesis receiver: leases, record processors, the checkpointer.
#include "engine/connectors/kinesis_source.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/assert.h"

namespace streamsim::engine {

KinesisSource::KinesisSource(sim::World* world, protocols::KinesisService* service,
                             KinesisSourceConfig config)
    : world_(world), config_(std::move(config)), service_(service) {
  STREAMSIM_ASSERT(service_ != nullptr);
  STREAMSIM_ASSERT(config_.max_records >= 1 &&
                   config_.max_records <= protocols::KinesisService::kGetRecordsLimitMax);
  STREAMSIM_ASSERT(config_.checkpoint_interval > sim::Duration{});
  STREAMSIM_ASSERT(config_.idle_time_between_reads > sim::Duration{});
  STREAMSIM_ASSERT(config_.request_timeout > sim::Duration{});
}

void KinesisSource::ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) {
  const uint64_t connection = ++connection_;
  receiver_node_ = receiver_node;
  receiver_incarnation_ = world_->Incarnation(receiver_node);
  store_block_ = std::move(store_block);
  shards_.assign(static_cast<size_t>(service_->shards()), ShardState{});
  for (int shard = 0; shard < service_->shards(); ++shard) {
    world_->Schedule(receiver_node_, sim::Duration{},
                     [this, connection, shard]() { InitializeShard(connection, shard); });
  }
  ScheduleCheckpoint(connection);
}

// KinesisReceiver.onStop: the checkpointer writes what was stored, if the receiver's node is still
// there to do it (a dead executor writes nothing).
void KinesisSource::Disconnect() {
  if (world_->IsUp(receiver_node_) &&
      world_->Incarnation(receiver_node_) == receiver_incarnation_) {
    CheckpointShards();
  }
  ++connection_;
  store_block_ = nullptr;
  shards_.clear();
}

void KinesisSource::Call(uint64_t connection, std::function<std::function<void()>()> call) {
  const sim::NodeId receiver = receiver_node_;
  world_->network().Send(sim::Message{
      receiver, service_->node(), 128, "kinesis-request",
      [this, connection, receiver, call = std::move(call)]() {
        std::function<void()> on_answer = call();  // on the stream's node
        world_->network().Send(sim::Message{service_->node(), receiver, 128, "kinesis-answer",
                                            [this, connection, on_answer]() {
                                              if (connection == connection_) on_answer();
                                            }});
      }});
}

void KinesisSource::RetryAfterTimeout(uint64_t connection, int shard, int64_t request,
                                      std::function<void()> retry) {
  world_->Schedule(receiver_node_, config_.request_timeout,
                   [this, connection, shard, request, retry = std::move(retry)]() {
                     if (connection != connection_) return;
                     ShardState& state = shards_[static_cast<size_t>(shard)];
                     if (state.request != request) return;
                     state.request = 0;
                     retry();
                   });
}

void KinesisSource::InitializeShard(uint64_t connection, int shard) {
  if (connection != connection_) return;
  if (!service_->available()) {  // the call is refused: try again after the idle time
    world_->Schedule(receiver_node_, config_.idle_time_between_reads,
                     [this, connection, shard]() { InitializeShard(connection, shard); });
    return;
  }
  const int64_t request = next_request_++;
  shards_[static_cast<size_t>(shard)].request = request;
  Call(connection, [this, connection, shard, request]() -> std::function<void()> {
    Result<std::optional<int64_t>> checkpoint = service_->CheckpointOf(config_.application, shard);
    const int64_t position = config_.initial_position_latest ? service_->NextSequenceNumber(shard)
                                                             : service_->TrimHorizon(shard);
    if (!checkpoint.ok()) return [] {};  // cannot happen: the stream's node runs this
    return [this, connection, shard, request, checkpoint = checkpoint.value(), position]() {
      ShardState& state = shards_[static_cast<size_t>(shard)];
      if (state.request != request) return;
      state.request = 0;
      StartShard(connection, shard, checkpoint, position);
    };
  });
  RetryAfterTimeout(connection, shard, request,
                    [this, connection, shard]() { InitializeShard(connection, shard); });
}

void KinesisSource::StartShard(uint64_t connection, int shard, std::optional<int64_t> checkpoint,
                               int64_t position) {
  ShardState& state = shards_[static_cast<size_t>(shard)];
  state.checkpointed = checkpoint;
  state.next = checkpoint ? *checkpoint + 1 : position;
  world_->Record(
      "kinesis",
      fmt::format("{} {} reads from {} ({})", config_.application, protocols::KinesisShardId(shard),
                  *state.next,
                  checkpoint ? fmt::format("after checkpoint {}", *checkpoint)
                             : (config_.initial_position_latest ? "latest" : "trim_horizon")));
  ReadShard(connection, shard);
}

void KinesisSource::ReadShard(uint64_t connection, int shard) {
  if (connection != connection_) return;
  if (!service_->available()) {
    world_->Schedule(receiver_node_, config_.idle_time_between_reads,
                     [this, connection, shard]() { ReadShard(connection, shard); });
    return;
  }
  ShardState& state = shards_[static_cast<size_t>(shard)];
  const int64_t request = next_request_++;
  state.request = request;
  const int64_t from = *state.next;
  Call(connection, [this, connection, shard, request, from]() -> std::function<void()> {
    Result<std::vector<protocols::KinesisRecord>> records =
        service_->GetRecords(shard, from, config_.max_records);
    if (!records.ok()) return [] {};  // cannot happen: the stream's node runs this
    return [this, connection, shard, request, records = std::move(records.value())]() {
      OnRecords(connection, shard, request, records);
    };
  });
  RetryAfterTimeout(connection, shard, request,
                    [this, connection, shard]() { ReadShard(connection, shard); });
}

void KinesisSource::OnRecords(uint64_t connection, int shard, int64_t request,
                              std::vector<protocols::KinesisRecord> records) {
  ShardState& state = shards_[static_cast<size_t>(shard)];
  if (state.request != request) return;  // it timed out and was asked again
  state.request = 0;
  if (!records.empty()) {
    const int64_t first = records.front().sequence_number;
    state.next = records.back().sequence_number + 1;
    state.blocks[first] = {records.back().sequence_number, false};
    acknowledged_.Delivering(shard, first);
    Values values;
    RecordIds ids;
    values.reserve(records.size());
    for (protocols::KinesisRecord& record : records) {
      values.push_back(Value::String(std::move(record.data)));
      ids.push_back(ledger_.Id(shard, record.sequence_number));  // the stream's ids
    }
    store_block_(std::move(values), std::move(ids),
                 [this, connection, shard, first]() { OnBlockStored(connection, shard, first); });
  }
  world_->Schedule(receiver_node_, config_.idle_time_between_reads,
                   [this, connection, shard]() { ReadShard(connection, shard); });
}

// The latest stored sequence number advances over blocks stored in order only.
void KinesisSource::OnBlockStored(uint64_t connection, int shard, int64_t first) {
  if (connection != connection_) return;
  ShardState& state = shards_[static_cast<size_t>(shard)];
  auto it = state.blocks.find(first);
  STREAMSIM_ASSERT(it != state.blocks.end());
  it->second.second = true;
  while (!state.blocks.empty() && state.blocks.begin()->second.second) {
    state.latest_stored = state.blocks.begin()->second.first;
    state.blocks.erase(state.blocks.begin());
  }
}

void KinesisSource::ScheduleCheckpoint(uint64_t connection) {
  world_->Schedule(receiver_node_, config_.checkpoint_interval, [this, connection]() {
    if (connection != connection_) return;
    CheckpointShards();
    ScheduleCheckpoint(connection);
  });
}

void KinesisSource::CheckpointShards() {
  for (int shard = 0; shard < static_cast<int>(shards_.size()); ++shard) {
    const ShardState& state = shards_[static_cast<size_t>(shard)];
    if (!state.latest_stored ||
        (state.checkpointed && *state.checkpointed >= *state.latest_stored)) {
      continue;
    }
    const int64_t sequence = *state.latest_stored;
    Call(connection_, [this, shard, sequence, connection = connection_]() -> std::function<void()> {
      if (!service_->Checkpoint(config_.application, shard, sequence).ok()) return [] {};
      ++checkpoints_written_;
      acknowledged_.Committed(ledger_, shard, sequence + 1, world_->Now());
      world_->Record("kinesis", fmt::format("{} checkpoint {} at {}", config_.application,
                                            protocols::KinesisShardId(shard), sequence));
      return [this, connection, shard, sequence]() {
        if (connection != connection_) return;
        std::optional<int64_t>& known = shards_[static_cast<size_t>(shard)].checkpointed;
        known = std::max(known.value_or(sequence), sequence);
      };
    });
  }
}

}  // namespace streamsim::engine
