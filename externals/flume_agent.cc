// The simulated Flume agent: the source's clock, the durable channel and its take transactions.
#include "externals/flume_agent.h"

#include <fmt/format.h>

#include <cmath>

#include "base/assert.h"

namespace streamsim::externals {

FlumeAgent::FlumeAgent(sim::World* world, FlumeAgentConfig config)
    : world_(world),
      config_(std::move(config)),
      generator_(records::MakeGenerator(config_.generator,
                                        world->Random("workload/" + config_.source_name).seed())) {
  STREAMSIM_ASSERT(config_.rate_per_second > 0);
  STREAMSIM_ASSERT(config_.channel_capacity >= 1);
  node_ = world_->AddNode("flume/" + config_.source_name);
  world_->OnStart(node_, [this]() { OnStart(); });
  world_->OnCrash(node_, [this]() { OnCrash(); });
}

bool FlumeAgent::available() const { return world_->IsUp(node_); }

void FlumeAgent::set_sink(FlumeSinkHooks* sink) {
  STREAMSIM_ASSERT(sink_ == nullptr && sink != nullptr);
  sink_ = sink;
}

void FlumeAgent::OnStart() {
  if (!first_start_) first_start_ = world_->Now();
  const int64_t missed = EventsDue() - (produced_ + not_produced_ + dropped_);
  STREAMSIM_ASSERT(missed >= 0);
  not_produced_ += missed;
  world_->Record("flume", fmt::format("agent flume/{} up channel={} not_produced={}",
                                      config_.source_name, channel_.size(), missed));
  world_->Schedule(node_, config_.produce_interval, [this]() { Produce(); });
  if (sink_ != nullptr) sink_->OnAgentStart();
}

// The file channel replays its log on restart: what open transactions had taken is back at the
// head of the channel. Rolling them back at the crash gives the same channel.
void FlumeAgent::OnCrash() {
  int64_t returned = 0;
  while (!open_.empty()) {
    returned += static_cast<int64_t>(open_.rbegin()->second.size());
    Rollback(open_.rbegin()->first);  // newest first, so the oldest events end at the head
  }
  world_->Record("flume", fmt::format("agent flume/{} down channel={} rolled_back={}",
                                      config_.source_name, channel_.size(), returned));
  if (sink_ != nullptr) sink_->OnAgentCrash();
}

int64_t FlumeAgent::EventsDue() const {
  if (!first_start_) return 0;
  const double elapsed_s = (world_->Now() - *first_start_).seconds();
  return static_cast<int64_t>(std::floor(config_.rate_per_second * elapsed_s + 1e-9));
}

void FlumeAgent::Produce() {
  const int64_t due = EventsDue();
  for (int64_t sequence = produced_ + not_produced_ + dropped_; sequence < due; ++sequence) {
    Accept(protocols::FlumeEvent{sequence, generator_->At(sequence)}, /*generated=*/true);
  }
  world_->Schedule(node_, config_.produce_interval, [this]() { Produce(); });
}

bool FlumeAgent::Put(protocols::FlumeEvent event) { return Accept(std::move(event), false); }

bool FlumeAgent::Accept(protocols::FlumeEvent event, bool generated) {
  if (generated) {
    ledger_.ProducedGenerated(0, event.sequence, event.sequence, world_->Now(), event.body);
  } else {
    ledger_.Produced(0, event.sequence, event.body, world_->Now());
  }
  if (channel_size() + events_in_transactions() >= config_.channel_capacity) {
    ++dropped_;
    ledger_.Dropped(0, event.sequence);  // the checker counts it lost
    return false;
  }
  channel_.push_back(std::move(event));
  ++produced_;
  return true;
}

ledger::RecordIds FlumeAgent::IdsOf(const std::vector<protocols::FlumeEvent>& events) const {
  ledger::RecordIds ids;
  ids.reserve(events.size());
  for (const protocols::FlumeEvent& event : events) ids.push_back(ledger_.Id(0, event.sequence));
  return ids;
}

int64_t FlumeAgent::events_in_transactions() const {
  int64_t events = 0;
  for (const auto& [id, taken] : open_) events += static_cast<int64_t>(taken.size());
  return events;
}

FlumeAgent::Take FlumeAgent::BeginTake(int64_t max_events) {
  STREAMSIM_ASSERT(available());
  STREAMSIM_ASSERT(max_events >= 1);
  Take take;
  take.transaction = next_transaction_++;
  while (!channel_.empty() && static_cast<int64_t>(take.events.size()) < max_events) {
    take.events.push_back(std::move(channel_.front()));
    channel_.pop_front();
  }
  open_[take.transaction] = take.events;
  return take;
}

bool FlumeAgent::Commit(int64_t transaction) {
  auto it = open_.find(transaction);
  if (it == open_.end()) return false;
  committed_ += static_cast<int64_t>(it->second.size());
  ledger_.Acknowledged(IdsOf(it->second), world_->Now());
  open_.erase(it);
  return true;
}

bool FlumeAgent::Rollback(int64_t transaction) {
  auto it = open_.find(transaction);
  if (it == open_.end()) return false;
  std::vector<protocols::FlumeEvent>& taken = it->second;
  rolled_back_ += static_cast<int64_t>(taken.size());
  channel_.insert(channel_.begin(), std::make_move_iterator(taken.begin()),
                  std::make_move_iterator(taken.end()));
  open_.erase(it);
  return true;
}

}  // namespace streamsim::externals
