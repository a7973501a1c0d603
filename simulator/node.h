// Node identity. A node is a simulated machine or external system (driver, worker, socket server,
// broker, durable store). Its id is a small integer in creation order; its incarnation counts
// restarts, so that timers and messages belonging to an earlier life can be recognised and dropped.
#pragma once

#include <compare>
#include <cstdint>

namespace streamsim::sim {

struct NodeId {
  int32_t value = -1;
  bool valid() const { return value >= 0; }
  friend auto operator<=>(NodeId, NodeId) = default;
};

}  // namespace streamsim::sim
