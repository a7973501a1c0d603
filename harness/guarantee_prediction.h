// `streamsim guarantees`: what the guarantee calculator (checker/guarantee_calculator.h) predicts
// from a scenario file's configuration alone, per kind of fault it injects. Nothing runs.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "checker/guarantee_calculator.h"

namespace streamsim::harness {

struct GuaranteePredictions {
  std::string scenario_name;
  std::vector<checker::Prediction> predictions;  // "no fault" first, then each kind injected
  // The scenario injects no fault: the predictions are Spark's table for its configuration —
  // worker failure, driver failure, receiver failure (with receivers) and each kind of configured
  // outside system down — rather than a lone "no fault".
  bool hypothetical = false;
};

// Errors: the scenario does not load ("file:line:col: message").
Result<GuaranteePredictions> PredictScenarioGuarantees(const std::string& file);

}  // namespace streamsim::harness
