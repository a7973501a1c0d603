// The high-level consumer inside a Kafka receiver: starting positions from ZooKeeper, fetches,
// auto-commit (unreliable) or block-then-commit (reliable). Also
// StreamingContext::KafkaReceiverStream, which builds the stream over the topic and offset store.
#include "engine/connectors/kafka_receiver.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/assert.h"
#include "engine/streaming/streaming_context.h"

namespace streamsim::engine {

KafkaReceiverSource::KafkaReceiverSource(sim::World* world, KafkaReceiverConfig config,
                                         protocols::KafkaTopic* topic,
                                         protocols::KafkaOffsetStore* offset_store)
    : world_(world), config_(std::move(config)), topic_(topic), offset_store_(offset_store) {
  STREAMSIM_ASSERT(topic_ != nullptr && offset_store_ != nullptr);
  STREAMSIM_ASSERT(topic_->partitions() >= 1);
  STREAMSIM_ASSERT(config_.auto_commit_interval > sim::Duration{});
  STREAMSIM_ASSERT(config_.fetch_interval > sim::Duration{} &&
                   config_.block_interval > sim::Duration{});
  if (config_.group.empty()) config_.group = config_.name;
}

void KafkaReceiverSource::Begin(sim::NodeId receiver_node) {
  ++connection_;
  receiver_node_ = receiver_node;
  positions_.clear();
  gathered_.clear();
  gathered_ids_.clear();
  gathered_until_.clear();
  storing_ = false;
  ScheduleFetch(connection_);
}

void KafkaReceiverSource::Connect(sim::NodeId receiver_node, Deliver deliver) {
  deliver_ = std::move(deliver);
  Begin(receiver_node);
  ScheduleAutoCommit(connection_);
}

void KafkaReceiverSource::ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) {
  store_block_ = std::move(store_block);
  Begin(receiver_node);
  ScheduleFlush(connection_);
}

// ConsumerConnector.shutdown: with auto-commit on it commits the positions as it stops (a message
// that a dead node never sends).
void KafkaReceiverSource::Disconnect() {
  if (deliver_ && !positions_.empty()) Commit(positions_);
  ++connection_;
  deliver_ = nullptr;
  store_block_ = nullptr;
  positions_.clear();
  gathered_.clear();
  gathered_ids_.clear();
  storing_ = false;
}

void KafkaReceiverSource::ScheduleFetch(uint64_t connection) {
  world_->Schedule(receiver_node_, config_.fetch_interval, [this, connection]() {
    if (connection != connection_) return;
    Fetch();
    ScheduleFetch(connection);
  });
}

// The group's committed offsets, or the reset policy's where it has none. False while ZooKeeper
// or (for a reset) the broker cannot answer.
bool KafkaReceiverSource::StartPositions() {
  if (!offset_store_->available()) return false;
  std::vector<int64_t> positions;
  for (int partition = 0; partition < topic_->partitions(); ++partition) {
    std::optional<int64_t> committed =
        offset_store_->Committed(config_.group, topic_->topic(), partition);
    if (!committed && !topic_->available()) return false;
    const int64_t reset = config_.start == KafkaStartingOffsets::kLatest
                              ? topic_->LatestOffset(partition)
                              : topic_->LogStartOffset(partition);
    positions.push_back(committed.value_or(reset));
  }
  positions_ = std::move(positions);
  std::string text;
  for (size_t p = 0; p < positions_.size(); ++p) text += fmt::format(" {}:{}", p, positions_[p]);
  world_->Record(
      "kafka", fmt::format("consumer {} group {} starts at{}", config_.name, config_.group, text));
  return true;
}

void KafkaReceiverSource::Fetch() {
  if (positions_.empty() && !StartPositions()) return;
  if (!topic_->available()) return;  // nothing while the broker is down
  Values records;
  RecordIds ids;
  for (int partition = 0; partition < topic_->partitions(); ++partition) {
    int64_t& position = positions_[static_cast<size_t>(partition)];
    // Records deleted by retention are skipped, as auto.offset.reset does for the old consumer.
    position = std::max(position, topic_->LogStartOffset(partition));
    const int64_t until =
        std::min(topic_->LatestOffset(partition), position + config_.fetch_records_max);
    if (until <= position) continue;
    Result<std::vector<protocols::KafkaRecord>> read = topic_->Read(partition, position, until);
    if (!read.ok()) continue;
    for (protocols::KafkaRecord& record : read.value())
      records.push_back(Value::String(std::move(record.value)));
    RecordIds read_ids = ledger_.Range(partition, position, until);
    ids.insert(ids.end(), read_ids.begin(), read_ids.end());
    acknowledged_.Delivering(partition, position);
    fetched_ += until - position;
    position = until;
  }
  if (records.empty()) return;
  if (deliver_) return deliver_(std::move(records), std::move(ids));
  gathered_.insert(gathered_.end(), std::make_move_iterator(records.begin()),
                   std::make_move_iterator(records.end()));
  gathered_ids_.insert(gathered_ids_.end(), ids.begin(), ids.end());
  gathered_until_ = positions_;
}

void KafkaReceiverSource::ScheduleAutoCommit(uint64_t connection) {
  world_->Schedule(receiver_node_, config_.auto_commit_interval, [this, connection]() {
    if (connection != connection_) return;
    if (!positions_.empty()) Commit(positions_);
    ScheduleAutoCommit(connection);
  });
}

void KafkaReceiverSource::ScheduleFlush(uint64_t connection) {
  world_->Schedule(receiver_node_, config_.block_interval, [this, connection]() {
    if (connection != connection_) return;
    Flush(connection);
    ScheduleFlush(connection);
  });
}

// ReliableKafkaReceiver.storeBlockAndCommitOffset: one block at a time; its offsets are committed
// once it is stored.
void KafkaReceiverSource::Flush(uint64_t connection) {
  if (storing_ || gathered_.empty()) return;
  storing_ = true;
  Values block = std::move(gathered_);
  RecordIds ids = std::move(gathered_ids_);
  gathered_.clear();
  gathered_ids_.clear();
  store_block_(std::move(block), std::move(ids), [this, connection, until = gathered_until_]() {
    if (connection != connection_) return;
    storing_ = false;
    Commit(until);
  });
}

void KafkaReceiverSource::Commit(const std::vector<int64_t>& positions) {
  std::map<int, int64_t> offsets;
  for (size_t p = 0; p < positions.size(); ++p) offsets[static_cast<int>(p)] = positions[p];
  offset_store_->SendCommit(receiver_node_, config_.group, topic_->topic(), offsets,
                            [this, positions]() { OnCommitApplied(positions); });
}

// Kafka learns of the acknowledgement when ZooKeeper applies the commit (a commit lost on its way
// acknowledges nothing).
void KafkaReceiverSource::OnCommitApplied(const std::vector<int64_t>& positions) {
  for (size_t p = 0; p < positions.size(); ++p) {
    acknowledged_.Committed(ledger_, static_cast<int32_t>(p), positions[p], world_->Now());
  }
}

DStream* StreamingContext::KafkaReceiverStream(const KafkaReceiverConfig& config,
                                               protocols::KafkaTopic* topic,
                                               int32_t topic_source_index,
                                               protocols::KafkaOffsetStore* offset_store) {
  KafkaReceiverConfig source = config;
  source.block_interval = config_.block_interval;
  source.reliable = config_.receiver_wal;
  // Not registered in the ledger itself: its records are the topic's.
  return ReceiverStream(config.name, topic_source_index,
                        std::make_unique<KafkaReceiverSource>(world_, source, topic, offset_store));
}

}  // namespace streamsim::engine
