// Fault schedules: concrete faults at simulated times, injected into the running world. Faults act
// from outside the engine (STYLE.md practice 4): a driver crash is the world crashing the driver's
// node, followed — when the application is supervised — by the cluster manager restarting it.
// Kinds so far: crash of the driver (supervised restart after restart_after, default 1 s), of a
// worker machine (back after restart_after, if given), of an executor process (its worker starts
// a new one after restart_after, default 1 s), and of a receiver task (Spark relaunches it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/streaming_context.h"
#include "simulator/world.h"

namespace streamsim::faults {

struct Fault {
  enum class Kind { kCrashDriver, kCrashWorker, kCrashExecutor, kCrashReceiver };
  Kind kind = Kind::kCrashDriver;
  sim::Duration at;                            // from the start of the run
  std::optional<sim::Duration> restart_after;  // when the crashed part comes back
  int worker = -1;                             // kCrashWorker, kCrashExecutor
  std::string receiver;                        // kCrashReceiver: the source's name
};

// Parses a scenario's crash target ("driver", "worker/1", "executor/0", "receiver/lines").
// REQUIRES: a target the loader accepted.
Fault CrashFault(const std::string& target, sim::Duration at,
                 std::optional<sim::Duration> restart_after);

// A fault as a scenario would spell it: "crash driver at 45s, restart after 5s".
std::string Describe(const Fault& fault);

// Schedules every fault on the world's clock. Each fault is traced when it hits.
void ScheduleFaults(sim::World& world, engine::StreamingContext& context,
                    const std::vector<Fault>& faults);

}  // namespace streamsim::faults
