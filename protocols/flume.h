// Flume as Spark's two Flume receivers see it. The push approach (FlumeUtils.createStream): the
// agent's Avro sink pushes events to an Avro server the receiver opens (FlumePushSink). The pull
// approach (FlumeUtils.createPollingStream): the agent runs Spark's SparkSink, which the receiver
// polls for batches of events in transactions it acks or nacks (FlumePollingSink). The simulated
// agent and sinks are externals/flume_agent.h, externals/flume_avro_sink.h and
// externals/flume_spark_sink.h; the engine's sides are engine/connectors/flume_push_source.h and
// engine/connectors/flume_polling_source.h.
//
// An event's id in the run's ledger is (the source's index, partition 0, its sequence).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "protocols/delivery.h"
#include "simulator/world.h"

namespace streamsim::protocols {

// One event: its 0-based sequence number in the agent's production order and its body (a line).
struct FlumeEvent {
  int64_t sequence = 0;
  std::string body;
};

// What SparkSink's getEventBatch answers: a batch of events in an open transaction, or an error.
struct FlumeEventBatch {
  std::string error;     // non-empty for an error batch (no events)
  int64_t sequence = 0;  // the transaction's id, to ack or nack
  std::vector<FlumeEvent> events;
};

class FlumePushSink {
 public:
  virtual ~FlumePushSink() = default;

  // The receiver's Avro server opens on `receiver_node`: events the sink pushes to it from now on
  // are handed to `deliver` there, with their ledger ids. A push succeeds once `deliver` ran (the
  // sink then forgets the events); one that fails is pushed again later.
  virtual void Connect(sim::NodeId receiver_node, HandRecords deliver) = 0;
  // The server closes: pushes on their way to it fail.
  virtual void Disconnect() = 0;
};

class FlumePollingSink {
 public:
  virtual ~FlumePollingSink() = default;

  // The node the sink serves from (the agent's): the RPCs below are messages to it.
  virtual sim::NodeId node() const = 0;
  // Whether the agent accepts connections now.
  virtual bool available() const = 0;
  // The RPCs, run on node(). getEventBatch: opens a transaction of up to `max_batch_size` events
  // and runs `answer` on node() once the batch (or an error batch) is ready; `answer` is dropped
  // if the agent crashes first. REQUIRES: max_batch_size >= 1.
  virtual void GetEventBatch(int64_t max_batch_size,
                             std::function<void(FlumeEventBatch)> answer) = 0;
  // ack: the receiver stored the batch; its transaction commits (if still open).
  virtual void Ack(int64_t sequence) = 0;
  // nack: the receiver could not store it; its transaction rolls back (if still open).
  virtual void Nack(int64_t sequence) = 0;
};

}  // namespace streamsim::protocols
