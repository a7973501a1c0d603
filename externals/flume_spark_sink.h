// Flume's pull approach (FlumeUtils.createPollingStream): the agent runs Spark's SparkSink, and
// the Spark receiver polls it (engine/connectors/flume_polling_source.h). This is the agent's side.
//
// getEventBatch(n) opens a channel transaction and takes up to n events. While the channel is
// empty it waits `backoff_interval` (SparkSink's backoffInterval, 200 ms) and tries again, at most
// n times, then answers with an error batch ("Tried several times, but did not get any events
// from the channel!"). A batch with events keeps its transaction open until the receiver answers:
//   - ack(sequence): the receiver stored the block; the transaction commits and the events leave
//     the channel for good;
//   - nack(sequence): the receiver could not store them; the transaction rolls back;
//   - neither within `transaction_timeout` (the receiver died, or its answer was lost): the
//     transaction rolls back ("Spark was unable to successfully process the events. Transaction
//     is being rolled back.").
// Rolled-back events return to the head of the channel and are handed out again: the approach is
// reliable (no event leaves the channel before Spark stored it), and at least once (an ack that
// arrives after the timeout finds the transaction gone, and its events come again).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "externals/flume_agent.h"
#include "protocols/flume.h"
#include "simulator/world.h"

namespace streamsim::externals {

struct FlumeSparkSinkConfig {
  sim::Duration transaction_timeout = sim::Duration::Seconds(15);
  sim::Duration backoff_interval = sim::Duration::Millis(200);
};

class FlumeSparkSink : public FlumeSinkHooks, public protocols::FlumePollingSink {
 public:
  // Becomes `agent`'s sink.
  FlumeSparkSink(sim::World* world, FlumeAgent* agent, FlumeSparkSinkConfig config);
  const FlumeSparkSinkConfig& config() const { return config_; }

  FlumeAgent& agent() { return *agent_; }
  // protocols::FlumePollingSink: the sink serves from the agent's node, while the agent is up.
  sim::NodeId node() const override { return agent_->node(); }
  bool available() const override { return agent_->available(); }
  // The RPCs, run on the agent's node (a caller's message delivers them). `answer` runs on the
  // agent's node once the batch is ready; it is dropped if the agent crashes first.
  // REQUIRES: max_batch_size >= 1.
  void GetEventBatch(int64_t max_batch_size,
                     std::function<void(protocols::FlumeEventBatch)> answer) override;
  void Ack(int64_t sequence) override;
  void Nack(int64_t sequence) override;

  void OnAgentStart() override {}
  void OnAgentCrash() override;

  int64_t batches_committed() const { return committed_; }
  int64_t batches_nacked() const { return nacked_; }
  int64_t batches_timed_out() const { return timed_out_; }

 private:
  void Populate(int64_t max_batch_size, int64_t tries,
                std::function<void(protocols::FlumeEventBatch)> answer);
  void OnTimeout(int64_t sequence);

  sim::World* world_;
  FlumeAgent* agent_;
  FlumeSparkSinkConfig config_;
  std::map<int64_t, sim::TimerId> timeouts_;  // of the transactions handed out, by sequence
  int64_t committed_ = 0;
  int64_t nacked_ = 0;
  int64_t timed_out_ = 0;
};

}  // namespace streamsim::externals
