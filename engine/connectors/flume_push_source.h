// Flume's push approach as a receiver source (FlumeUtils.createStream): the receiver's Avro
// server, to which the agent's Avro sink (protocols/flume.h, FlumePushSink) pushes events. An
// unreliable source: the sink forgets the events of a push once the receiver has them in memory,
// so what the receiver buffered is lost if it dies; a push that fails is pushed again later.
#pragma once

#include "engine/receivers/receiver.h"
#include "protocols/flume.h"

namespace streamsim::engine {

class FlumePushSource : public ReceiverSource {
 public:
  // REQUIRES: `sink` outlives the source.
  explicit FlumePushSource(protocols::FlumePushSink* sink) : sink_(sink) {}

  void Connect(sim::NodeId receiver_node, Deliver deliver) override {
    sink_->Connect(receiver_node, std::move(deliver));
  }
  void Disconnect() override { sink_->Disconnect(); }

 private:
  protocols::FlumePushSink* sink_;
};

}  // namespace streamsim::engine
