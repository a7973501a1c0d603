// The verdict part of `streamsim run`'s report (reports/verdict_report.h).
#include "reports/verdict_report.h"

#include <fmt/format.h>

#include "checker/finding.h"
#include "checker/verdict.h"

namespace streamsim::reports {
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

// Spark Streaming reports a failed job to the application: ssc.awaitTermination() rethrows its
// error, and an application that does not catch it ends there. The simulation runs on; the
// report says where Spark would have stopped.
std::string RethrownError(const harness::RunCheck& check) {
  if (!check.first_failed_batch) return "";
  return fmt::format(
      "a job failed at batch {}: in Spark, ssc.awaitTermination() would rethrow its error to the "
      "application: {}\n",
      checker::check::FormatMillis(check.first_failed_batch->batch_time),
      check.first_failed_batch->failure);
}

// Where the verdict would be, for a run without the check (`streamsim run --no-check`).
std::string NotCheckedText(const harness::RunCheck& check) {
  std::string text = "\nverdict: not checked (--no-check)\n";
  if (check.expected) {
    text += "expected: " + std::string(checker::GuaranteeName(*check.expected)) +
            " (not evaluated: the run was not checked)\n";
  }
  return text;
}

// "verdict", "findings" and "expectation_met": null for a run that was not checked.
void AddReportToJson(const harness::RunCheck& check, nlohmann::json* result) {
  (*result)["checked"] = check.report.has_value();
  if (!check.report) {
    (*result)["verdict"] = nullptr;
    (*result)["findings"] = nullptr;
    if (check.expected) (*result)["expectation_met"] = nullptr;
    return;
  }
  const nlohmann::json report = checker::CheckReportToJson(*check.report);
  (*result)["verdict"] = report["verdict"];
  (*result)["findings"] = report["findings"];
  if (check.expected) (*result)["expectation_met"] = check.expectation_met;
}

}  // namespace

std::string FormatVerdict(const harness::RunCheck& check, const Differences& differences) {
  std::string text = RethrownError(check);
  if (!check.report) return text + NotCheckedText(check);
  text += "\nverdict: " + std::string(checker::VerdictName(check.report->verdict)) + "\n";
  for (const checker::Finding& finding : check.report->findings) {
    text += "  " + checker::FormatFinding(finding) + "\n";
  }
  if (check.expected) {
    text += "expected: " + std::string(checker::GuaranteeName(*check.expected)) +
            (check.expectation_met ? " (met)" : " (NOT met)") + "\n";
  }
  if (!differences) return text;
  text += "faults-off twin: " + std::to_string(differences->size()) +
          (differences->size() == 1 ? " difference" : " differences") + "\n";
  for (const checker::SinkDifference& difference : *differences) {
    text += "  " + checker::FormatDifference(difference) + "\n";
  }
  return text;
}

void AddVerdictToJson(const harness::RunCheck& check, const Differences& differences,
                      nlohmann::json* result) {
  AddReportToJson(check, result);
  (*result)["predicted_guarantee"] =
      std::string(checker::GuaranteeName(check.prediction.guarantee));
  if (check.first_failed_batch) {
    (*result)["rethrown_error"] = {{"batch_time_ms", check.first_failed_batch->batch_time.millis()},
                                   {"driver_life", check.first_failed_batch->driver_life},
                                   {"message", check.first_failed_batch->failure}};
  } else {
    (*result)["rethrown_error"] = nullptr;
  }
  if (check.expected) {
    (*result)["expected_guarantee"] = std::string(checker::GuaranteeName(*check.expected));
  }
  if (!differences) return;
  nlohmann::json list = nlohmann::json::array();
  for (const checker::SinkDifference& difference : *differences) {
    list.push_back(DifferenceToJson(difference));
  }
  (*result)["faultless_differences"] = list;
}

}  // namespace streamsim::reports
