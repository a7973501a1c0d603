// A custom receiver (Spark's Receiver subclassed by the application, or an actor receiver) and the
// device or external system it reads, as a world node "custom/<source name>". The device produces
// numbered records (sequence 0, 1, ...) at a configured rate from a generator and keeps them in an
// outbox until it has handed them over; the receiver side is declared reliable or not:
//
// - Unreliable: the device sends each record once, in segments every `segment_interval`, and
//   forgets it; the receiver stores record by record (Receiver.store(record)) through the block
//   generator. Records produced while no receiver is connected wait in the outbox and are sent on
//   the next connection; records the receiver had buffered (or in flight to it, or in blocks that
//   die unreplicated) when it crashed are lost.
// - Reliable: the receiver's code gathers what arrives and, every block interval, stores it as a
//   whole block (Receiver.store(ArrayBuffer)), one block at a time; once the block is stored it
//   acknowledges the device up to the block's last sequence. The device keeps every record until
//   acknowledged and sends again from the oldest unacknowledged one on each new connection and
//   each restart of its node (its send position is volatile, its outbox durable): no loss;
//   duplicates when a block was stored but its acknowledgement did not reach the device.
//
// The reliable acknowledgement is cumulative, so it must never cover a record the receiver did
// not gather. Each message names its first sequence and the device's low watermark (every record
// below it is acknowledged); the receiver gathers only the contiguous run from the next sequence
// it needs (the watermark when connected), skips what it already holds (a re-send), and on a gap
// (a message lost in flight: the device crashed or went down just after sending, a partition)
// drops the message and asks the device to send again from that sequence. Re-sent records keep
// their ids.
//
// In the run's ledger a record's id is (partition 0, its sequence). The device counts a record
// acknowledged when an acknowledgement pops it from the outbox; every record an acknowledgement
// pops was stored by a receiver.
//
// Faults this double injects: none of its own. Its outbox holds at most `outbox_records_max`
// records; beyond that the oldest are dropped (and counted). The device node can be crashed; it
// sends nothing while down and keeps its outbox (a device's buffer, durable for this model).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "records/generators.h"
#include "engine/receivers/receiver.h"
#include "simulator/world.h"
#include "engine/core/records_and_ledger.h"

namespace streamsim::engine {

struct CustomSourceConfig {
  std::string name;  // the source's name in the scenario
  bool reliable = false;
  double rate_per_second = 100;
  GeneratorConfig generator;
  sim::Duration segment_interval = sim::Duration::Millis(10);
  sim::Duration block_interval = sim::Duration::Millis(200);  // reliable: a block this often
  int64_t outbox_records_max = 1000000;
};

class CustomSource : public ReceiverSource {
 public:
  // Adds the node "custom/<name>". REQUIRES: rate_per_second > 0, outbox_records_max >= 1.
  CustomSource(sim::World* world, CustomSourceConfig config);
  CustomSource(const CustomSource&) = delete;
  CustomSource& operator=(const CustomSource&) = delete;

  bool reliable() const override { return config_.reliable; }
  void Connect(sim::NodeId receiver_node, Deliver deliver) override;
  void ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) override;
  void Disconnect() override;

  sim::NodeId node() const { return node_; }
  const std::string& name() const { return config_.name; }
  int64_t records_produced() const { return produced_; }
  // Records sent, re-sends included.
  int64_t records_sent() const { return sent_; }
  // Reliable: every record of a sequence below this was acknowledged.
  int64_t records_acknowledged() const { return outbox_start_; }
  int64_t records_dropped() const { return dropped_; }

 private:
  // The device (on its node).
  void Tick();
  void Produce();
  void SendPending();
  void OnAcknowledged(int64_t up_to);
  void Rewind(int64_t from, std::string_view why);
  bool ReceiverGone() const;
  // The receiver's code (on the receiver's node), reliable only.
  void OnArrived(uint64_t connection, int64_t first_sequence, int64_t acknowledged_below,
                 Values records, RecordIds ids);
  void RequestResend(uint64_t connection);
  void ScheduleFlush(uint64_t connection);
  void Flush(uint64_t connection);

  sim::World* world_;
  CustomSourceConfig config_;
  sim::NodeId node_;
  std::unique_ptr<RecordGenerator> generator_;
  sim::Prng* random_;
  std::optional<sim::Instant> first_start_;
  int64_t produced_ = 0;
  int64_t sent_ = 0;
  int64_t dropped_ = 0;
  // The outbox: records of sequences [outbox_start_, produced_); next_send_ is the next to send.
  std::deque<std::string> outbox_;
  int64_t outbox_start_ = 0;
  int64_t next_send_ = 0;
  // The connection.
  uint64_t connection_ = 0;  // bumped on every Connect / Disconnect
  sim::NodeId receiver_node_;
  uint64_t receiver_incarnation_ = 0;
  Deliver deliver_;
  StoreBlock store_block_;
  // The reliable receiver's block being gathered, and whether a block is being stored.
  Values gathered_;
  RecordIds gathered_ids_;  // parallel to gathered_
  // The next sequence the receiver needs: every record below it is gathered, in a block stored
  // (or being stored) on this connection, or acknowledged.
  int64_t expected_ = 0;
  bool storing_ = false;
};

}  // namespace streamsim::engine
