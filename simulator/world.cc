// World: node lifecycle, node-owned timers and the registry of child random streams.
#include "simulator/world.h"

#include <cstdio>
#include <cstdlib>

#include "base/assert.h"

namespace streamsim::sim {

World::World(uint64_t seed)
    : seed_(seed),
      root_random_(seed),
      storage_(std::make_unique<DurableStore>()),
      network_(std::make_unique<SimNetwork>(this)) {
  durable_ = static_cast<DurableStore*>(storage_.get());
}

void World::ObserveDurableChanges(std::vector<std::string> prefixes,
                                  DurableStore::DurableChangeObserver observer) {
  durable_->ObserveDurableChanges(
      std::move(prefixes), [this]() { return Now(); }, std::move(observer));
}

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
    it = streams_.emplace(std::string(purpose), std::make_unique<Prng>(root_random_.Child(purpose)))
             .first;
  }
  return *it->second;
}

NodeId World::AddNode(std::string name) {
  STREAMSIM_ASSERT(!FindNode(name).valid());
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

const World::NodeState& World::node(NodeId id) const { return const_cast<World*>(this)->node(id); }

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
  state.paused_until = Instant::Zero();
  state.waiting.clear();
  state.waiting_timers.clear();
  storage_->LoseUnsyncedWrites(id);
  if (state.crash_handler) state.crash_handler();
}

TimerId World::Schedule(NodeId owner, Duration delay, std::function<void()> fn) {
  const uint64_t incarnation = node(owner).incarnation;
  auto id = std::make_shared<TimerId>();
  *id = loop_.After(delay, [this, owner, incarnation, id, fn = std::move(fn)]() {
    NodeState& state = node(owner);
    if (!state.up || state.incarnation != incarnation) return;
    if (!IsPaused(owner)) return fn();
    // Deferred to the resume, where it runs only if nobody cancelled it meanwhile.
    state.waiting_timers.insert(*id);
    state.waiting.push_back([this, owner, timer = *id, fn]() {
      if (node(owner).waiting_timers.erase(timer) > 0) fn();
    });
  });
  return *id;
}

bool World::Cancel(TimerId id) {
  if (loop_.Cancel(id)) return true;
  for (NodeState& state : nodes_) {
    if (state.waiting_timers.erase(id) > 0) return true;
  }
  return false;
}

void World::Pause(NodeId id, Duration length) {
  NodeState& state = node(id);
  if (!state.up || length <= Duration{}) return;
  const Instant until = Now() + length;
  if (until <= state.paused_until) return;
  const bool already_paused = IsPaused(id);
  state.paused_until = until;
  Record("node", "pause " + state.name + " until " + FormatDuration(until - Instant::Zero()));
  if (already_paused) return;  // the pending resume re-arms itself for the new end
  const uint64_t incarnation = state.incarnation;
  loop_.At(until, [this, id, incarnation]() {
    if (node(id).incarnation == incarnation) Resume(id);
  });
}

bool World::IsPaused(NodeId id) const { return Now() < node(id).paused_until; }

void World::Resume(NodeId id) {
  NodeState& state = node(id);
  if (IsPaused(id)) {  // extended meanwhile
    const uint64_t incarnation = state.incarnation;
    loop_.At(state.paused_until, [this, id, incarnation]() {
      if (node(id).incarnation == incarnation) Resume(id);
    });
    return;
  }
  Record("node", "resume " + state.name);
  std::vector<std::function<void()>> waiting = std::move(state.waiting);
  state.waiting.clear();
  // Each waiting piece of code runs as its own event at the resume instant, in arrival order.
  const uint64_t incarnation = state.incarnation;
  for (auto& fn : waiting) {
    loop_.At(Now(), [this, id, incarnation, fn = std::move(fn)]() {
      const NodeState& current = node(id);
      if (current.up && current.incarnation == incarnation) RunOnNode(id, fn);
    });
  }
}

void World::RunOnNode(NodeId id, std::function<void()> fn) {
  NodeState& state = node(id);
  if (!IsPaused(id)) return fn();
  state.waiting.push_back(std::move(fn));
}

TimerId World::ScheduleGlobal(Duration delay, std::function<void()> fn) {
  return loop_.After(delay, std::move(fn));
}

}  // namespace streamsim::sim
