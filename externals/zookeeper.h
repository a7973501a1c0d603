// A ZooKeeper-like offset store, as a world node ("zookeeper"): where Kafka's old high-level
// consumer keeps each group's committed offsets (/consumers/<group>/offsets/<topic>/<partition>).
// Commits reach it as messages from the consumer's node, so a commit sent by a node that dies
// first, or sent while the store is down, is lost; what it holds is durable (it survives its own
// crash whole).
//
// Faults this double injects: none of its own; its node can be crashed (commits and reads fail
// while it is down) and started again.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "protocols/kafka.h"
#include "simulator/world.h"

namespace streamsim::externals {

class ZooKeeper : public protocols::KafkaOffsetStore {
 public:
  // Adds the node "zookeeper".
  explicit ZooKeeper(sim::World* world);
  ZooKeeper(const ZooKeeper&) = delete;
  ZooKeeper& operator=(const ZooKeeper&) = delete;

  sim::NodeId node() const { return node_; }
  bool available() const override;

  // protocols::KafkaOffsetStore: a commit is a message from `from` to the store's node;
  // `on_applied` (may be empty) runs there once it took effect.
  void SendCommit(sim::NodeId from, const std::string& group, const std::string& topic,
                  const std::map<int, int64_t>& offsets, std::function<void()> on_applied) override;
  std::optional<int64_t> Committed(const std::string& group, const std::string& topic,
                                   int partition) const override;
  int64_t commits() const { return commits_; }

 private:
  using Key = std::tuple<std::string, std::string, int>;  // group, topic, partition
  sim::World* world_;
  sim::NodeId node_;
  std::map<Key, int64_t> offsets_;
  int64_t commits_ = 0;
};

}  // namespace streamsim::externals
