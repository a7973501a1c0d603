// The faults-off twin's comparison (checker/faultless_comparison.h).
#include "checker/faultless_comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "checker/sink_contents.h"

namespace streamsim::checker {
namespace {

using BatchRecords = std::map<int64_t, records::Values>;  // batch ms -> records

bool IsSqliteSink(SinkKind kind) {
  return kind == SinkKind::kIdempotent || kind == SinkKind::kTransactional ||
         kind == SinkKind::kAppend;
}

BatchRecords CollectedRecords(const ledger::Ledger& ledger, const std::string& output) {
  BatchRecords records;
  for (const ledger::OutputEmission& emission : ledger.emissions()) {
    if (emission.output != output) continue;
    records::Values& batch = records[emission.batch_time.millis()];
    batch.insert(batch.end(), emission.records.begin(), emission.records.end());
  }
  return records;
}

Result<BatchRecords> SinkRecords(const RunFacts& facts, const OutputUnderCheck& output) {
  if (facts.sink_database.empty()) return BatchRecords{};
  Result<SinkContents> contents = SinkContents::Open(facts.sink_database);
  if (!contents.ok()) return contents.status();
  Result<bool> has_table = contents.value().HasTable(output.table);
  if (!has_table.ok()) return has_table.status();
  if (!has_table.value()) return BatchRecords{};  // nothing was ever written to it
  return contents.value().Rows(output.table, output.name);
}

Result<BatchRecords> RecordsOf(const RunFacts& facts, const OutputUnderCheck& output) {
  if (IsSqliteSink(output.sink)) return SinkRecords(facts, output);
  if (output.sink == SinkKind::kSaveAsTextFiles || output.sink == SinkKind::kFile) {
    const auto stored = facts.stored_outputs.find(output.name);
    return stored == facts.stored_outputs.end() ? BatchRecords{} : stored->second;
  }
  return CollectedRecords(*facts.ledger, output.name);
}

records::Values Minus(records::Values a, records::Values b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  records::Values difference;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(difference));
  return difference;
}

void AddDifferences(const std::string& output, const BatchRecords& with_faults,
                    const BatchRecords& without_faults, std::vector<SinkDifference>* differences) {
  std::set<int64_t> batches;
  for (const auto& [ms, records] : with_faults) batches.insert(ms);
  for (const auto& [ms, records] : without_faults) batches.insert(ms);
  for (int64_t ms : batches) {
    const auto faulty = with_faults.find(ms);
    const auto twin = without_faults.find(ms);
    const records::Values empty;
    const records::Values& a = faulty == with_faults.end() ? empty : faulty->second;
    const records::Values& b = twin == without_faults.end() ? empty : twin->second;
    SinkDifference difference{output, ms, Minus(a, b), Minus(b, a)};
    if (!difference.only_with_faults.empty() || !difference.only_without_faults.empty()) {
      differences->push_back(std::move(difference));
    }
  }
}

std::string FirstRecords(const records::Values& records) {
  constexpr size_t kShown = 3;
  std::string text;
  for (size_t i = 0; i < records.size() && i < kShown; ++i) {
    if (i > 0) text += ", ";
    text += records[i].ToDisplayString();
  }
  if (records.size() > kShown) text += ", ...";
  return text;
}

}  // namespace

Result<std::vector<SinkDifference>> CompareWithFaultless(const RunFacts& with_faults,
                                                         const RunFacts& without_faults) {
  std::vector<SinkDifference> differences;
  for (const OutputUnderCheck& output : with_faults.outputs) {
    Result<BatchRecords> faulty = RecordsOf(with_faults, output);
    if (!faulty.ok()) return faulty.status();
    Result<BatchRecords> twin = RecordsOf(without_faults, output);
    if (!twin.ok()) return twin.status();
    AddDifferences(output.name, faulty.value(), twin.value(), &differences);
  }
  return differences;
}

std::string FormatDifference(const SinkDifference& difference) {
  return fmt::format("{} at {} ms: {} records only with faults ({}), {} only without ({})",
                     difference.output, difference.batch_time_ms,
                     difference.only_with_faults.size(), FirstRecords(difference.only_with_faults),
                     difference.only_without_faults.size(),
                     FirstRecords(difference.only_without_faults));
}

}  // namespace streamsim::checker
