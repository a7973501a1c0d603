// Flume's push approach (FlumeUtils.createStream): the agent's Avro sink pushes events to the
// Spark receiver, which runs an Avro server (engine/connectors/flume_push_source.h): the receiver's
// server opens (Connect) when it starts and closes (Disconnect) when it stops.
//
// The sink runner loops on the agent's node: it takes up to `batch_size` events in a channel
// transaction and sends them in one appendBatch call; the receiver's server stores them in the
// block generator, record by record, and answers; the answer commits the transaction. So an event
// counts as delivered once the receiver has it in memory — the approach is unreliable: what the
// receiver buffered is lost if it dies. A call that fails rolls the transaction back, and the
// events are pushed again later:
//   - no receiver connected, or the receiver's node is down: the sink takes nothing and waits
//     (events stay in the channel, which may fill up: see externals/flume_agent.h);
//   - the receiver stopped while the call was on its way (its server is closed): the call fails
//     at once ("connection refused");
//   - the call or its answer is lost (the receiver's node crashed): the call fails after
//     `request_timeout` (Flume's request-timeout, 20 s).
// After a failure the runner sleeps `max_backoff` (Flume's maxBackoffSleep, 5 s); after a take
// that found the channel empty it sleeps `backoff_increment` x the number of consecutive empty
// takes, at most `max_backoff` (Flume's PollingRunner).
//
// Where this departs from Flume: a real sink is configured with the receiver's host and port, so
// a receiver relaunched on another machine is out of its reach (Spark says to run the receiver on
// the configured host); here the sink follows the receiver wherever it is launched.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "externals/flume_agent.h"
#include "protocols/flume.h"
#include "simulator/world.h"

namespace streamsim::externals {

struct FlumeAvroSinkConfig {
  int64_t batch_size = 100;  // Flume's AvroSink batch-size
  sim::Duration request_timeout = sim::Duration::Seconds(20);
  sim::Duration backoff_increment = sim::Duration::Seconds(1);
  sim::Duration max_backoff = sim::Duration::Seconds(5);
};

class FlumeAvroSink : public FlumeSinkHooks, public protocols::FlumePushSink {
 public:
  // Becomes `agent`'s sink. REQUIRES: config.batch_size >= 1.
  FlumeAvroSink(sim::World* world, FlumeAgent* agent, FlumeAvroSinkConfig config);

  // protocols::FlumePushSink: a receiver's server opens on `receiver_node`; events pushed to it
  // are handed to `deliver` there.
  void Connect(sim::NodeId receiver_node, protocols::HandRecords deliver) override;
  void Disconnect() override;
  void OnAgentStart() override;
  void OnAgentCrash() override;

  int64_t calls_succeeded() const { return calls_succeeded_; }
  int64_t calls_failed() const { return calls_failed_; }
  int64_t events_pushed() const { return events_pushed_; }  // in calls that succeeded

 private:
  struct Call {
    int64_t transaction = 0;
    int64_t events = 0;
    sim::TimerId timeout;
  };
  void Process();
  void ScheduleProcess(sim::Duration delay);
  bool ReceiverReachable() const;
  void Send(FlumeAgent::Take take);
  void OnAnswer(int64_t transaction, bool ok);

  sim::World* world_;
  FlumeAgent* agent_;
  FlumeAvroSinkConfig config_;
  // The receiver's server, while one is connected. A new connection gets a new id, so that a
  // call sent to a server that has since closed fails.
  sim::NodeId receiver_node_;
  uint64_t receiver_incarnation_ = 0;
  protocols::HandRecords deliver_;
  int64_t connection_ = 0;
  bool connected_ = false;
  // The sink runner (volatile: lost with the agent's node).
  std::optional<Call> call_;
  std::optional<sim::TimerId> wakeup_;
  int64_t consecutive_backoffs_ = 0;
  int64_t calls_succeeded_ = 0;
  int64_t calls_failed_ = 0;
  int64_t events_pushed_ = 0;
};

}  // namespace streamsim::externals
