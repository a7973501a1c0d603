// Flume's push approach as a receiver source (FlumeUtils.createStream): the simulated agent
// ("flume/<source name>") and its Avro sink, which pushes to the receiver's Avro server. An
// unreliable source: see externals/flume_avro_sink.h for what is lost and what is pushed again.
#pragma once

#include "externals/flume_agent.h"
#include "externals/flume_avro_sink.h"
#include "engine/receivers/receiver.h"
#include "simulator/world.h"

namespace streamsim::engine {

class FlumePushSource : public ReceiverSource {
 public:
  FlumePushSource(sim::World* world, const externals::FlumeAgentConfig& agent, const externals::FlumeAvroSinkConfig& sink)
      : agent_(world, agent), sink_(world, &agent_, sink) {}

  void AttachLedger(Ledger* ledger, int32_t source_index) override {
    ReceiverSource::AttachLedger(ledger, source_index);
    sink_.AttachLedger(ledger, source_index);
  }
  void Connect(sim::NodeId receiver_node, Deliver deliver) override {
    sink_.Connect(receiver_node, std::move(deliver));
  }
  void Disconnect() override { sink_.Disconnect(); }

  externals::FlumeAgent& agent() { return agent_; }
  const externals::FlumeAgent& agent() const { return agent_; }
  const externals::FlumeAvroSink& sink() const { return sink_; }

 private:
  externals::FlumeAgent agent_;
  externals::FlumeAvroSink sink_;
};

}  // namespace streamsim::engine
