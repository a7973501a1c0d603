// ssc.socketTextStream: the receiver side of a socket source. It connects to a line socket
// (protocols/line_socket.h) from the receiver's node and is handed lines, which go record by
// record into the block generator: an unreliable source (what the receiver buffered, or what was
// sent while no receiver was connected, is lost).
#pragma once

#include "engine/receivers/receiver.h"
#include "protocols/line_socket.h"

namespace streamsim::engine {

class SocketSource : public ReceiverSource {
 public:
  // REQUIRES: `socket` outlives the source.
  explicit SocketSource(protocols::LineSocket* socket) : socket_(socket) {}

  void Connect(sim::NodeId receiver_node, Deliver deliver) override {
    socket_->Connect(receiver_node, std::move(deliver));
  }
  void Disconnect() override { socket_->Disconnect(); }

 private:
  protocols::LineSocket* socket_;
};

}  // namespace streamsim::engine
