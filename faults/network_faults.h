// A network that misbehaves on purpose: a decorator around the world's network (installed with
// World::DecorateNetwork) that, over a window, adds latency to every message and loses
// transmissions at a given rate. Loss is modelled as TCP experiences it: a lost transmission is
// retransmitted after a timeout (200 ms), and a message is dropped only when the first
// transmission and every one of its 15 retransmissions (Linux tcp_retries2) are lost. Delivery
// per directed link stays FIFO, as on a TCP connection: a message held back for retransmission
// holds back those behind it. Messages a node sends to itself never touch the network and are not
// impaired.
//
// Cut is a partition as Spark's TCP connections live through it: a message sent across the cut
// is not lost but retransmitted until the cut heals, and then delivered (in order). Spark would
// declare an executor lost after spark.network.timeout (120 s) without heartbeats; that timeout
// is not modelled, so the loader keeps partition faults at or below it. Network::Partition, the
// wrapped network's own cut that drops what crosses it, is forwarded unchanged.
// Draws come from the world's "faults/network" stream, so impairments shift no other randomness.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "simulator/network.h"
#include "simulator/world.h"

namespace streamsim::faults {

class FaultyNetwork : public sim::Network {
 public:
  static constexpr sim::Duration kRetransmitTimeout = sim::Duration::Millis(200);
  static constexpr int kRetransmitsMax = 15;  // Linux tcp_retries2

  FaultyNetwork(sim::World* world, std::unique_ptr<sim::Network> inner);

  // From now until `until`, every message between two different nodes is delayed by
  // `extra_latency` and each of its transmissions is lost with probability `loss`. Impairments
  // that overlap add their latencies and combine their losses.
  void Impair(double loss, sim::Duration extra_latency, sim::Instant until);
  // Until `until`, holds every message between nodes of two different sides.
  void Cut(std::vector<std::vector<sim::NodeId>> sides, sim::Instant until);

  void Send(sim::Message message) override;
  sim::Duration EstimateTransfer(sim::NodeId from, sim::NodeId to, int64_t bytes) const override {
    return inner_->EstimateTransfer(from, to, bytes);
  }
  void SetDefaultLink(const sim::LinkConfig& config) override { inner_->SetDefaultLink(config); }
  void SetLink(sim::NodeId a, sim::NodeId b, const sim::LinkConfig& config) override {
    inner_->SetLink(a, b, config);
  }
  int Partition(const std::vector<sim::NodeId>& side_a,
                const std::vector<sim::NodeId>& side_b) override {
    return inner_->Partition(side_a, side_b);
  }
  void Heal(int partition_id) override { inner_->Heal(partition_id); }
  bool Connected(sim::NodeId a, sim::NodeId b) const override { return inner_->Connected(a, b); }

  sim::Network& inner() { return *inner_; }
  uint64_t messages_lost() const { return messages_lost_; }
  uint64_t messages_delayed() const { return messages_delayed_; }

 private:
  struct Impairment {
    double loss = 0.0;
    sim::Duration extra_latency;
    sim::Instant until;
  };
  struct CutWindow {
    std::vector<std::vector<sim::NodeId>> sides;
    sim::Instant until;
  };
  // The loss and latency in force now (expired impairments are forgotten).
  Impairment Current();
  // When the last cut between `from` and `to` heals (the past when none holds them apart).
  sim::Instant HealedAt(sim::NodeId from, sim::NodeId to);

  sim::World* world_;
  std::unique_ptr<sim::Network> inner_;
  sim::Prng* random_;
  std::vector<Impairment> impairments_;
  std::vector<CutWindow> cuts_;
  std::map<std::pair<sim::NodeId, sim::NodeId>, sim::Instant> held_until_;  // FIFO per link
  uint64_t messages_lost_ = 0;
  uint64_t messages_delayed_ = 0;
};

// The world's FaultyNetwork, installed around its network on first use.
FaultyNetwork& InstallFaultyNetwork(sim::World& world);

}  // namespace streamsim::faults
