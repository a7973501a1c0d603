// A simulated TCP text server (what `nc -lk 7777` is in the chapter's example): a node that
// produces lines at a configured rate from a generator and writes them to the one connected
// receiver, in segments every `segment_interval`. A socket source is unreliable: lines produced
// while no receiver is connected are gone, and nothing is ever re-sent. In the run's ledger a
// line's id is (partition 0, its line number from 0).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ledger/source_ledger.h"
#include "protocols/line_socket.h"
#include "records/generators.h"
#include "simulator/world.h"

namespace streamsim::externals {

struct SocketServerConfig {
  std::string name;  // the source's name in the scenario
  std::string host = "localhost";
  int port = 0;
  double rate_per_second = 100;
  records::GeneratorConfig generator;
  sim::Duration segment_interval = sim::Duration::Millis(10);
};

class SocketServer : public protocols::LineSocket {
 public:
  SocketServer(sim::World* world, SocketServerConfig config);

  // Where the server writes the lines it produced (ledger/source_ledger.h).
  void AttachLedger(ledger::Ledger* ledger, int32_t source_index) {
    ledger_ = ledger::SourceLedger(ledger, source_index);
    ledger_.DrawsFrom(generator_);
  }
  // protocols::LineSocket: every segment of lines is sent to the client's node and handed to
  // `deliver` there.
  void Connect(sim::NodeId receiver_node, protocols::HandRecords deliver) override;
  void Disconnect() override;

  // Fault injection for the checker's tests, which the engine and the ledger know nothing about:
  // `tamper` sees each segment (its lines and their ids) before it leaves and may drop or repeat
  // entries, as a network that loses or duplicates data without TCP noticing would.
  using Tamper = std::function<void(records::Values* lines, ledger::RecordIds* ids)>;
  void SetTamper(Tamper tamper) { tamper_ = std::move(tamper); }

  sim::NodeId node() const { return node_; }
  int64_t lines_produced() const { return produced_; }
  int64_t lines_sent() const { return sent_; }
  int64_t lines_unsent() const { return produced_ - sent_; }

 private:
  void Tick();

  sim::World* world_;
  SocketServerConfig config_;
  sim::NodeId node_;
  std::shared_ptr<const records::RecordGenerator> generator_;
  sim::NodeId receiver_node_;
  uint64_t receiver_incarnation_ = 0;  // a restarted receiver node is a new connection
  protocols::HandRecords deliver_;
  Tamper tamper_;
  ledger::SourceLedger ledger_;
  int64_t ticks_ = 0;
  int64_t produced_ = 0;
  int64_t sent_ = 0;
};

}  // namespace streamsim::externals
