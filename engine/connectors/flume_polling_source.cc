// The polling receiver's loop: poll, store reliably, ack, poll again; nack when stopped.
#include "engine/connectors/flume_polling_source.h"

#include <fmt/format.h>

#include "base/assert.h"

namespace streamsim::engine {

FlumePollingSource::FlumePollingSource(sim::World* world, protocols::FlumePollingSink* sink,
                                       FlumePollingConfig config)
    : world_(world), config_(std::move(config)), sink_(sink) {
  STREAMSIM_ASSERT(sink_ != nullptr);
  STREAMSIM_ASSERT(config_.max_batch_size >= 1);
}

void FlumePollingSource::ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) {
  const uint64_t connection = ++connection_;
  receiver_node_ = receiver_node;
  store_block_ = std::move(store_block);
  outstanding_.reset();
  world_->Schedule(receiver_node_, sim::Duration{}, [this, connection]() { Poll(connection); });
}

// FlumePollingReceiver.onStop: a batch being stored is nacked (the store is interrupted), if the
// receiver's node is still there to say so.
void FlumePollingSource::Disconnect() {
  if (outstanding_ && outstanding_->storing && world_->IsUp(receiver_node_)) {
    const int64_t sequence = *outstanding_->storing;
    ++nacked_;
    SendToAgent("flume-nack", [this, sequence]() { sink_->Nack(sequence); });
  }
  ++connection_;
  store_block_ = nullptr;
  outstanding_.reset();
}

void FlumePollingSource::SendToAgent(const char* kind, std::function<void()> on_agent) {
  world_->network().Send(
      sim::Message{receiver_node_, sink_->node(), 64, kind, std::move(on_agent)});
}

bool FlumePollingSource::Current(uint64_t connection, int64_t request) const {
  return connection == connection_ && outstanding_ && outstanding_->request == request;
}

void FlumePollingSource::Poll(uint64_t connection) {
  if (connection != connection_) return;
  if (!sink_->available()) {  // connection refused: try again later
    world_->Schedule(receiver_node_, config_.retry_interval,
                     [this, connection]() { Poll(connection); });
    return;
  }
  const int64_t request = next_request_++;
  outstanding_ = Outstanding{request, world_->Incarnation(sink_->node()), std::nullopt};
  const sim::NodeId receiver = receiver_node_;
  SendToAgent("flume-get-batch", [this, connection, request, receiver]() {
    sink_->GetEventBatch(config_.max_batch_size,
                         [this, connection, request, receiver](protocols::FlumeEventBatch batch) {
                           int64_t bytes = 64;
                           for (const protocols::FlumeEvent& event : batch.events) {
                             bytes += static_cast<int64_t>(event.body.size()) + 16;
                           }
                           world_->network().Send(sim::Message{
                               sink_->node(), receiver, bytes, "flume-event-batch",
                               [this, connection, request, batch = std::move(batch)]() mutable {
                                 OnBatch(connection, request, std::move(batch));
                               }});
                         });
  });
  WatchConnection(connection, request);
}

// The poller learns that the agent went away when its connection breaks.
void FlumePollingSource::WatchConnection(uint64_t connection, int64_t request) {
  world_->Schedule(receiver_node_, config_.connection_check_interval,
                   [this, connection, request]() {
                     if (!Current(connection, request) || outstanding_->storing) return;
                     if (sink_->available() &&
                         world_->Incarnation(sink_->node()) == outstanding_->agent_incarnation) {
                       return WatchConnection(connection, request);
                     }
                     world_->Record("flume", fmt::format("poller of {}: connection to the "
                                                         "agent lost",
                                                         world_->NodeName(sink_->node())));
                     outstanding_.reset();
                     Poll(connection);
                   });
}

void FlumePollingSource::OnBatch(uint64_t connection, int64_t request,
                                 protocols::FlumeEventBatch batch) {
  if (!Current(connection, request)) return;  // its transaction will time out at the agent
  if (!batch.error.empty()) {
    world_->Record("flume", fmt::format("poller of {}: Did not receive events from Flume "
                                        "agent due to error on the Flume agent: {}",
                                        world_->NodeName(sink_->node()), batch.error));
    outstanding_.reset();
    return Poll(connection);
  }
  const int64_t sequence = batch.sequence;
  outstanding_->storing = sequence;
  RecordIds ids;
  Values records;
  ids.reserve(batch.events.size());
  records.reserve(batch.events.size());
  for (protocols::FlumeEvent& event : batch.events) {
    ids.push_back(ledger_.Id(0, event.sequence));  // the agent's ids (protocols/flume.h)
    records.push_back(Value::String(std::move(event.body)));
  }
  store_block_(std::move(records), std::move(ids),
               [this, connection, sequence]() { OnStored(connection, sequence); });
}

void FlumePollingSource::OnStored(uint64_t connection, int64_t sequence) {
  if (connection != connection_) return;
  ++acked_;
  SendToAgent("flume-ack", [this, sequence]() { sink_->Ack(sequence); });
  outstanding_.reset();
  Poll(connection);
}

}  // namespace streamsim::engine
