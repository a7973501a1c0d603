// The guarantee calculator's predictions for a scenario (harness/guarantee_prediction.h) as
// `streamsim guarantees` prints them: a table, one line per fault kind, or one JSON object.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "harness/guarantee_prediction.h"

namespace streamsim::reports {

// "fault  guarantee  reason" and one row per prediction.
std::string FormatGuaranteeTable(const harness::GuaranteePredictions& predictions);
// {scenario, predictions: [{fault, guarantee, reason}]}.
nlohmann::json GuaranteesToJson(const harness::GuaranteePredictions& predictions);

}  // namespace streamsim::reports
