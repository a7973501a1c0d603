// Checking a finished run: the facts the checker needs, gathered from the scenario and the
// simulation (the engine's ledger, the run's sink file, the faults), the checker's verdict, and
// how it compares with what the scenario expects (`expect:`) and with what the guarantee
// calculator predicts from the configuration alone.
#pragma once

#include <optional>
#include <string>

#include "checker/check.h"
#include "checker/guarantee_calculator.h"
#include "harness/simulation.h"
#include "scenarios/scenario.h"

namespace streamsim::harness {

struct RunCheck {
  checker::CheckReport report;  // the verdict and findings; a contradiction finding is added
  // The calculator's guarantee for the run's fault kinds together ("no fault" when it has none).
  checker::Prediction prediction;
  std::optional<checker::Guarantee> expected;  // from `expect: {guarantee: ...}`
  // False when the scenario expects a guarantee the verdict does not satisfy (exit code 1).
  bool expectation_met = true;
  // The earliest batch whose job failed, of any driver life: the error Spark's
  // ssc.awaitTermination() would have rethrown to the application.
  std::optional<ledger::BatchOutcome> first_failed_batch;
};

// The earliest batch time some driver life finished with a failed job, if any.
std::optional<ledger::BatchOutcome> FirstFailedBatch(const ledger::Ledger& ledger);

// REQUIRES: `simulation` was built from `scenario` and has run.
checker::RunFacts RunFactsOf(const scenarios::Scenario& scenario, Simulation& simulation);
RunCheck CheckRunOf(const scenarios::Scenario& scenario, Simulation& simulation);

}  // namespace streamsim::harness
