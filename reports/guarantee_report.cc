// Text and JSON of the guarantee calculator's predictions (reports/guarantee_report.h).
#include "reports/guarantee_report.h"

#include <fmt/format.h>

#include "checker/verdict.h"

namespace streamsim::reports {

std::string FormatGuaranteeTable(const harness::GuaranteePredictions& predictions) {
  constexpr const char* kRow = "{:<15} {:<14} {}\n";
  std::string table =
      predictions.hypothetical
          ? "The scenario injects no fault; what each failure of Spark's table would give:\n"
          : "";
  table += fmt::format(kRow, "fault", "guarantee", "reason");
  for (const checker::Prediction& prediction : predictions.predictions) {
    table += fmt::format(kRow, prediction.fault, checker::GuaranteeName(prediction.guarantee),
                         prediction.reason);
  }
  return table;
}

nlohmann::json GuaranteesToJson(const harness::GuaranteePredictions& predictions) {
  nlohmann::json result = {{"scenario", predictions.scenario_name},
                           {"hypothetical", predictions.hypothetical},
                           {"predictions", nlohmann::json::array()}};
  for (const checker::Prediction& prediction : predictions.predictions) {
    result["predictions"].push_back(
        {{"fault", prediction.fault},
         {"guarantee", std::string(checker::GuaranteeName(prediction.guarantee))},
         {"reason", prediction.reason}});
  }
  return result;
}

}  // namespace streamsim::reports
