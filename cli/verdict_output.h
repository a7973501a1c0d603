// The end of `streamsim run`'s report: the checker's verdict and findings, the scenario's expected
// guarantee and whether it held, and (with --compare-faultless) where the faults-off twin's sinks
// differ. As text after the batch table, or as fields of the --json object.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/faultless_comparison.h"
#include "scenarios/run_check.h"

namespace streamsim::cli {

using Differences = std::optional<std::vector<checker::SinkDifference>>;

void PrintVerdict(const scenarios::RunCheck& check, const Differences& differences);
// Adds "verdict", "findings", "predicted_guarantee", "expected_guarantee" and
// "expectation_met" (with an expectation), and "faultless_differences" (with a twin).
void AddVerdictToJson(const scenarios::RunCheck& check, const Differences& differences,
                      nlohmann::json* result);

}  // namespace streamsim::cli
