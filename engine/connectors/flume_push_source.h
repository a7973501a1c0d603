// Flume's push approach as a receiver source (FlumeUtils.createStream): the receiver's Avro
// server, to which the agent's Avro sink (externals/flume_avro_sink.h) pushes events. An
// unreliable source: see externals/flume_avro_sink.h for what is lost and what is pushed again.
#pragma once

#include "engine/receivers/receiver.h"
#include "externals/flume_agent.h"
#include "externals/flume_avro_sink.h"

namespace streamsim::engine {

class FlumePushSource : public ReceiverSource {
 public:
  // REQUIRES: `sink` is `agent`'s sink; both outlive the source.
  FlumePushSource(externals::FlumeAgent* agent, externals::FlumeAvroSink* sink)
      : agent_(agent), sink_(sink) {}

  void AttachLedger(Ledger* ledger, int32_t source_index) override {
    ReceiverSource::AttachLedger(ledger, source_index);
    sink_->AttachLedger(ledger, source_index);
  }
  void Connect(sim::NodeId receiver_node, Deliver deliver) override {
    sink_->Connect(receiver_node, std::move(deliver));
  }
  void Disconnect() override { sink_->Disconnect(); }

  externals::FlumeAgent& agent() { return *agent_; }
  const externals::FlumeAgent& agent() const { return *agent_; }
  const externals::FlumeAvroSink& sink() const { return *sink_; }

 private:
  externals::FlumeAgent* agent_;
  externals::FlumeAvroSink* sink_;
};

}  // namespace streamsim::engine
