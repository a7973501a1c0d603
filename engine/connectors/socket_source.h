// ssc.socketTextStream: the receiver side of a socket source. It connects to a text server (the
// simulated one is externals/socket_server.h) from the receiver's node and is handed lines, which
// go record by record into the block generator: an unreliable source (what the receiver buffered,
// or what was sent while no receiver was connected, is lost).
#pragma once

#include "engine/receivers/receiver.h"
#include "externals/socket_server.h"

namespace streamsim::engine {

class SocketSource : public ReceiverSource {
 public:
  // REQUIRES: `server` outlives the source.
  explicit SocketSource(externals::SocketServer* server) : server_(server) {}

  // The server produces the lines: it writes them to the ledger.
  void AttachLedger(Ledger* ledger, int32_t source_index) override {
    ReceiverSource::AttachLedger(ledger, source_index);
    server_->AttachLedger(ledger, source_index);
  }
  void Connect(sim::NodeId receiver_node, Deliver deliver) override {
    server_->Connect(receiver_node, std::move(deliver));
  }
  void Disconnect() override { server_->Disconnect(); }

 private:
  externals::SocketServer* server_;
};

}  // namespace streamsim::engine
