// The simulated network. Messages travel between nodes with a per-link latency drawn from a
// bounded distribution, a per-link bandwidth (a link sends one message at a time, so big
// messages queue behind each other), and a loss rate modelled as TCP does it: a lost segment is
// retransmitted after a timeout, and a message whose every retransmission is lost is dropped.
// Partitions between node sets drop messages sent across them (and those in flight when the
// partition starts). Delivery on a link is FIFO. A message is dropped when its sender or receiver
// crashes before delivery. Network is an interface so that faults/ can decorate it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "simulator/node.h"
#include "simulator/random.h"
#include "simulator/time.h"

namespace streamsim::sim {

class World;

struct LinkConfig {
  LatencyDistribution latency;
  int64_t bandwidth_bytes_per_second = 125000000;  // 1 Gbit/s; 0 means unlimited
  double loss = 0.0;                               // probability that one transmission is lost
  Duration retransmit_timeout = Duration::Millis(200);
  int retransmits_max = 5;
};

struct Message {
  NodeId from;
  NodeId to;
  int64_t bytes = 0;
  std::string kind;               // what the message is, for the trace ("block", "task-result")
  std::function<void()> deliver;  // runs at the receiver on delivery
};

class Network {
 public:
  virtual ~Network() = default;
  // Sends a message; it is delivered later, or dropped as described above.
  virtual void Send(Message message) = 0;
  // Time a message of `bytes` needs on the link ignoring queueing: latency mean + transmission.
  virtual Duration EstimateTransfer(NodeId from, NodeId to, int64_t bytes) const = 0;
  virtual void SetDefaultLink(const LinkConfig& config) = 0;
  virtual void SetLink(NodeId a, NodeId b, const LinkConfig& config) = 0;
  // Cuts every link between a node of `side_a` and a node of `side_b` until Heal(id).
  virtual int Partition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) = 0;
  virtual void Heal(int partition_id) = 0;
  virtual bool Connected(NodeId a, NodeId b) const = 0;
};

class SimNetwork : public Network {
 public:
  explicit SimNetwork(World* world);
  void Send(Message message) override;
  Duration EstimateTransfer(NodeId from, NodeId to, int64_t bytes) const override;
  void SetDefaultLink(const LinkConfig& config) override { default_link_ = config; }
  void SetLink(NodeId a, NodeId b, const LinkConfig& config) override;
  int Partition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) override;
  void Heal(int partition_id) override;
  bool Connected(NodeId a, NodeId b) const override;

  uint64_t messages_sent() const { return messages_sent_; }
  uint64_t messages_dropped() const { return messages_dropped_; }

 private:
  using Link = std::pair<NodeId, NodeId>;  // directed: (from, to)
  const LinkConfig& ConfigFor(NodeId from, NodeId to) const;
  Duration Transmission(const LinkConfig& config, int64_t bytes) const;
  void Drop(const Message& message, const char* reason);

  World* world_;
  Prng* random_;  // the world's "network" stream
  LinkConfig default_link_;
  std::map<Link, LinkConfig> links_;            // undirected config stored under (min, max)
  std::map<Link, Instant> link_busy_until_;     // bandwidth queue per directed link
  std::map<Link, Instant> link_last_delivery_;  // FIFO per directed link
  std::map<int, std::pair<std::set<NodeId>, std::set<NodeId>>> partitions_;
  std::map<Link, uint64_t> link_cuts_;  // partitions ever started across each directed link
  int next_partition_id_ = 1;
  uint64_t messages_sent_ = 0;
  uint64_t messages_dropped_ = 0;
};

}  // namespace streamsim::sim
