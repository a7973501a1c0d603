// SparkSink: batches in channel transactions, committed by an ack, rolled back by a nack or a
// timeout.
#include "externals/flume_spark_sink.h"

#include <fmt/format.h>

#include "base/assert.h"

namespace streamsim::externals {

FlumeSparkSink::FlumeSparkSink(sim::World* world, FlumeAgent* agent, FlumeSparkSinkConfig config)
    : world_(world), agent_(agent), config_(config) {
  agent_->set_sink(this);
}

void FlumeSparkSink::OnAgentCrash() { timeouts_.clear(); }  // the timers died with the node

void FlumeSparkSink::GetEventBatch(int64_t max_batch_size,
                                   std::function<void(protocols::FlumeEventBatch)> answer) {
  STREAMSIM_ASSERT(max_batch_size >= 1);
  Populate(max_batch_size, 1, std::move(answer));
}

void FlumeSparkSink::Populate(int64_t max_batch_size, int64_t tries,
                              std::function<void(protocols::FlumeEventBatch)> answer) {
  FlumeAgent::Take take = agent_->BeginTake(max_batch_size);
  if (take.events.empty()) {
    agent_->Commit(take.transaction);  // an empty transaction
    if (tries >= max_batch_size) {
      return answer(
          protocols::FlumeEventBatch{"Tried several times, but did not get any events from the "
                                     "channel!",
                                     0,
                                     {}});
    }
    world_->Schedule(agent_->node(), config_.backoff_interval,
                     [this, max_batch_size, tries, answer = std::move(answer)]() mutable {
                       Populate(max_batch_size, tries + 1, std::move(answer));
                     });
    return;
  }
  const int64_t sequence = take.transaction;
  timeouts_[sequence] = world_->Schedule(agent_->node(), config_.transaction_timeout,
                                         [this, sequence]() { OnTimeout(sequence); });
  answer(protocols::FlumeEventBatch{"", sequence, std::move(take.events)});
}

void FlumeSparkSink::Ack(int64_t sequence) {
  auto it = timeouts_.find(sequence);
  if (it == timeouts_.end()) return;  // timed out before: its events were handed out again
  world_->Cancel(it->second);
  timeouts_.erase(it);
  if (agent_->Commit(sequence)) ++committed_;
}

void FlumeSparkSink::Nack(int64_t sequence) {
  auto it = timeouts_.find(sequence);
  if (it == timeouts_.end()) return;
  world_->Cancel(it->second);
  timeouts_.erase(it);
  if (agent_->Rollback(sequence)) ++nacked_;
  world_->Record("flume", fmt::format("sink flume/{} batch {} nacked; rolled back",
                                      agent_->config().source_name, sequence));
}

void FlumeSparkSink::OnTimeout(int64_t sequence) {
  timeouts_.erase(sequence);
  if (!agent_->Rollback(sequence)) return;
  ++timed_out_;
  world_->Record("flume", fmt::format("sink flume/{} batch {}: Spark was unable to successfully "
                                      "process the events. Transaction is being rolled back.",
                                      agent_->config().source_name, sequence));
}

}  // namespace streamsim::externals
