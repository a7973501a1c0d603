// The nemesis: a random fault schedule drawn from the run's seed, in the spirit of Jepsen's
// nemeses and FoundationDB's simulated failures. Faults arrive as a Poisson process (exponential
// gaps with the configured mean) between `start` and the horizon; each picks a kind from the
// allowed list and a target uniformly, and draws its own restart delay or window length unless
// they are fixed. A target that is still down, paused or cut off from an earlier fault is not hit
// again until it is back (the draw is skipped), so the schedule never asks the impossible.
//
// Everything is drawn from one generator the caller passes (the world's "faults/random" stream),
// at millisecond granularity, so the expanded list written as YAML (faults::ToYaml) reads back to
// exactly the same faults and replays to the same run.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faults/fault.h"
#include "faults/fault_kind.h"
#include "simulator/random.h"
#include "simulator/time.h"

namespace streamsim::faults {

struct RandomFaults {
  std::vector<FaultKind> kinds;  // at least one; a draw picks among them in this order
  sim::Duration mean_interval = sim::Duration::Seconds(20);
  sim::Duration start;                         // no fault before this
  std::optional<sim::Duration> until;          // no fault at or after this (default: the horizon)
  std::optional<sim::Duration> restart_after;  // crashes; drawn in [1 s, 10 s] when absent
  std::optional<sim::Duration> length;         // windowed kinds; drawn in [1 s, 10 s] when absent
};

// What the faults can hit in this scenario.
struct FaultTargets {
  int workers = 0;
  std::vector<std::string> receivers;  // names of receiver-based sources
  std::vector<std::string> external;   // node names of external systems that can go down
};

// Draws the schedule up to `horizon` (the run's stop). Kinds with no possible target (a receiver
// crash without receivers) are never drawn.
std::vector<Fault> ExpandRandomFaults(const RandomFaults& spec, const FaultTargets& targets,
                                      sim::Duration horizon, sim::Prng& random);

}  // namespace streamsim::faults
