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

#include "faults/fault.h"
#include "simulator/world.h"

namespace streamsim::faults {

// The application's processes as faults reach them: only the deployment running the application
// knows how to crash its driver (and whether a cluster manager restarts it), a worker machine, or
// one receiver task. The harness implements this over the engine, so that faults/ never sees it.
class ApplicationProcesses {
 public:
  virtual ~ApplicationProcesses() = default;
  // The driver crashes; with supervise it restarts after `restart_after`, else it stays down.
  virtual void CrashDriver(std::optional<sim::Duration> restart_after) = 0;
  // Worker machine `index` (and its executor) crashes; it comes back after `restart_after`.
  virtual void CrashWorker(int index, std::optional<sim::Duration> restart_after) = 0;
  // The receiver task of source `source_name` dies.
  virtual void CrashReceiver(const std::string& source_name) = 0;
};

// The node a fault names: "driver", "worker/N" (and "executor/N", the same machine), or any other
// node by its world name ("kafka/events"). Invalid when there is none.
sim::NodeId ResolveNode(const sim::World& world, const std::string& name);

// The first node name in `fault` that names no node of the world, if any.
std::optional<std::string> UnknownNode(const sim::World& world, const Fault& fault);

// Schedules every fault on the world's clock and records each in the trace ("fault-schedule")
// at once, so that the schedule is part of the fingerprint whether it was written out or drawn.
// Each fault is traced again when it hits. REQUIRES: no UnknownNode.
void ScheduleFaults(sim::World& world, ApplicationProcesses& application,
                    const std::vector<Fault>& faults);

}  // namespace streamsim::faults
