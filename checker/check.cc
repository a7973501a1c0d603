// CheckRun: the four checks of checker/check.h in order, their findings sorted, and the verdict.
#include "checker/check.h"

#include <algorithm>
#include <string_view>
#include <tuple>

#include "checker/check_run.h"

namespace streamsim::checker {
namespace {

int Rank(std::string_view word, std::initializer_list<std::string_view> order) {
  int rank = 0;
  for (std::string_view candidate : order) {
    if (candidate == word) return rank;
    ++rank;
  }
  return rank;  // unknown words last
}

auto SortKey(const Finding& finding) {
  return std::make_tuple(
      Rank(finding.check, {"acknowledged-once", "sink-vs-oracle", "state", "liveness"}),
      finding.subject, Rank(finding.problem, {"loss", "duplication", "divergence", "liveness"}),
      finding.batch_time.value_or(sim::Instant{-1}), finding.subject_kind, finding.message);
}

}  // namespace

Verdict VerdictOf(const std::vector<Finding>& findings) {
  auto any = [&findings](std::string_view problem) {
    return std::any_of(findings.begin(), findings.end(),
                       [problem](const Finding& finding) { return finding.problem == problem; });
  };
  if (any("divergence")) return Verdict::kStateDivergence;
  if (any("loss") && any("duplication")) return Verdict::kLossAndDuplication;
  if (any("loss")) return Verdict::kAtMostOnce;
  if (any("duplication")) return Verdict::kAtLeastOnce;
  if (any("liveness")) return Verdict::kLivenessFailure;
  return Verdict::kExactlyOnce;
}

CheckReport CheckRun(const RunFacts& facts) {
  const check::RunView run(facts);
  CheckReport report;
  for (auto check : {check::CheckAcknowledgedOnce, check::CheckOutputs, check::CheckLiveness}) {
    std::vector<Finding> findings = check(run);
    report.findings.insert(report.findings.end(), std::make_move_iterator(findings.begin()),
                           std::make_move_iterator(findings.end()));
  }
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) { return SortKey(a) < SortKey(b); });
  report.verdict = VerdictOf(report.findings);
  return report;
}

}  // namespace streamsim::checker
