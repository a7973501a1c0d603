// The guarantee calculator over a scenario file (harness/guarantee_prediction.h).
#include "harness/guarantee_prediction.h"

#include "harness/guarantee_configuration.h"
#include "scenarios/loader.h"

namespace streamsim::harness {

Result<GuaranteePredictions> PredictScenarioGuarantees(const std::string& file) {
  const scenarios::LoadResult<scenarios::Scenario> loaded = scenarios::LoadScenarioFile(file);
  if (!loaded.ok()) return Status::Error(loaded.error().ToString());
  const scenarios::Scenario& scenario = loaded.value();
  return GuaranteePredictions{
      scenario.name,
      checker::PredictGuarantees(GuaranteeConfigurationOf(scenario), FaultKindsOf(scenario))};
}

}  // namespace streamsim::harness
