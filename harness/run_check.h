// Checking a finished run: the facts the checker needs, gathered from the scenario and the
// simulation (the engine's ledger, the run's sink file, the faults), the checker's verdict, and
// how it compares with what the scenario expects (`expect:`) and with what the guarantee
// calculator predicts from the configuration alone.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "checker/check.h"
#include "checker/guarantee_calculator.h"
#include "checker/running_check.h"
#include "harness/simulation.h"
#include "scenarios/scenario.h"

namespace streamsim::harness {

struct RunCheck {
  // The verdict and findings, with a contradiction finding added; null when the run was not
  // checked (RunRequest::check false): no verdict is claimed for it.
  std::optional<checker::CheckReport> report;
  // The calculator's guarantee for the run's fault kinds together ("no fault" when it has none).
  checker::Prediction prediction;
  std::optional<checker::Guarantee> expected;  // from `expect: {guarantee: ...}`
  // False when the scenario expects a guarantee the verdict does not satisfy (exit code 1); true
  // when it expects none, and when the run was not checked (the expectation was not evaluated).
  bool expectation_met = true;
  // The earliest batch whose job failed, of any driver life: the error Spark's
  // ssc.awaitTermination() would have rethrown to the application.
  std::optional<ledger::BatchOutcome> first_failed_batch;
};

// The earliest batch time some driver life finished with a failed job, if any.
std::optional<ledger::BatchOutcome> FirstFailedBatch(const ledger::Ledger& ledger);

// REQUIRES: `simulation` was built from `scenario` and has run.
checker::RunFacts RunFactsOf(const scenarios::Scenario& scenario, Simulation& simulation);
// Brings the parts of `facts` that grow as the run goes up to date: the end time and stop, the
// receivers, topics and watched files (the check as the run goes, checker/running_check.h).
void RefreshRunFacts(Simulation& simulation, checker::RunFacts* facts);
// Runs `simulation` (built from `scenario`) with the check as the run goes
// (checker/running_check.h), which `*running` holds once the run started; CheckRunOf then carries
// on from (*running)->settled().
Status RunCheckingAsItGoes(const scenarios::Scenario& scenario, Simulation& simulation,
                           std::unique_ptr<checker::RunningCheck>* running);
// The whole check: the checker's report, the prediction and the expectation. `settled`: what was
// checked while the run went (checker/running_check.h), if anything.
RunCheck CheckRunOf(const scenarios::Scenario& scenario, Simulation& simulation,
                    const checker::SettledPart* settled = nullptr);
// What needs no checker (a run without the check): the prediction from the configuration, the
// first failed batch and the expected guarantee, not evaluated; `report` is null.
RunCheck UncheckedRunOf(const scenarios::Scenario& scenario, Simulation& simulation);

}  // namespace streamsim::harness
