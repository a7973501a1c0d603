// Check 0, batch-ledger (checker/check.h): every batch a life ran on a receiver input holds the
// records the driver made durable for that batch time — no more, no fewer. RunView does the
// comparison while it reads the batch ledger; this turns its mismatches into findings.
#include <map>
#include <string>
#include <vector>

#include "checker/check_run.h"
#include "checker/finding.h"

namespace streamsim::checker::check {
namespace {

// The first mismatch of an input, for the message.
std::string Describe(const BatchLedgerMismatch& first) {
  const std::string at = "first at batch " + std::to_string(first.batch_time.millis()) +
                         " ms, driver life " + std::to_string(first.driver_life) + ": ran on ";
  const auto ran = static_cast<int64_t>(first.ran_only.size());
  if (first.where.empty()) return at + CountOf(ran, "record") + " with no durable allocation";
  return at + CountOf(ran, "record") + " outside the durable allocation in " + first.where +
         " and missed " + CountOf(static_cast<int64_t>(first.durable_only.size()), "record") +
         " of it";
}

}  // namespace

std::vector<Finding> CheckBatchLedger(const RunView& run) {
  std::map<std::string, Tally> differing;
  std::map<std::string, const BatchLedgerMismatch*> first;
  for (const BatchLedgerMismatch& mismatch : run.batch_ledger_mismatches()) {
    std::vector<std::string> examples;
    for (const auto* ids : {&mismatch.ran_only, &mismatch.durable_only}) {
      for (const ledger::RecordId& id : *ids) examples.push_back(run.RecordName(id));
    }
    differing[mismatch.input].Add(
        mismatch.batch_time,
        static_cast<int64_t>(mismatch.ran_only.size() + mismatch.durable_only.size()), examples);
    const BatchLedgerMismatch*& kept = first[mismatch.input];
    if (kept == nullptr || mismatch.batch_time < kept->batch_time) kept = &mismatch;
  }
  std::vector<Finding> findings;
  for (const auto& [input, tally] : differing) {
    Finding finding = NewFinding(run, "batch-ledger", "divergence", "input", input, tally);
    finding.message = "batches ran on other records than the driver made durable for them: " +
                      CountOf(tally.count, "record") + " apart (" + Describe(*first.at(input)) +
                      ")";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace streamsim::checker::check
