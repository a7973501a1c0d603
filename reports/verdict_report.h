// The end of `streamsim run`'s report: the checker's verdict and findings, the scenario's expected
// guarantee and whether it held, and (with --compare-faultless) where the faults-off twin's sinks
// differ. As text after the batch table, or as fields of the --json object.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "checker/faultless_comparison.h"
#include "harness/run_check.h"

namespace streamsim::reports {

using Differences = std::optional<std::vector<checker::SinkDifference>>;

// The verdict as text: "\nverdict: NAME", a line per finding, the expectation and the twin's
// differences when there are any. A run that was not checked says "\nverdict: not checked
// (--no-check)" and, with an expectation, "expected: NAME (not evaluated)".
std::string FormatVerdict(const harness::RunCheck& check, const Differences& differences);
// Adds "checked", "verdict", "findings", "predicted_guarantee", "rethrown_error",
// "expected_guarantee" and "expectation_met" (with an expectation), and "faultless_differences"
// (with a twin). A run that was not checked has "checked": false and null "verdict", "findings"
// and "expectation_met": nothing was evaluated, which an empty list of findings would hide.
void AddVerdictToJson(const harness::RunCheck& check, const Differences& differences,
                      nlohmann::json* result);

}  // namespace streamsim::reports
