// The device (or outside system) a custom receiver reads, as the receiver's code sees it: the
// device's protocol, not Spark's. It numbers its records 0, 1, ... and sends them to the one
// connected client:
//   - an unreliable client (Connect) is sent each record once;
//   - a reliable client (ConnectReliable) is sent every record not yet acknowledged, in messages
//     that name their first sequence and the device's low watermark (every record below it is
//     acknowledged); the client acknowledges cumulatively (Acknowledge) and may ask for a re-send
//     from a sequence (ResendFrom). Each connection has an id; messages of older ones are stale.
// The simulated device is externals/custom_device.h; the engine's side is
// engine/connectors/custom_source.h.
//
// A record's id in the run's ledger is (the source's index, partition 0, its sequence).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "ledger/ledger.h"
#include "protocols/delivery.h"
#include "records/value.h"
#include "simulator/world.h"

namespace streamsim::protocols {

// What a reliable client is handed, on its node: the records of sequences [first_sequence,
// first_sequence + records.size()), with their ledger ids, sent on `connection`; every record
// below `acknowledged_below` is acknowledged.
using HandSequencedRecords =
    std::function<void(uint64_t connection, int64_t first_sequence, int64_t acknowledged_below,
                       records::Values records, ledger::RecordIds ids)>;

class Device {
 public:
  virtual ~Device() = default;

  // The node the device runs on: acknowledgements and re-send requests are messages to it.
  virtual sim::NodeId node() const = 0;
  // An unreliable client on `client_node`: records are handed to `deliver` there.
  virtual void Connect(sim::NodeId client_node, HandRecords deliver) = 0;
  // A reliable client on `client_node`: every unacknowledged record is sent again, handed to
  // `deliver` there. Returns the connection's id.
  virtual uint64_t ConnectReliable(sim::NodeId client_node, HandSequencedRecords deliver) = 0;
  virtual void Disconnect() = 0;
  // The id of the current connection (changes on every Connect, ConnectReliable and Disconnect).
  virtual uint64_t connection() const = 0;
  // Run on node() when a client's acknowledgement arrives: every record below `up_to` was stored.
  // REQUIRES: every record below `up_to` was sent.
  virtual void Acknowledge(int64_t up_to) = 0;
  // Run on node(): send again from `from` (at least from the oldest unacknowledged record);
  // `why` goes into the trace.
  virtual void ResendFrom(int64_t from, std::string_view why) = 0;
};

}  // namespace streamsim::protocols
