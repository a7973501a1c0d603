// Fault schedules: concrete faults at simulated times, injected into the running world. Faults act
// from outside the engine (STYLE.md practice 4): a driver crash is the world crashing the driver's
// node, followed — when the application is supervised — by the cluster manager restarting it; a
// network fault is a decorator around the world's network; a storage fault a decorator around
// its durable store; an external system down is its node crashed and restarted. docs/faults.md
// says what each kind does to the world and what Spark does about it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/streaming_context.h"
#include "faults/fault.h"
#include "simulator/world.h"

namespace streamsim::faults {

// The node a fault names: "driver", "worker/N" (and "executor/N", the same machine), or any other
// node by its world name ("kafka/events"). Invalid when there is none.
sim::NodeId ResolveNode(const sim::World& world, const std::string& name);

// The first node name in `fault` that names no node of the world, if any.
std::optional<std::string> UnknownNode(const sim::World& world, const Fault& fault);

// Schedules every fault on the world's clock and records each in the trace ("fault-schedule")
// at once, so that the schedule is part of the fingerprint whether it was written out or drawn.
// Each fault is traced again when it hits. REQUIRES: no UnknownNode.
void ScheduleFaults(sim::World& world, engine::StreamingContext& context,
                    const std::vector<Fault>& faults);

}  // namespace streamsim::faults
