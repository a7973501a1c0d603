// The builder: turns a validated Scenario into a running simulation — a world seeded from the
// scenario (or the command line), a cluster, sources, the DStream graph and its outputs. Errors
// that only show when the pieces meet (an unknown cost name) come back as file:line:col errors.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "engine/output.h"
#include "engine/streaming_context.h"
#include "faults/fault_schedule.h"
#include "scenarios/loader.h"
#include "scenarios/scenario.h"
#include "simulator/world.h"

namespace streamsim::scenarios {

// Command-line overrides of the scenario.
struct RunOptions {
  std::optional<uint64_t> seed;
  std::optional<int64_t> batches;          // --batches N
  std::optional<sim::Duration> stop_after;  // --stop DURATION
};

class Simulation {
 public:
  // Builds the world and the engine for `scenario`. On failure returns nullptr and fills `error`.
  static std::unique_ptr<Simulation> Build(const Scenario& scenario, const RunOptions& options,
                                           engine::OutputListener* listener, LoadError* error);

  // Starts the context and runs until the stop condition. Fails when the context cannot start.
  Status Run();

  sim::World& world() { return *world_; }
  engine::StreamingContext& context() { return *context_; }
  uint64_t seed() const { return seed_; }
  // The faults of the run as the scenario names them: its list, or its expanded random schedule.
  const std::vector<faults::Fault>& faults() const { return faults_; }

 private:
  Simulation() = default;
  uint64_t seed_ = 0;
  std::unique_ptr<sim::World> world_;
  std::unique_ptr<engine::StreamingContext> context_;
  std::vector<faults::Fault> faults_;
  std::vector<faults::Fault> world_faults_;  // the same, naming the world's nodes
};

}  // namespace streamsim::scenarios
