// The world: everything a simulated run can observe or change, passed explicitly to whoever needs
// it (no globals). It owns the event loop, the root random generator and its child streams, the
// nodes and their lifecycle, the network, the durable store and the trace.
//
// Node lifecycle: Start runs the node's start-up code; Crash marks it down, bumps its incarnation
// (so its pending timers and in-flight messages are dropped), loses its unsynced writes and runs
// its crash handler (which discards volatile state); Restart starts it again against durable state.
// Pause stops the world inside one node for a while, as a long JVM garbage collection does: the
// node stays up and keeps its state, but none of its code runs — its timers that fall due and the
// messages delivered to it wait, in order, and run when the pause ends.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/event_loop.h"
#include "simulator/network.h"
#include "simulator/node.h"
#include "simulator/random.h"
#include "simulator/storage.h"
#include "simulator/trace.h"

namespace streamsim::sim {

class World {
 public:
  explicit World(uint64_t seed);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  uint64_t seed() const { return seed_; }
  Instant Now() const { return loop_.Now(); }
  EventLoop& loop() { return loop_; }
  Trace& trace() { return trace_; }
  Network& network() { return *network_; }
  Storage& storage() { return *storage_; }
  // Replaces the network or the store with a decorator (faults/). The world keeps ownership.
  void DecorateNetwork(std::function<std::unique_ptr<Network>(std::unique_ptr<Network>)> wrap);
  void DecorateStorage(std::function<std::unique_ptr<Storage>(std::unique_ptr<Storage>)> wrap);

  // Hands `observer` the durable store's changes of paths under `prefixes`
  // (DurableStore::ObserveDurableChanges), stamped with simulated time; decorators do not hide
  // them.
  void ObserveDurableChanges(std::vector<std::string> prefixes,
                             DurableStore::DurableChangeObserver observer);

  // The child random stream for `purpose`, created on first use and kept for the run.
  Prng& Random(std::string_view purpose);

  // Nodes.
  NodeId AddNode(std::string name);
  const std::string& NodeName(NodeId id) const;
  NodeId FindNode(std::string_view name) const;  // invalid id when absent
  size_t node_count() const { return nodes_.size(); }
  bool IsUp(NodeId id) const;
  uint64_t Incarnation(NodeId id) const;
  void OnStart(NodeId id, std::function<void()> startup);
  void OnCrash(NodeId id, std::function<void()> handler);
  void Start(NodeId id);
  void Crash(NodeId id);
  void Restart(NodeId id) { Start(id); }
  // Pauses an up node for `length` (a pause that overlaps an earlier one extends it). A crash
  // ends the pause and drops what waited.
  void Pause(NodeId id, Duration length);
  bool IsPaused(NodeId id) const;
  // Runs `fn` as code of `node` now, or when its pause ends (dropped if the node crashes first).
  // The network delivers messages through this.
  void RunOnNode(NodeId node, std::function<void()> fn);

  // A timer owned by a node: it does not fire if the node crashed (or restarted) in between. One
  // that falls due while its node is paused runs when the pause ends, unless cancelled first.
  TimerId Schedule(NodeId owner, Duration delay, std::function<void()> fn);
  // A timer owned by the world itself (fault schedules, external clocks).
  TimerId ScheduleGlobal(Duration delay, std::function<void()> fn);
  // Cancels a timer that has not run: pending in the loop, or fallen due during its node's pause
  // and waiting for the resume. False when it already ran or was cancelled.
  bool Cancel(TimerId id);

  void Record(std::string_view category, std::string_view text) {
    trace_.Record(Now(), category, text);
  }

 private:
  struct NodeState {
    std::string name;
    bool up = false;
    uint64_t incarnation = 0;
    std::function<void()> startup;
    std::function<void()> crash_handler;
    Instant paused_until;                        // paused while Now() < paused_until
    std::vector<std::function<void()>> waiting;  // what fell due during the pause, in order
    std::set<TimerId> waiting_timers;            // the node's timers among them (cancellable)
  };
  void Resume(NodeId id);
  NodeState& node(NodeId id);
  const NodeState& node(NodeId id) const;

  uint64_t seed_;
  EventLoop loop_;
  Trace trace_;
  Prng root_random_;
  std::map<std::string, std::unique_ptr<Prng>, std::less<>> streams_;
  std::vector<NodeState> nodes_;
  std::unique_ptr<Storage> storage_;
  DurableStore* durable_ = nullptr;  // the innermost store, under any decorator
  std::unique_ptr<Network> network_;
};

}  // namespace streamsim::sim
