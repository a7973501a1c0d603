// FaultyNetwork: extra latency and TCP-like loss over a window, FIFO per link.
#include "faults/network_faults.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace streamsim::faults {

FaultyNetwork::FaultyNetwork(sim::World* world, std::unique_ptr<sim::Network> inner)
    : world_(world), inner_(std::move(inner)), random_(&world->Random("faults/network")) {}

void FaultyNetwork::Impair(double loss, sim::Duration extra_latency, sim::Instant until) {
  impairments_.push_back(Impairment{loss, extra_latency, until});
  world_->Record("fault", fmt::format("network loss={} extra_latency={} until {}", loss,
                                      sim::FormatDuration(extra_latency),
                                      sim::FormatDuration(until - sim::Instant::Zero())));
}

void FaultyNetwork::Cut(std::vector<std::vector<sim::NodeId>> sides, sim::Instant until) {
  std::vector<std::string> names;
  for (const auto& side : sides) {
    std::vector<std::string> side_names;
    for (sim::NodeId node : side) side_names.push_back(world_->NodeName(node));
    names.push_back(fmt::format("[{}]", fmt::join(side_names, ", ")));
  }
  world_->Record("fault", fmt::format("cut {} until {}", fmt::join(names, " | "),
                                      sim::FormatDuration(until - sim::Instant::Zero())));
  cuts_.push_back(CutWindow{std::move(sides), until});
}

sim::Instant FaultyNetwork::HealedAt(sim::NodeId from, sim::NodeId to) {
  const sim::Instant now = world_->Now();
  std::erase_if(cuts_, [now](const CutWindow& cut) { return cut.until <= now; });
  auto side_of = [](const CutWindow& cut, sim::NodeId node) {
    for (size_t i = 0; i < cut.sides.size(); ++i) {
      if (std::find(cut.sides[i].begin(), cut.sides[i].end(), node) != cut.sides[i].end()) {
        return static_cast<int>(i);
      }
    }
    return -1;
  };
  sim::Instant healed = now;
  for (const CutWindow& cut : cuts_) {
    const int a = side_of(cut, from);
    const int b = side_of(cut, to);
    if (a >= 0 && b >= 0 && a != b) healed = std::max(healed, cut.until);
  }
  return healed;
}

FaultyNetwork::Impairment FaultyNetwork::Current() {
  const sim::Instant now = world_->Now();
  std::erase_if(impairments_, [now](const Impairment& i) { return i.until <= now; });
  Impairment total;
  double delivered = 1.0;
  for (const Impairment& impairment : impairments_) {
    total.extra_latency = total.extra_latency + impairment.extra_latency;
    delivered *= 1.0 - impairment.loss;
  }
  total.loss = 1.0 - delivered;
  return total;
}

void FaultyNetwork::Send(sim::Message message) {
  const sim::Instant now = world_->Now();
  if (message.from == message.to) return inner_->Send(std::move(message));
  const Impairment impairment = Current();
  sim::Duration delay = impairment.extra_latency;
  for (int lost = 0; impairment.loss > 0 && random_->Bernoulli(impairment.loss);) {
    if (++lost > kRetransmitsMax) {
      ++messages_lost_;
      world_->Record("net",
                     fmt::format("drop fault-loss {} {}->{}", message.kind,
                                 world_->NodeName(message.from), world_->NodeName(message.to)));
      return;
    }
    delay = delay + kRetransmitTimeout;
  }
  sim::Instant& held = held_until_[{message.from, message.to}];
  const sim::Instant release =
      std::max({now + delay, held, HealedAt(message.from, message.to) + delay});
  if (release <= now) return inner_->Send(std::move(message));
  held = release;
  ++messages_delayed_;
  // Held in the sender's socket buffer: a crash of the sender loses it.
  world_->Schedule(message.from, release - now,
                   [this, m = std::move(message)]() mutable { inner_->Send(std::move(m)); });
}

FaultyNetwork& InstallFaultyNetwork(sim::World& world) {
  if (auto* installed = dynamic_cast<FaultyNetwork*>(&world.network())) return *installed;
  FaultyNetwork* faulty = nullptr;
  world.DecorateNetwork([&world, &faulty](std::unique_ptr<sim::Network> inner) {
    auto decorator = std::make_unique<FaultyNetwork>(&world, std::move(inner));
    faulty = decorator.get();
    return decorator;
  });
  return *faulty;
}

}  // namespace streamsim::faults
