// The custom receiver's device (production, outbox, sends, acknowledgements) and the reliable
// receiver's block loop. Also StreamingContext::CustomReceiverStream, which builds the stream.
#include "engine/connectors/custom_source.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include <fmt/format.h>

#include "engine/streaming/streaming_context.h"

namespace streamsim::engine {

CustomSource::CustomSource(sim::World* world, CustomSourceConfig config)
    : world_(world),
      config_(std::move(config)),
      generator_(MakeGenerator(config_.generator)),
      random_(&world->Random("workload/" + config_.name)) {
  assert(config_.rate_per_second > 0);
  assert(config_.outbox_records_max >= 1);
  node_ = world_->AddNode("custom/" + config_.name);
  world_->OnStart(node_, [this]() {
    // A restart forgets what was in flight (it died with the node): send again from the oldest
    // unacknowledged record; the receiver skips what it already holds.
    if (first_start_) Rewind(outbox_start_, "device restarted");
    if (!first_start_) first_start_ = world_->Now();
    world_->Schedule(node_, config_.segment_interval, [this]() { Tick(); });
  });
}

void CustomSource::Connect(sim::NodeId receiver_node, Deliver deliver) {
  ++connection_;
  receiver_node_ = receiver_node;
  receiver_incarnation_ = world_->Incarnation(receiver_node);
  deliver_ = std::move(deliver);
}

void CustomSource::ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) {
  ++connection_;
  receiver_node_ = receiver_node;
  receiver_incarnation_ = world_->Incarnation(receiver_node);
  store_block_ = std::move(store_block);
  gathered_.clear();
  gathered_ids_.clear();
  expected_ = 0;  // the first message's watermark sets it
  storing_ = false;
  // The device sends again everything not acknowledged.
  Rewind(outbox_start_, "");
  ScheduleFlush(connection_);
}

void CustomSource::Disconnect() {
  ++connection_;
  deliver_ = nullptr;
  store_block_ = nullptr;
  gathered_.clear();
  gathered_ids_.clear();
  storing_ = false;
}

bool CustomSource::ReceiverGone() const {
  return !world_->IsUp(receiver_node_) ||
         world_->Incarnation(receiver_node_) != receiver_incarnation_;
}

void CustomSource::Tick() {
  Produce();
  if ((deliver_ || store_block_) && ReceiverGone()) Disconnect();  // its node went down
  SendPending();
  world_->Schedule(node_, config_.segment_interval, [this]() { Tick(); });
}

// The records due by now: floor(rate x time since the first start), so the rate holds over time.
void CustomSource::Produce() {
  const double elapsed_s = (world_->Now() - *first_start_).seconds();
  const int64_t due = static_cast<int64_t>(std::floor(config_.rate_per_second * elapsed_s + 1e-9));
  for (; produced_ < due; ++produced_) {
    outbox_.push_back(generator_->Next(produced_, *random_));
    ledger_.Produced(0, produced_, outbox_.back(), world_->Now());
  }
  while (static_cast<int64_t>(outbox_.size()) > config_.outbox_records_max) {
    outbox_.pop_front();
    ++outbox_start_;
    ++dropped_;
  }
  next_send_ = std::max(next_send_, outbox_start_);
}

void CustomSource::SendPending() {
  if ((!deliver_ && !store_block_) || next_send_ == produced_) return;
  Values records;
  int64_t bytes = 0;
  for (int64_t sequence = next_send_; sequence < produced_; ++sequence) {
    const std::string& record = outbox_[static_cast<size_t>(sequence - outbox_start_)];
    bytes += static_cast<int64_t>(record.size()) + 1;
    records.push_back(Value::String(record));
  }
  const int64_t first = next_send_;
  RecordIds ids = ledger_.Range(0, next_send_, produced_);
  sent_ += produced_ - next_send_;
  next_send_ = produced_;
  if (deliver_) {
    // Unreliable: handed over is forgotten.
    outbox_.clear();
    outbox_start_ = next_send_;
    world_->network().Send(sim::Message{
        node_, receiver_node_, bytes, "custom-records",
        [deliver = deliver_, records = std::move(records), ids = std::move(ids)]() mutable {
          deliver(std::move(records), std::move(ids));
        }});
    return;
  }
  world_->network().Send(sim::Message{
      node_, receiver_node_, bytes, "custom-records",
      [this, connection = connection_, first, acknowledged_below = outbox_start_,
       records = std::move(records), ids = std::move(ids)]() mutable {
        OnArrived(connection, first, acknowledged_below, std::move(records), std::move(ids));
      }});
}

// `up_to` is exact: the receiver stored (or found acknowledged) every record below it.
void CustomSource::OnAcknowledged(int64_t up_to) {
  assert(up_to <= produced_);
  const int64_t first = outbox_start_;
  while (outbox_start_ < up_to && !outbox_.empty()) {
    outbox_.pop_front();
    ++outbox_start_;
  }
  ledger_.Acknowledged(ledger_.Range(0, first, outbox_start_), world_->Now());
  next_send_ = std::max(next_send_, outbox_start_);
}

// Sends again from `from` (at least the oldest unacknowledged record) on the next tick.
void CustomSource::Rewind(int64_t from, std::string_view why) {
  from = std::max(from, outbox_start_);
  if (from >= next_send_) return;
  world_->Record("custom",
                 fmt::format("{} re-sends from sequence {} ({} records){}{}", config_.name, from,
                             next_send_ - from, why.empty() ? "" : ": ", why));
  next_send_ = from;
}

// The receiver gathers only the contiguous run from `expected_`, so that the acknowledgement of a
// block covers nothing it did not gather.
void CustomSource::OnArrived(uint64_t connection, int64_t first_sequence,
                             int64_t acknowledged_below, Values records, RecordIds ids) {
  if (connection != connection_) return;  // for a receiver that is gone
  assert(records.size() == ids.size());
  expected_ = std::max(expected_, acknowledged_below);
  if (first_sequence > expected_) {  // a message before this one was lost: drop this one too
    RequestResend(connection);
    return;
  }
  const int64_t count = static_cast<int64_t>(records.size());
  const int64_t held = std::min(expected_ - first_sequence, count);  // a re-send of what it has
  gathered_.insert(gathered_.end(), std::make_move_iterator(records.begin() + held),
                   std::make_move_iterator(records.end()));
  gathered_ids_.insert(gathered_ids_.end(), ids.begin() + held, ids.end());
  expected_ = std::max(expected_, first_sequence + count);
}

// One request per message that arrives after a gap: a lost request is made again by the next one.
void CustomSource::RequestResend(uint64_t connection) {
  world_->network().Send(sim::Message{receiver_node_, node_, 64, "custom-resend",
                                      [this, connection, from = expected_]() {
                                        if (connection == connection_)
                                          Rewind(from, "the receiver missed it");
                                      }});
}

void CustomSource::ScheduleFlush(uint64_t connection) {
  world_->Schedule(receiver_node_, config_.block_interval, [this, connection]() {
    if (connection != connection_) return;
    Flush(connection);
    ScheduleFlush(connection);
  });
}

// The receiver's loop: one block at a time (store(ArrayBuffer) blocks until stored), then the
// acknowledgement up to its last sequence goes to the device.
void CustomSource::Flush(uint64_t connection) {
  if (storing_ || gathered_.empty()) return;
  storing_ = true;
  const int64_t up_to = expected_;  // the block ends just below it
  Values block = std::move(gathered_);
  RecordIds ids = std::move(gathered_ids_);
  gathered_.clear();
  gathered_ids_.clear();
  store_block_(std::move(block), std::move(ids), [this, connection, up_to]() {
    if (connection != connection_) return;
    storing_ = false;
    world_->network().Send(sim::Message{receiver_node_, node_, 64, "custom-ack",
                                        [this, up_to]() { OnAcknowledged(up_to); }});
  });
}

DStream* StreamingContext::CustomReceiverStream(const CustomSourceConfig& config) {
  CustomSourceConfig source = config;
  source.block_interval = config_.block_interval;
  return ReceiverStream(config.name, std::make_unique<CustomSource>(world_, source));
}

}  // namespace streamsim::engine
