// The verdict part of `streamsim run`'s report (cli/verdict_output.h).
#include "cli/verdict_output.h"

#include <iostream>

#include "checker/verdict.h"

namespace streamsim::cli {
namespace {

nlohmann::json DifferenceToJson(const checker::SinkDifference& difference) {
  nlohmann::json with_faults = nlohmann::json::array();
  for (const records::Value& record : difference.only_with_faults) {
    with_faults.push_back(record.ToJson());
  }
  nlohmann::json without_faults = nlohmann::json::array();
  for (const records::Value& record : difference.only_without_faults) {
    without_faults.push_back(record.ToJson());
  }
  return {{"output", difference.output},
          {"batch_time_ms", difference.batch_time_ms},
          {"only_with_faults", with_faults},
          {"only_without_faults", without_faults}};
}

}  // namespace

void PrintVerdict(const scenarios::RunCheck& check, const Differences& differences) {
  std::cout << "\nverdict: " << checker::VerdictName(check.report.verdict) << "\n";
  for (const checker::Finding& finding : check.report.findings) {
    std::cout << "  " << checker::FormatFinding(finding) << "\n";
  }
  if (check.expected) {
    std::cout << "expected: " << checker::GuaranteeName(*check.expected)
              << (check.expectation_met ? " (met)" : " (NOT met)") << "\n";
  }
  if (!differences) return;
  std::cout << "faults-off twin: " << differences->size()
            << (differences->size() == 1 ? " difference" : " differences") << "\n";
  for (const checker::SinkDifference& difference : *differences) {
    std::cout << "  " << checker::FormatDifference(difference) << "\n";
  }
}

void AddVerdictToJson(const scenarios::RunCheck& check, const Differences& differences,
                      nlohmann::json* result) {
  const nlohmann::json report = checker::CheckReportToJson(check.report);
  (*result)["verdict"] = report["verdict"];
  (*result)["findings"] = report["findings"];
  (*result)["predicted_guarantee"] = std::string(checker::GuaranteeName(check.prediction.guarantee));
  if (check.expected) {
    (*result)["expected_guarantee"] = std::string(checker::GuaranteeName(*check.expected));
    (*result)["expectation_met"] = check.expectation_met;
  }
  if (!differences) return;
  nlohmann::json list = nlohmann::json::array();
  for (const checker::SinkDifference& difference : *differences) {
    list.push_back(DifferenceToJson(difference));
  }
  (*result)["faultless_differences"] = list;
}

}  // namespace streamsim::cli
