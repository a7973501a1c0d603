// The builder: turns a validated Scenario into a running simulation — a world seeded from the
// scenario (or the command line), a cluster, sources, the DStream graph and its outputs. Errors
// that only show when the pieces meet (an unknown cost name) come back as file:line:col errors.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "checker/durable_batch_ledger.h"
#include "engine/sinks/sqlite_sink.h"
#include "engine/streaming/output.h"
#include "engine/streaming/streaming_context.h"
#include "faults/fault_schedule.h"
#include "harness/source_factory.h"
#include "scenarios/loader.h"
#include "scenarios/scenario.h"
#include "simulator/world.h"

namespace streamsim::harness {

// Command-line overrides of the scenario.
struct RunOptions {
  std::optional<uint64_t> seed;
  std::optional<int64_t> batches;           // --batches N
  std::optional<sim::Duration> stop_after;  // --stop DURATION
  // Where a scenario with `sink:` outputs writes its sink database (engine/sinks/sqlite_sink.h). A
  // file already there is replaced: one file per run. Empty: the database is kept in memory and
  // ends with the Simulation (`streamsim validate`, tests that only look at the run).
  std::string sink_database_path;
  // Whether the run is checked: an unchecked run keeps no record ledger and reads no durable
  // metadata back (ledger::Ledger::KeepRecords), so its memory does not grow with its length.
  bool checked = true;
};

// Whether `scenario` has a `sink:` output, and so a sink database.
bool HasSinkOutputs(const scenarios::Scenario& scenario);

class Simulation {
 public:
  // Builds the world and the engine for `scenario`, or says what only shows when the pieces meet
  // (an unknown cost name, a fault naming a node the run lacks) at its file:line:col; a sink
  // database that cannot be created is reported at the first `sink:` output, with the database's
  // message naming the path.
  static scenarios::LoadResult<std::unique_ptr<Simulation>> Build(
      const scenarios::Scenario& scenario, const RunOptions& options,
      engine::OutputListener* listener);

  // Starts the context and runs until the stop condition. Fails when the context cannot start.
  // `tick(now)`, when given, is called between events each time simulated time has moved `every`
  // since its last call (the check as the run goes, checker/running_check.h); it must not act on
  // the simulated world.
  Status Run(sim::Duration every = {}, const std::function<void(sim::Instant)>& tick = {});

  sim::World& world() { return *world_; }
  engine::StreamingContext& context() { return *context_; }
  // The simulated outside systems the scenario's sources read (harness/source_factory.h).
  const SimulatedExternals& externals() const { return externals_; }
  uint64_t seed() const { return seed_; }
  // The faults of the run as the scenario names them: its list, or its expanded random schedule.
  const std::vector<faults::Fault>& faults() const { return faults_; }
  // The sink database file: options.sink_database_path when the scenario has a `sink:` output,
  // else empty (also when the database is in memory).
  const std::string& sink_database_path() const { return sink_database_path_; }
  // The sink database the outputs write, or null when the scenario has no `sink:` output. Still
  // open after Run, for reading back what the run wrote.
  engine::SinkDatabase* sink_database() { return sink_database_.get(); }
  // The batch ledger read from the driver's durable metadata as the run went, or null without a
  // checkpoint directory (checker/durable_batch_ledger.h).
  const checker::DurableBatchLedger* durable_batch_ledger() const {
    return durable_reader_ ? &durable_reader_->ledger() : nullptr;
  }
  // Its reader, for the check as the run goes to retire settled batches from; null without one.
  checker::DurableMetadataReader* durable_reader() { return durable_reader_.get(); }

 private:
  Simulation() = default;
  bool OpenSinkDatabase(const scenarios::Scenario& scenario, const RunOptions& options,
                        scenarios::LoadError* error);
  void ReadDurableMetadata(const std::string& checkpoint_dir);

  uint64_t seed_ = 0;
  std::string sink_database_path_;
  // Declared before the context, whose outputs point to it, so that it is destroyed after them.
  std::unique_ptr<engine::SinkDatabase> sink_database_;
  std::unique_ptr<sim::World> world_;
  // Before the context, which reads them, so that they outlive it.
  SimulatedExternals externals_;
  std::unique_ptr<engine::StreamingContext> context_;
  // After the context: it reads the context ledger's driver starts. The world's observer calls
  // it only while the run goes.
  std::unique_ptr<checker::DurableMetadataReader> durable_reader_;
  std::vector<faults::Fault> faults_;
  std::vector<faults::Fault> world_faults_;                  // the same, naming the world's nodes
  std::unique_ptr<faults::ApplicationProcesses> processes_;  // the context, as faults reach it
};

}  // namespace streamsim::harness
