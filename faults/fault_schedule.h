// Fault schedules: concrete faults at simulated times, injected into the running world. Faults act
// from outside the engine (STYLE.md practice 4): a driver crash is the world crashing the driver's
// node, followed — when the application is supervised — by the cluster manager restarting it.
// This first version knows the driver crash; the fault-injection issue adds the other kinds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/streaming_context.h"
#include "simulator/world.h"

namespace streamsim::faults {

struct Fault {
  enum class Kind { kCrashDriver };
  Kind kind = Kind::kCrashDriver;
  sim::Duration at;                            // from the start of the run
  std::optional<sim::Duration> restart_after;  // supervised restart delay (default: 1 s)
};

// A fault as a scenario would spell it: "crash driver at 45s, restart after 5s".
std::string Describe(const Fault& fault);

// Schedules every fault on the world's clock. Each fault is traced when it hits.
void ScheduleFaults(sim::World& world, engine::StreamingContext& context,
                    const std::vector<Fault>& faults);

}  // namespace streamsim::faults
