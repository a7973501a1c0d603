// World: node lifecycle, node-owned timers and the registry of child random streams.
#include "simulator/world.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>

namespace streamsim::sim {

World::World(uint64_t seed)
    : seed_(seed),
      root_random_(seed),
      storage_(std::make_unique<DurableStore>()),
      network_(std::make_unique<SimNetwork>(this)) {}

void World::DecorateNetwork(
    std::function<std::unique_ptr<Network>(std::unique_ptr<Network>)> wrap) {
  network_ = wrap(std::move(network_));
}

void World::DecorateStorage(
    std::function<std::unique_ptr<Storage>(std::unique_ptr<Storage>)> wrap) {
  storage_ = wrap(std::move(storage_));
}

Prng& World::Random(std::string_view purpose) {
  auto it = streams_.find(purpose);
  if (it == streams_.end()) {
    it = streams_.emplace(std::string(purpose),
                          std::make_unique<Prng>(root_random_.Child(purpose))).first;
  }
  return *it->second;
}

NodeId World::AddNode(std::string name) {
  assert(!FindNode(name).valid());
  NodeState state;
  state.name = std::move(name);
  nodes_.push_back(std::move(state));
  return NodeId{static_cast<int32_t>(nodes_.size() - 1)};
}

World::NodeState& World::node(NodeId id) {
  if (id.value < 0 || static_cast<size_t>(id.value) >= nodes_.size()) {
    std::fprintf(stderr, "internal error: unknown node id %d (seed %llu, t=%lld us)\n", id.value,
                 static_cast<unsigned long long>(seed_), static_cast<long long>(Now().us));
    std::abort();
  }
  return nodes_[id.value];
}

const World::NodeState& World::node(NodeId id) const {
  return const_cast<World*>(this)->node(id);
}

const std::string& World::NodeName(NodeId id) const { return node(id).name; }

NodeId World::FindNode(std::string_view name) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name == name) return NodeId{static_cast<int32_t>(i)};
  }
  return NodeId{};
}

bool World::IsUp(NodeId id) const { return node(id).up; }

uint64_t World::Incarnation(NodeId id) const { return node(id).incarnation; }

void World::OnStart(NodeId id, std::function<void()> startup) {
  node(id).startup = std::move(startup);
}

void World::OnCrash(NodeId id, std::function<void()> handler) {
  node(id).crash_handler = std::move(handler);
}

void World::Start(NodeId id) {
  NodeState& state = node(id);
  if (state.up) return;
  state.up = true;
  ++state.incarnation;
  Record("node", "start " + state.name);
  if (state.startup) state.startup();
}

void World::Crash(NodeId id) {
  NodeState& state = node(id);
  if (!state.up) return;
  state.up = false;
  ++state.incarnation;
  Record("node", "crash " + state.name);
  storage_->LoseUnsyncedWrites(id);
  if (state.crash_handler) state.crash_handler();
}

TimerId World::Schedule(NodeId owner, Duration delay, std::function<void()> fn) {
  const uint64_t incarnation = node(owner).incarnation;
  return loop_.After(delay, [this, owner, incarnation, fn = std::move(fn)]() {
    const NodeState& state = node(owner);
    if (state.up && state.incarnation == incarnation) fn();
  });
}

TimerId World::ScheduleGlobal(Duration delay, std::function<void()> fn) {
  return loop_.After(delay, std::move(fn));
}

}  // namespace streamsim::sim
