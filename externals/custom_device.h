// The device or outside system a custom receiver reads (engine/connectors/custom_source.h), as a
// world node "custom/<source name>". It produces numbered records (sequence 0, 1, ...) at a
// configured rate from a generator and keeps them in an outbox until it has handed them over:
//
// - to an unreliable client (Connect), it sends each record once, in segments every
//   `segment_interval`, and forgets it. Records produced while no client is connected wait in the
//   outbox and are sent on the next connection.
// - to a reliable client (ConnectReliable), it sends every record not yet acknowledged, and keeps
//   it until an acknowledgement (Acknowledge, cumulative) pops it. It sends again from the oldest
//   unacknowledged record on each new connection and each restart of its node (its send position
//   is volatile, its outbox durable), and from any sequence the client asks for (ResendFrom).
//   Each message names its first sequence and the device's low watermark (every record below it
//   is acknowledged), so that the client can gather only an unbroken run.
//
// In the run's ledger a record's id is (partition 0, its sequence). The device counts a record
// acknowledged when an acknowledgement pops it from the outbox.
//
// Faults this double injects: none of its own. Its outbox holds at most `outbox_records_max`
// records; beyond that the oldest are dropped (and counted). The device node can be crashed; it
// sends nothing while down and keeps its outbox (a device's buffer, durable for this model).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/source_ledger.h"
#include "protocols/device.h"
#include "records/generators.h"
#include "simulator/world.h"

namespace streamsim::externals {

struct CustomDeviceConfig {
  std::string name;  // the source's name in the scenario
  double rate_per_second = 100;
  records::GeneratorConfig generator;
  sim::Duration segment_interval = sim::Duration::Millis(10);
  int64_t outbox_records_max = 1000000;
};

class CustomDevice : public protocols::Device {
 public:
  // Adds the node "custom/<name>". REQUIRES: rate_per_second > 0, outbox_records_max >= 1.
  CustomDevice(sim::World* world, CustomDeviceConfig config);
  CustomDevice(const CustomDevice&) = delete;
  CustomDevice& operator=(const CustomDevice&) = delete;

  // Where the device writes what it produced and saw acknowledged (ledger/source_ledger.h).
  void AttachLedger(ledger::Ledger* ledger, int32_t source_index) {
    ledger_ = ledger::SourceLedger(ledger, source_index);
    ledger_.DrawsFrom(generator_);
  }
  // protocols::Device.
  void Connect(sim::NodeId client_node, protocols::HandRecords deliver) override;
  uint64_t ConnectReliable(sim::NodeId client_node,
                           protocols::HandSequencedRecords deliver) override;
  void Disconnect() override;
  // REQUIRES: up_to <= records_produced().
  void Acknowledge(int64_t up_to) override;
  // The re-send starts on the device's next tick.
  void ResendFrom(int64_t from, std::string_view why) override;
  uint64_t connection() const override { return connection_; }
  sim::NodeId node() const override { return node_; }
  const std::string& name() const { return config_.name; }
  int64_t records_produced() const { return produced_; }
  // Records sent, re-sends included.
  int64_t records_sent() const { return sent_; }
  // Reliable: every record of a sequence below this was acknowledged.
  int64_t records_acknowledged() const { return outbox_start_; }
  int64_t records_dropped() const { return dropped_; }

 private:
  void Tick();
  void Produce();
  void SendPending();
  bool ClientGone() const;
  bool connected() const { return deliver_ || deliver_sequenced_; }

  sim::World* world_;
  CustomDeviceConfig config_;
  sim::NodeId node_;
  std::shared_ptr<const records::RecordGenerator> generator_;
  ledger::SourceLedger ledger_;
  std::optional<sim::Instant> first_start_;
  int64_t produced_ = 0;
  int64_t sent_ = 0;
  int64_t dropped_ = 0;
  // The outbox: records of sequences [outbox_start_, produced_); next_send_ is the next to send.
  std::deque<std::string> outbox_;
  int64_t outbox_start_ = 0;
  int64_t next_send_ = 0;
  // The connection.
  uint64_t connection_ = 0;  // bumped on every Connect / ConnectReliable / Disconnect
  sim::NodeId client_node_;
  uint64_t client_incarnation_ = 0;
  protocols::HandRecords deliver_;                     // unreliable
  protocols::HandSequencedRecords deliver_sequenced_;  // reliable
};

}  // namespace streamsim::externals
