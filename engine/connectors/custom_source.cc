// The reliable custom receiver's block loop (engine/connectors/custom_source.h). Also
// StreamingContext::CustomReceiverStream, which builds the stream.
#include "engine/connectors/custom_source.h"

#include <algorithm>

#include "base/assert.h"
#include "engine/streaming/streaming_context.h"

namespace streamsim::engine {

void CustomSource::ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) {
  receiver_node_ = receiver_node;
  store_block_ = std::move(store_block);
  gathered_.clear();
  gathered_ids_.clear();
  expected_ = 0;  // the first message's watermark sets it
  storing_ = false;
  const uint64_t connection = device_->ConnectReliable(
      receiver_node, [this](uint64_t connection, int64_t first_sequence, int64_t acknowledged_below,
                            Values records, RecordIds ids) {
        OnArrived(connection, first_sequence, acknowledged_below, std::move(records),
                  std::move(ids));
      });
  ScheduleFlush(connection);
}

void CustomSource::Disconnect() {
  device_->Disconnect();
  store_block_ = nullptr;
  gathered_.clear();
  gathered_ids_.clear();
  storing_ = false;
}

// The receiver gathers only the contiguous run from `expected_`, so that the acknowledgement of a
// block covers nothing it did not gather.
void CustomSource::OnArrived(uint64_t connection, int64_t first_sequence,
                             int64_t acknowledged_below, Values records, RecordIds ids) {
  if (connection != device_->connection()) return;  // for a receiver that is gone
  STREAMSIM_ASSERT(records.size() == ids.size());
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
  protocols::Device* device = device_;
  world_->network().Send(sim::Message{receiver_node_, device->node(), 64, "custom-resend",
                                      [device, connection, from = expected_]() {
                                        if (connection == device->connection())
                                          device->ResendFrom(from, "the receiver missed it");
                                      }});
}

void CustomSource::ScheduleFlush(uint64_t connection) {
  world_->Schedule(receiver_node_, config_.block_interval, [this, connection]() {
    if (connection != device_->connection()) return;
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
    if (connection != device_->connection()) return;
    storing_ = false;
    protocols::Device* device = device_;
    world_->network().Send(sim::Message{receiver_node_, device->node(), 64, "custom-ack",
                                        [device, up_to]() { device->Acknowledge(up_to); }});
  });
}

DStream* StreamingContext::CustomReceiverStream(const std::string& name, protocols::Device* device,
                                                bool reliable, int32_t source_index) {
  return ReceiverStream(name, source_index,
                        std::make_unique<CustomSource>(
                            world_, device, CustomSourceConfig{reliable, config_.block_interval}));
}

}  // namespace streamsim::engine
