// The Avro sink's runner: take, push, commit or roll back, back off.
#include "externals/flume_avro_sink.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/assert.h"

namespace streamsim::externals {

FlumeAvroSink::FlumeAvroSink(sim::World* world, FlumeAgent* agent, FlumeAvroSinkConfig config)
    : world_(world), agent_(agent), config_(config) {
  STREAMSIM_ASSERT(config_.batch_size >= 1);
  agent_->set_sink(this);
}

void FlumeAvroSink::Connect(sim::NodeId receiver_node, protocols::HandRecords deliver) {
  receiver_node_ = receiver_node;
  receiver_incarnation_ = world_->Incarnation(receiver_node);
  deliver_ = std::move(deliver);
  ++connection_;
  connected_ = true;
}

void FlumeAvroSink::Disconnect() {
  deliver_ = nullptr;
  ++connection_;  // the server closed: calls on their way to it fail
  connected_ = false;
}

void FlumeAvroSink::OnAgentStart() {
  consecutive_backoffs_ = 0;
  ScheduleProcess(sim::Duration{});
}

void FlumeAvroSink::OnAgentCrash() {
  // The node's timers died with it; the open transaction was rolled back by the channel.
  call_.reset();
  wakeup_.reset();
}

void FlumeAvroSink::ScheduleProcess(sim::Duration delay) {
  STREAMSIM_ASSERT(!wakeup_.has_value());
  wakeup_ = world_->Schedule(agent_->node(), delay, [this]() {
    wakeup_.reset();
    Process();
  });
}

bool FlumeAvroSink::ReceiverReachable() const {
  return connected_ && world_->IsUp(receiver_node_) &&
         world_->Incarnation(receiver_node_) == receiver_incarnation_;
}

void FlumeAvroSink::Process() {
  STREAMSIM_ASSERT(!call_.has_value());
  if (!ReceiverReachable()) {
    // The sink cannot open its connection; Flume's runner sleeps its longest backoff and retries.
    return ScheduleProcess(config_.max_backoff);
  }
  FlumeAgent::Take take = agent_->BeginTake(config_.batch_size);
  if (take.events.empty()) {
    agent_->Commit(take.transaction);
    ++consecutive_backoffs_;
    return ScheduleProcess(
        std::min(config_.backoff_increment * consecutive_backoffs_, config_.max_backoff));
  }
  consecutive_backoffs_ = 0;
  Send(std::move(take));
}

void FlumeAvroSink::Send(FlumeAgent::Take take) {
  ledger::RecordIds ids = agent_->IdsOf(take.events);
  records::Values events;
  int64_t bytes = 0;
  for (protocols::FlumeEvent& event : take.events) {
    bytes += static_cast<int64_t>(event.body.size()) + 16;  // body and Avro framing
    events.push_back(records::Value::String(std::move(event.body)));
  }
  const int64_t transaction = take.transaction;
  const sim::NodeId agent_node = agent_->node();
  const sim::NodeId receiver_node = receiver_node_;
  const int64_t count = static_cast<int64_t>(events.size());
  sim::TimerId timeout = world_->Schedule(agent_node, config_.request_timeout,
                                          [this, transaction]() { OnAnswer(transaction, false); });
  call_ = Call{transaction, count, timeout};
  world_->network().Send(sim::Message{
      agent_node, receiver_node, bytes, "flume-append-batch",
      [this, transaction, agent_node, receiver_node, connection = connection_, deliver = deliver_,
       events = std::move(events), ids = std::move(ids)]() mutable {
        // On the receiver's node: its Avro server stores the events if it is still
        // open.
        const bool open = connected_ && connection_ == connection;
        if (open) deliver(std::move(events), std::move(ids));
        world_->network().Send(
            sim::Message{receiver_node, agent_node, 64, "flume-append-answer",
                         [this, transaction, open]() { OnAnswer(transaction, open); }});
      }});
}

void FlumeAvroSink::OnAnswer(int64_t transaction, bool ok) {
  if (!call_.has_value() || call_->transaction != transaction) return;  // after its timeout
  world_->Cancel(call_->timeout);
  const int64_t count = call_->events;
  call_.reset();
  if (ok) {
    agent_->Commit(transaction);
    ++calls_succeeded_;
    events_pushed_ += count;
    return ScheduleProcess(sim::Duration{});
  }
  agent_->Rollback(transaction);
  ++calls_failed_;
  world_->Record("flume", fmt::format("sink flume/{} appendBatch of {} events failed; rolled back",
                                      agent_->config().source_name, count));
  ScheduleProcess(config_.max_backoff);
}

}  // namespace streamsim::externals
