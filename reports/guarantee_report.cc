// Text and JSON of the guarantee calculator's predictions (reports/guarantee_report.h).
#include "reports/guarantee_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "checker/verdict.h"

namespace streamsim::reports {

std::string FormatGuaranteeTable(const harness::GuaranteePredictions& predictions) {
  // The fault column is 15 wide, or as wide as its longest name ("driver_crash and
  // refuse_writes").
  size_t width = 15;
  for (const checker::Prediction& prediction : predictions.predictions) {
    width = std::max(width, prediction.fault.size());
  }
  auto row = [width](std::string_view fault, std::string_view guarantee, std::string_view reason) {
    return fmt::format("{:<{}} {:<14} {}\n", fault, width, guarantee, reason);
  };
  std::string table =
      predictions.hypothetical
          ? "The scenario injects no fault; what each failure of Spark's table would give:\n"
          : "";
  table += row("fault", "guarantee", "reason");
  for (const checker::Prediction& prediction : predictions.predictions) {
    table += row(prediction.fault, checker::GuaranteeName(prediction.guarantee), prediction.reason);
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
