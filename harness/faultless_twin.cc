// The faults-off twin (harness/faultless_twin.h).
#include "harness/faultless_twin.h"

#include "harness/run_check.h"
#include "harness/stored_outputs.h"

namespace streamsim::harness {

scenarios::Scenario WithoutFaults(const scenarios::Scenario& scenario) {
  scenarios::Scenario twin = scenario;
  twin.faults.clear();
  twin.random_faults.reset();
  return twin;
}

Result<std::vector<checker::SinkDifference>> CompareWithFaultlessTwin(
    const scenarios::Scenario& scenario, const RunOptions& options, Simulation& simulation,
    const std::string& twin_sink_database_path) {
  const scenarios::Scenario twin_scenario = WithoutFaults(scenario);
  RunOptions twin_options = options;
  twin_options.seed = simulation.seed();  // the run's seed, given or from the scenario
  twin_options.sink_database_path = twin_sink_database_path;
  engine::OutputListener silent;
  auto built = Simulation::Build(twin_scenario, twin_options, &silent);
  if (!built.ok()) {
    return Status::Error("the faults-off twin cannot be built: " + built.error().ToString());
  }
  std::unique_ptr<Simulation> twin = std::move(built.value());
  Status status = twin->Run();
  if (!status.ok()) return Status::Error("the faults-off twin cannot run: " + status.message());
  checker::RunFacts with_faults = RunFactsOf(scenario, simulation);
  with_faults.stored_outputs = StoredOutputsOf(scenario, simulation.world().storage());
  checker::RunFacts without_faults = RunFactsOf(twin_scenario, *twin);
  without_faults.stored_outputs = StoredOutputsOf(twin_scenario, twin->world().storage());
  return checker::CompareWithFaultless(with_faults, without_faults);
}

}  // namespace streamsim::harness
