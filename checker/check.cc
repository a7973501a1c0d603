// CheckRun: the checks of checker/check.h in order, their findings sorted, and the verdict.
#include "checker/check.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <tuple>

#include "checker/check_run.h"

namespace streamsim::checker {
namespace {

// The checks in the order their findings are reported.
const std::initializer_list<std::string_view> kCheckOrder = {"batch-ledger", "acknowledged-once",
                                                             "sink-vs-oracle", "state", "liveness"};

int Rank(std::string_view word, std::initializer_list<std::string_view> order) {
  int rank = 0;
  for (std::string_view candidate : order) {
    if (candidate == word) return rank;
    ++rank;
  }
  return rank;  // unknown words last
}

auto SortKey(const Finding& finding) {
  return std::make_tuple(Rank(finding.check, kCheckOrder), finding.subject,
                         Rank(finding.problem, {"loss", "duplication", "divergence", "liveness"}),
                         finding.batch_time.value_or(sim::Instant{-1}), finding.subject_kind,
                         finding.message);
}

// A finding every check writes has a known check and problem, and its count is not negative: a
// check that breaks this is a bug, and the verdict (which reads the problem) would be wrong.
void AssertWellFormed(const Finding& finding) {
  const bool known_check = Rank(finding.check, kCheckOrder) < static_cast<int>(kCheckOrder.size());
  const bool known_problem =
      Rank(finding.problem, {"loss", "duplication", "divergence", "liveness"}) < 4;
  if (known_check && known_problem && finding.count >= 0) return;
  std::fprintf(stderr, "checker: malformed finding: %s\n", FormatFinding(finding).c_str());
  std::abort();
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
  for (auto check : {check::CheckBatchLedger, check::CheckAcknowledgedOnce, check::CheckOutputs,
                     check::CheckLiveness}) {
    std::vector<Finding> findings = check(run);
    report.findings.insert(report.findings.end(), std::make_move_iterator(findings.begin()),
                           std::make_move_iterator(findings.end()));
  }
  for (const Finding& finding : report.findings) AssertWellFormed(finding);
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) { return SortKey(a) < SortKey(b); });
  report.verdict = VerdictOf(report.findings);
  return report;
}

}  // namespace streamsim::checker
