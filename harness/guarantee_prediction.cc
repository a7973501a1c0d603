// The guarantee calculator over a scenario file (harness/guarantee_prediction.h).
#include "harness/guarantee_prediction.h"

#include "harness/guarantee_configuration.h"
#include "scenarios/loader.h"

namespace streamsim::harness {

Result<GuaranteePredictions> PredictScenarioGuarantees(const std::string& file) {
  scenarios::Scenario scenario;
  scenarios::LoadError error;
  if (!scenarios::LoadScenarioFile(file, &scenario, &error)) return Status::Error(error.ToString());
  return GuaranteePredictions{
      scenario.name,
      checker::PredictGuarantees(GuaranteeConfigurationOf(scenario), FaultKindsOf(scenario))};
}

}  // namespace streamsim::harness
