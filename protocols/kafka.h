// Kafka as its consumers see it: one topic's partitions, their earliest and latest offsets and
// fetches of offset ranges (KafkaTopic: the metadata, ListOffsets and Fetch requests), and the
// store where the old high-level consumer commits its group's offsets (KafkaOffsetStore:
// ZooKeeper's /consumers/<group>/offsets/<topic>/<partition>). The direct stream
// (engine/connectors/kafka_direct_dstream.h) uses the topic only; the receiver-based stream
// (engine/connectors/kafka_receiver.h) uses both. The simulated ones are externals/kafka_broker.h
// and externals/zookeeper.h.
//
// A record's id in the run's ledger is (the topic's source index, its partition, its offset):
// whoever reads the topic computes it from the offsets, so it needs nothing from the topic.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "simulator/world.h"

namespace streamsim::protocols {

// One record of a partition: its offset and its value (the message; producers send no key).
struct KafkaRecord {
  int64_t offset = 0;
  std::string value;
};

class KafkaTopic {
 public:
  virtual ~KafkaTopic() = default;

  virtual const std::string& topic() const = 0;
  virtual int partitions() const = 0;
  // Whether the cluster answers requests now (a consumer's metadata request succeeds).
  virtual bool available() const = 0;
  // The offset the next record appended to `partition` will get (the log end offset, a
  // consumer's "latest"). REQUIRES: 0 <= partition < partitions().
  virtual int64_t LatestOffset(int partition) const = 0;
  // The offset of the oldest record still held (the log start offset, a consumer's "earliest").
  // REQUIRES: 0 <= partition < partitions().
  virtual int64_t LogStartOffset(int partition) const = 0;
  // The records of `partition` with offsets in [from, until), in offset order. Fails when the
  // cluster is down, when `from` is below the log start offset (OffsetOutOfRange) or when `until`
  // is beyond the log end. REQUIRES: from <= until.
  virtual Result<std::vector<KafkaRecord>> Read(int partition, int64_t from,
                                                int64_t until) const = 0;
};

class KafkaOffsetStore {
 public:
  virtual ~KafkaOffsetStore() = default;

  // Whether the store answers requests now.
  virtual bool available() const = 0;
  // Sends a commit of `offsets` (partition -> next offset to read) from `from`: it takes effect
  // when it arrives, if the store is up then; a commit from a node that dies first, or sent while
  // the store is down, is lost. `on_applied` (may be empty) runs on the store's node once it took
  // effect.
  virtual void SendCommit(sim::NodeId from, const std::string& group, const std::string& topic,
                          const std::map<int, int64_t>& offsets,
                          std::function<void()> on_applied) = 0;
  // The group's committed offset of `partition` (the next offset to read), if any; nothing while
  // the store is down.
  virtual std::optional<int64_t> Committed(const std::string& group, const std::string& topic,
                                           int partition) const = 0;
};

}  // namespace streamsim::protocols
