// A simulated Apache Flume agent, as a world node ("flume/<source name>"): a source that puts
// generated events into a channel at a configured rate, and the channel's take transactions that
// a sink (externals/flume_avro_sink.h for push, externals/flume_spark_sink.h for pull) uses to move
// events out. A sink takes events in a transaction and either commits it (the events leave the
// channel for good) or rolls it back (they return to the head of the channel, in order, and are
// taken again).
//
// The channel is a durable file channel: its events survive a crash of the agent's node, and the
// transactions open at the crash are rolled back (the file channel's log replay on restart puts
// their events back). Faults this double injects (it has no others):
//   - the agent can go down (a crash of its node) and come back (a start): while it is down, the
//     events that fall due are never produced (its upstream clients' sends fail and are not
//     retried), and sinks cannot take;
//   - a full channel: an event that finds the channel at `channel_capacity` (events queued plus
//     events taken by open transactions, as Flume counts them) is dropped by the source, counted.
//
// In the run's ledger an event's id is (partition 0, its sequence). An event is produced when it
// enters the channel (the sequences of events never produced or dropped stay holes), and
// acknowledged when the transaction that took it commits: the agent is then rid of it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/source_ledger.h"
#include "protocols/flume.h"
#include "records/generators.h"
#include "simulator/world.h"

namespace streamsim::externals {

struct FlumeAgentConfig {
  std::string source_name;       // the scenario source: names the node and the workload stream
  double rate_per_second = 100;  // events the agent's source receives per second
  records::GeneratorConfig generator;
  int64_t channel_capacity = 1000000;  // Flume's file channel default
  sim::Duration produce_interval = sim::Duration::Millis(10);
};

// What a sink does on the agent's node; the agent tells it when the node starts and crashes.
class FlumeSinkHooks {
 public:
  virtual ~FlumeSinkHooks() = default;
  virtual void OnAgentStart() = 0;
  // The node crashed: the sink drops its volatile state (its transactions are already rolled back).
  virtual void OnAgentCrash() = 0;
};

class FlumeAgent {
 public:
  // Adds the node "flume/<source name>"; the source starts producing when the node starts.
  // REQUIRES: config.rate_per_second > 0, config.channel_capacity >= 1.
  FlumeAgent(sim::World* world, FlumeAgentConfig config);
  FlumeAgent(const FlumeAgent&) = delete;
  FlumeAgent& operator=(const FlumeAgent&) = delete;

  sim::NodeId node() const { return node_; }
  const FlumeAgentConfig& config() const { return config_; }
  bool available() const;
  // The agent's one sink. REQUIRES: called once, before the run starts.
  void set_sink(FlumeSinkHooks* sink);
  // The run's ledger, attached by the source that owns the agent.
  void AttachLedger(ledger::Ledger* ledger, int32_t source_index) {
    ledger_ = ledger::SourceLedger(ledger, source_index);
    ledger_.DrawsFrom(generator_);
  }
  const ledger::SourceLedger& ledger() const { return ledger_; }
  // The ledger ids of `events`, in order.
  ledger::RecordIds IdsOf(const std::vector<protocols::FlumeEvent>& events) const;

  struct Take {
    int64_t transaction = 0;
    std::vector<protocols::FlumeEvent> events;
  };
  // Opens a take transaction holding up to `max_events` events from the head of the channel
  // (possibly none). REQUIRES: available(), max_events >= 1.
  Take BeginTake(int64_t max_events);
  // Commits / rolls back an open transaction. Return false (and do nothing) when the transaction
  // is not open: it was already committed, rolled back, or lost in a crash.
  bool Commit(int64_t transaction);
  bool Rollback(int64_t transaction);
  bool IsOpen(int64_t transaction) const { return open_.count(transaction) > 0; }

  // Puts one event into the channel now, as the source does (tests use it; works while down: it
  // is the channel, not the network). Returns false when the channel is full (the event dropped).
  bool Put(protocols::FlumeEvent event);

  int64_t channel_size() const { return static_cast<int64_t>(channel_.size()); }
  int64_t events_in_transactions() const;
  int64_t events_produced() const { return produced_; }          // put into the channel
  int64_t events_not_produced() const { return not_produced_; }  // fell due while down
  int64_t events_dropped() const { return dropped_; }            // channel full
  int64_t events_committed() const { return committed_; }        // left with a committed take
  int64_t events_rolled_back() const { return rolled_back_; }    // returned to the channel

 private:
  // Put, for an event of the agent's own generator (`generated`: the ledger draws its value
  // again) or one given from outside (the ledger keeps it).
  bool Accept(protocols::FlumeEvent event, bool generated);
  void OnStart();
  void OnCrash();
  void Produce();
  int64_t EventsDue() const;

  sim::World* world_;
  FlumeAgentConfig config_;
  sim::NodeId node_;
  std::shared_ptr<const records::RecordGenerator> generator_;
  FlumeSinkHooks* sink_ = nullptr;
  ledger::SourceLedger ledger_;
  std::deque<protocols::FlumeEvent> channel_;
  std::map<int64_t, std::vector<protocols::FlumeEvent>>
      open_;  // take transactions by id, in opening order
  int64_t next_transaction_ = 1;
  // The source's clock: floor(rate x time since the first start) events are due.
  std::optional<sim::Instant> first_start_;
  int64_t produced_ = 0;
  int64_t not_produced_ = 0;
  int64_t dropped_ = 0;
  int64_t committed_ = 0;
  int64_t rolled_back_ = 0;
};

}  // namespace streamsim::externals
