// A TCP server that writes lines of text, as ssc.socketTextStream's receiver sees it (the
// chapter's `nc -lk 7777`): the receiver connects from its node and is handed lines until it
// disconnects. Nothing is ever sent again: lines written while no client is connected are gone.
// The simulated server is externals/socket_server.h; the engine's side is
// engine/connectors/socket_source.h.
#pragma once

#include "protocols/delivery.h"
#include "simulator/world.h"

namespace streamsim::protocols {

class LineSocket {
 public:
  virtual ~LineSocket() = default;

  // A client on `receiver_node` connects: every line the server writes from now on is handed to
  // `deliver` on that node, with its ledger id. One client at a time; a client whose node went
  // down is dropped.
  virtual void Connect(sim::NodeId receiver_node, HandRecords deliver) = 0;
  // The client closes the connection: nothing more is handed to it.
  virtual void Disconnect() = 0;
};

}  // namespace streamsim::protocols
