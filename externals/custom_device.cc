// The custom receiver's device: production, outbox, sends, acknowledgements
// (externals/custom_device.h).
#include "externals/custom_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/assert.h"

namespace streamsim::externals {

CustomDevice::CustomDevice(sim::World* world, CustomDeviceConfig config)
    : world_(world),
      config_(std::move(config)),
      generator_(records::MakeGenerator(config_.generator,
                                        world->Random("workload/" + config_.name).seed())) {
  STREAMSIM_ASSERT(config_.rate_per_second > 0);
  STREAMSIM_ASSERT(config_.outbox_records_max >= 1);
  node_ = world_->AddNode("custom/" + config_.name);
  world_->OnStart(node_, [this]() {
    // A restart forgets what was in flight (it died with the node): send again from the oldest
    // unacknowledged record; the client skips what it already holds.
    if (first_start_) ResendFrom(outbox_start_, "device restarted");
    if (!first_start_) first_start_ = world_->Now();
    world_->Schedule(node_, config_.segment_interval, [this]() { Tick(); });
  });
}

void CustomDevice::Connect(sim::NodeId client_node, protocols::HandRecords deliver) {
  ++connection_;
  client_node_ = client_node;
  client_incarnation_ = world_->Incarnation(client_node);
  deliver_ = std::move(deliver);
}

uint64_t CustomDevice::ConnectReliable(sim::NodeId client_node,
                                       protocols::HandSequencedRecords deliver) {
  ++connection_;
  client_node_ = client_node;
  client_incarnation_ = world_->Incarnation(client_node);
  deliver_sequenced_ = std::move(deliver);
  // Everything not acknowledged is sent again.
  ResendFrom(outbox_start_, "");
  return connection_;
}

void CustomDevice::Disconnect() {
  ++connection_;
  deliver_ = nullptr;
  deliver_sequenced_ = nullptr;
}

bool CustomDevice::ClientGone() const {
  return !world_->IsUp(client_node_) || world_->Incarnation(client_node_) != client_incarnation_;
}

void CustomDevice::Tick() {
  Produce();
  if (connected() && ClientGone()) Disconnect();  // its node went down
  SendPending();
  world_->Schedule(node_, config_.segment_interval, [this]() { Tick(); });
}

// The records due by now: floor(rate x time since the first start), so the rate holds over time.
void CustomDevice::Produce() {
  const double elapsed_s = (world_->Now() - *first_start_).seconds();
  const int64_t due = static_cast<int64_t>(std::floor(config_.rate_per_second * elapsed_s + 1e-9));
  for (; produced_ < due; ++produced_) {
    outbox_.push_back(generator_->At(produced_));
    ledger_.ProducedGenerated(0, produced_, produced_, world_->Now(), outbox_.back());
  }
  while (static_cast<int64_t>(outbox_.size()) > config_.outbox_records_max) {
    ledger_.Dropped(0, outbox_start_);
    outbox_.pop_front();
    ++outbox_start_;
    ++dropped_;
  }
  next_send_ = std::max(next_send_, outbox_start_);
}

void CustomDevice::SendPending() {
  if (!connected() || next_send_ == produced_) return;
  records::Values records;
  int64_t bytes = 0;
  for (int64_t sequence = next_send_; sequence < produced_; ++sequence) {
    const std::string& record = outbox_[static_cast<size_t>(sequence - outbox_start_)];
    bytes += static_cast<int64_t>(record.size()) + 1;
    records.push_back(records::Value::String(record));
  }
  const int64_t first = next_send_;
  ledger::RecordIds ids = ledger_.Range(0, next_send_, produced_);
  sent_ += produced_ - next_send_;
  next_send_ = produced_;
  if (deliver_) {
    // Unreliable: handed over is forgotten.
    outbox_.clear();
    outbox_start_ = next_send_;
    world_->network().Send(sim::Message{
        node_, client_node_, bytes, "custom-records",
        [deliver = deliver_, records = std::move(records), ids = std::move(ids)]() mutable {
          deliver(std::move(records), std::move(ids));
        }});
    return;
  }
  world_->network().Send(sim::Message{
      node_, client_node_, bytes, "custom-records",
      [deliver = deliver_sequenced_, connection = connection_, first,
       acknowledged_below = outbox_start_, records = std::move(records),
       ids = std::move(ids)]() mutable {
        deliver(connection, first, acknowledged_below, std::move(records), std::move(ids));
      }});
}

// `up_to` is exact: the client stored (or found acknowledged) every record below it.
void CustomDevice::Acknowledge(int64_t up_to) {
  STREAMSIM_ASSERT(up_to <= produced_, "an acknowledgement beyond what the device produced");
  const int64_t first = outbox_start_;
  while (outbox_start_ < up_to && !outbox_.empty()) {
    outbox_.pop_front();
    ++outbox_start_;
  }
  ledger_.Acknowledged(ledger_.Range(0, first, outbox_start_), world_->Now());
  next_send_ = std::max(next_send_, outbox_start_);
}

void CustomDevice::ResendFrom(int64_t from, std::string_view why) {
  from = std::max(from, outbox_start_);
  if (from >= next_send_) return;
  world_->Record("custom",
                 fmt::format("{} re-sends from sequence {} ({} records){}{}", config_.name, from,
                             next_send_ - from, why.empty() ? "" : ": ", why));
  next_send_ = from;
}

}  // namespace streamsim::externals
