// The receiver-based Kafka stream (KafkaUtils.createStream): a receiver runs Kafka's old high-level
// consumer against the topic (protocols/kafka.h, KafkaTopic), and the consumer group's offsets
// live in ZooKeeper (KafkaOffsetStore). The consumer is code inside the receiver: its fetch
// positions and buffers are volatile and die with the receiver or its executor; a consumer that
// starts reads the group's committed offsets (auto.offset.reset "largest" — the latest offsets —
// or "smallest" when the group has none) and fetches from there every `fetch_interval`.
//
// - Unreliable (KafkaReceiver, the receiver WAL off): records are stored one by one through the
//   block generator, and the consumer commits its fetch positions every `auto_commit_interval`
//   (auto.commit.enable, auto.commit.interval.ms, 60 s by default) and when it shuts down. A crash
//   loses what the block generator had buffered and what was in blocks that die, once the
//   positions past them are committed; and records fetched after the last commit are fetched
//   again by the next consumer: duplicates, when their blocks had survived.
// - Reliable (ReliableKafkaReceiver, the receiver WAL on): auto-commit is off; every block
//   interval the fetched records become one block, stored with the reliable store
//   (engine/receivers/receiver.h), and only once it is stored are its offsets committed. No loss;
//   records are read again only when the receiver died between a block's store and its commit.
//
// While the broker is down (or ZooKeeper, at the consumer's start) the consumer gets nothing and
// tries again at its next fetch. Fetches read the broker directly (no network delay is modelled
// for them); commits are messages to ZooKeeper.
//
// In the run's ledger the records keep the topic's ids (partition, offset, under the topic's
// source index, which the context attaches to the source); a record fetched again is the same id. A
// commit, once ZooKeeper applied it, acknowledges every offset below it from the first one this
// source handed over (ledger/source_ledger.h, AcknowledgedUpTo).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/connectors/kafka_direct_dstream.h"
#include "engine/receivers/receiver.h"
#include "protocols/kafka.h"
#include "simulator/world.h"

namespace streamsim::engine {

struct KafkaReceiverConfig {
  std::string name;       // the source's (and the stream's) name
  std::string group;      // group.id; empty: the source's name
  bool reliable = false;  // ReliableKafkaReceiver: set when the receiver WAL is on
  sim::Duration auto_commit_interval = sim::Duration::Seconds(60);  // unreliable only
  KafkaStartingOffsets start = KafkaStartingOffsets::kLatest;       // with no committed offsets
  sim::Duration fetch_interval = sim::Duration::Millis(10);
  sim::Duration block_interval = sim::Duration::Millis(200);  // reliable: a block this often
  int64_t fetch_records_max = 10000;                          // per partition per fetch
};

class KafkaReceiverSource : public ReceiverSource {
 public:
  // REQUIRES: `topic` and `offset_store` outlive the source; auto_commit_interval,
  // fetch_interval and block_interval > 0.
  KafkaReceiverSource(sim::World* world, KafkaReceiverConfig config, protocols::KafkaTopic* topic,
                      protocols::KafkaOffsetStore* offset_store);
  KafkaReceiverSource(const KafkaReceiverSource&) = delete;
  KafkaReceiverSource& operator=(const KafkaReceiverSource&) = delete;

  bool reliable() const override { return config_.reliable; }
  void Connect(sim::NodeId receiver_node, Deliver deliver) override;
  void ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) override;
  void Disconnect() override;

  const std::string& group() const { return config_.group; }
  // Records fetched from the broker, re-reads included.
  int64_t records_fetched() const { return fetched_; }
  // The running consumer's fetch positions (empty while it has none).
  const std::vector<int64_t>& positions() const { return positions_; }

 private:
  void Begin(sim::NodeId receiver_node);
  void ScheduleFetch(uint64_t connection);
  bool StartPositions();
  void Fetch();
  void ScheduleAutoCommit(uint64_t connection);
  void ScheduleFlush(uint64_t connection);
  void Flush(uint64_t connection);
  void Commit(const std::vector<int64_t>& positions);
  void OnCommitApplied(const std::vector<int64_t>& positions);

  sim::World* world_;
  KafkaReceiverConfig config_;
  protocols::KafkaTopic* topic_;
  protocols::KafkaOffsetStore* offset_store_;
  int64_t fetched_ = 0;
  AcknowledgedUpTo acknowledged_;  // the ledger's view of the group's commits (not volatile)
  // The consumer (volatile: cleared on every Connect and Disconnect).
  uint64_t connection_ = 0;
  sim::NodeId receiver_node_;
  Deliver deliver_;
  StoreBlock store_block_;
  std::vector<int64_t> positions_;  // next offset to fetch, per partition
  Values gathered_;                 // reliable: the block being gathered
  RecordIds gathered_ids_;          // parallel to gathered_
  std::vector<int64_t> gathered_until_;
  bool storing_ = false;
};

}  // namespace streamsim::engine
