// A custom receiver (Spark's Receiver subclassed by the application, or an actor receiver) reading
// a device through the device's protocol (protocols/device.h); the receiver side is declared
// reliable or not:
//
// - Unreliable: the receiver stores record by record (Receiver.store(record)) through the block
//   generator. Records it had buffered (or in flight to it, or in blocks that die unreplicated)
//   when it crashed are lost.
// - Reliable: the receiver's code gathers what arrives and, every block interval, stores it as a
//   whole block (Receiver.store(ArrayBuffer)), one block at a time; once the block is stored it
//   acknowledges the device up to the block's last sequence. No loss; duplicates when a block was
//   stored but its acknowledgement did not reach the device.
//
// The reliable acknowledgement is cumulative, so it must never cover a record the receiver did
// not gather. The receiver gathers only the contiguous run from the next sequence it needs (the
// device's low watermark when connected), skips what it already holds (a re-send), and on a gap
// (a message lost in flight: the device crashed or went down just after sending, a partition)
// drops the message and asks the device to send again from that sequence. Re-sent records keep
// their ids; every record an acknowledgement pops was stored by a receiver.
#pragma once

#include <cstdint>

#include "engine/receivers/receiver.h"
#include "protocols/device.h"

namespace streamsim::engine {

struct CustomSourceConfig {
  bool reliable = false;
  sim::Duration block_interval = sim::Duration::Millis(200);  // reliable: a block this often
};

class CustomSource : public ReceiverSource {
 public:
  // REQUIRES: `device` outlives the source.
  CustomSource(sim::World* world, protocols::Device* device, CustomSourceConfig config)
      : world_(world), device_(device), config_(config) {}
  CustomSource(const CustomSource&) = delete;
  CustomSource& operator=(const CustomSource&) = delete;

  bool reliable() const override { return config_.reliable; }
  void Connect(sim::NodeId receiver_node, Deliver deliver) override {
    device_->Connect(receiver_node, std::move(deliver));
  }
  void ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) override;
  void Disconnect() override;

 private:
  void OnArrived(uint64_t connection, int64_t first_sequence, int64_t acknowledged_below,
                 Values records, RecordIds ids);
  void RequestResend(uint64_t connection);
  void ScheduleFlush(uint64_t connection);
  void Flush(uint64_t connection);

  sim::World* world_;
  protocols::Device* device_;
  CustomSourceConfig config_;
  sim::NodeId receiver_node_;
  StoreBlock store_block_;
  // The block being gathered, and whether a block is being stored.
  Values gathered_;
  RecordIds gathered_ids_;  // parallel to gathered_
  // The next sequence the receiver needs: every record below it is gathered, in a block stored
  // (or being stored) on this connection, or acknowledged.
  int64_t expected_ = 0;
  bool storing_ = false;
};

}  // namespace streamsim::engine
