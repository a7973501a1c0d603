// SimNetwork: latency, bandwidth queues, TCP-like loss, partitions and crash-aware delivery.
#include "simulator/network.h"

#include <algorithm>

#include "simulator/world.h"

namespace streamsim::sim {
namespace {

std::pair<NodeId, NodeId> Undirected(NodeId a, NodeId b) {
  return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}

}  // namespace

SimNetwork::SimNetwork(World* world) : world_(world), random_(&world->Random("network")) {}

void SimNetwork::SetLink(NodeId a, NodeId b, const LinkConfig& config) {
  links_[Undirected(a, b)] = config;
}

const LinkConfig& SimNetwork::ConfigFor(NodeId from, NodeId to) const {
  auto it = links_.find(Undirected(from, to));
  return it == links_.end() ? default_link_ : it->second;
}

Duration SimNetwork::Transmission(const LinkConfig& config, int64_t bytes) const {
  if (config.bandwidth_bytes_per_second <= 0) return Duration{};
  return Duration::Micros(bytes * 1000000 / config.bandwidth_bytes_per_second);
}

Duration SimNetwork::EstimateTransfer(NodeId from, NodeId to, int64_t bytes) const {
  if (from == to) return Duration{};
  const LinkConfig& config = ConfigFor(from, to);
  return config.latency.mean + Transmission(config, bytes);
}

int SimNetwork::Partition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) {
  const int id = next_partition_id_++;
  partitions_[id] = {std::set<NodeId>(side_a.begin(), side_a.end()),
                     std::set<NodeId>(side_b.begin(), side_b.end())};
  // Counted per link so that a message in flight when the cut starts is dropped even if the
  // partition heals before the message would have arrived.
  for (NodeId a : side_a) {
    for (NodeId b : side_b) {
      ++link_cuts_[{a, b}];
      ++link_cuts_[{b, a}];
    }
  }
  world_->Record("net", "partition " + std::to_string(id));
  return id;
}

void SimNetwork::Heal(int partition_id) {
  if (partitions_.erase(partition_id) > 0) {
    world_->Record("net", "heal " + std::to_string(partition_id));
  }
}

bool SimNetwork::Connected(NodeId a, NodeId b) const {
  for (const auto& [id, sides] : partitions_) {
    const auto& [x, y] = sides;
    if ((x.count(a) && y.count(b)) || (x.count(b) && y.count(a))) return false;
  }
  return true;
}

void SimNetwork::Drop(const Message& message, const char* reason) {
  ++messages_dropped_;
  world_->Record("net", std::string("drop ") + reason + " " + message.kind + " " +
                            world_->NodeName(message.from) + "->" + world_->NodeName(message.to));
}

void SimNetwork::Send(Message message) {
  ++messages_sent_;
  if (!world_->IsUp(message.from)) return Drop(message, "sender-down");
  if (!Connected(message.from, message.to)) return Drop(message, "partition");
  const Instant now = world_->Now();
  const Link link{message.from, message.to};
  const uint64_t cuts = link_cuts_[link];
  Instant deliver_at = now;
  if (message.from != message.to) {
    const LinkConfig& config = ConfigFor(message.from, message.to);
    Instant& busy_until = link_busy_until_[link];
    busy_until = std::max(busy_until, now) + Transmission(config, message.bytes);
    deliver_at = busy_until + random_->Latency(config.latency);
    int attempts = 0;
    while (random_->Bernoulli(config.loss)) {
      if (++attempts > config.retransmits_max) return Drop(message, "loss");
      deliver_at = deliver_at + config.retransmit_timeout;
    }
    Instant& last = link_last_delivery_[link];
    deliver_at = std::max(deliver_at, last);
    last = deliver_at;
  }
  const uint64_t from_life = world_->Incarnation(message.from);
  const uint64_t to_life = world_->Incarnation(message.to);
  world_->loop().At(deliver_at, [this, from_life, to_life, link, cuts, m = std::move(message)]() {
    if (world_->Incarnation(m.from) != from_life) return Drop(m, "sender-crashed");
    if (!world_->IsUp(m.to) || world_->Incarnation(m.to) != to_life) {
      return Drop(m, "receiver-down");
    }
    if (!Connected(m.from, m.to) || link_cuts_[link] != cuts) return Drop(m, "partition");
    world_->RunOnNode(m.to, m.deliver);
  });
}

}  // namespace streamsim::sim
