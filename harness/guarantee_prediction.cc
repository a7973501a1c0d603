// The guarantee calculator over a scenario file (harness/guarantee_prediction.h).
#include "harness/guarantee_prediction.h"

#include "harness/guarantee_configuration.h"
#include "scenarios/fault_targets.h"
#include "scenarios/loader.h"

namespace streamsim::harness {

namespace {

// The failures Spark's fault-tolerance table covers, for this configuration.
std::vector<faults::FaultKind> SparkTableKinds(const scenarios::Scenario& scenario) {
  std::vector<faults::FaultKind> kinds = {faults::FaultKind::kWorkerCrash,
                                          faults::FaultKind::kDriverCrash};
  if (!scenarios::ReceiverNames(scenario).empty()) {
    kinds.push_back(faults::FaultKind::kReceiverCrash);
  }
  if (!scenarios::RandomDownTargets(scenario).empty()) {
    kinds.push_back(faults::FaultKind::kExternalDown);
  }
  return kinds;
}

}  // namespace

Result<GuaranteePredictions> PredictScenarioGuarantees(const std::string& file) {
  const scenarios::LoadResult<scenarios::Scenario> loaded = scenarios::LoadScenarioFile(file);
  if (!loaded.ok()) return Status::Error(loaded.error().ToString());
  const scenarios::Scenario& scenario = loaded.value();
  std::vector<faults::FaultKind> kinds = FaultKindsOf(scenario);
  const bool hypothetical = kinds.empty();
  if (hypothetical) kinds = SparkTableKinds(scenario);
  const checker::GuaranteeConfiguration configuration = GuaranteeConfigurationOf(scenario);
  std::vector<checker::Prediction> predictions = checker::PredictGuarantees(configuration, kinds);
  // Faults that harm only together get a line of their own, after the kinds alone.
  if (auto together = checker::PredictInteraction(configuration, kinds)) {
    predictions.push_back(*together);
  }
  return GuaranteePredictions{scenario.name, std::move(predictions), hypothetical};
}

}  // namespace streamsim::harness
