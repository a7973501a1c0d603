// Check 1, acknowledged-once (checker/check.h): every record the system is answerable for is in
// exactly one batch's input. Reads the ledger's records and allocations only; the sinks are
// check 2's.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/check_run.h"
#include "checker/finding.h"

namespace streamsim::checker::check {
namespace {

using ledger::RecordEntry;
using ledger::RecordId;

// Per record, the batch times it was given to, with the most copies one counting life gave it
// there (a later life re-running the same batch time gives the same batch, not another).
// Per record, per input stream that was given it, the batch times and copies at each. Inputs are
// kept apart: two streams reading one topic each owe every record once, not once between them.
using InputBatches = std::map<sim::Instant, int64_t>;
using GivenBatches = std::map<RecordId, std::map<std::string, InputBatches>>;

GivenBatches Given(const RunView& run) {
  GivenBatches given;
  for (const auto& [t, lives] : run.allocations()) {
    for (const auto& [life, allocations] : lives) {
      if (!run.Counts(life, t)) continue;
      std::map<std::pair<RecordId, std::string>, int64_t> copies;
      for (const ledger::BatchAllocation* allocation : allocations) {
        for (const RecordId& id : allocation->records) ++copies[{id, allocation->input}];
      }
      for (const auto& [key, n] : copies) {
        int64_t& kept = given[key.first][key.second][t];
        kept = std::max(kept, n);
      }
    }
  }
  return given;
}

// The first batch any input was given the record at.
sim::Instant FirstBatch(const std::map<std::string, InputBatches>& inputs) {
  sim::Instant first = inputs.begin()->second.begin()->first;
  for (const auto& [input, batches] : inputs) first = std::min(first, batches.begin()->first);
  return first;
}

// A record the system is answerable for, with the time its due batch is counted from.
struct ExpectedRecord {
  RecordId id;
  sim::Instant time;
};

// The expected records of one (source, partition), by the rules and the tail cutoff of check.h.
void ExpectPartition(const RunView& run, std::pair<int32_t, int32_t> key,
                     const ledger::RecordEntries& entries, std::optional<sim::Instant> cutoff,
                     std::vector<ExpectedRecord>* expected) {
  const bool delivery_counts =
      DeliveryAcknowledges(run.facts().configuration, run.SourceName(key.first));
  // For each sequence, the first delivery of the nearest delivered sequence above it (-1: none).
  std::vector<int64_t> next_delivery_us(entries.size(), -1);
  int64_t next = -1;
  std::optional<size_t> first_delivered;
  for (size_t i = entries.size(); i-- > 0;) {
    next_delivery_us[i] = next;
    if (entries[i].first_delivered_us >= 0) next = entries[i].first_delivered_us;
    if (entries[i].first_delivered_us >= 0) first_delivered = i;
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    const RecordEntry& entry = entries[i];
    if (entry.produced_us < 0) continue;
    int64_t tail_us = -1;
    int64_t time_us = -1;
    if (entry.acknowledged_us >= 0) {
      tail_us = time_us = entry.acknowledged_us;
    } else if (delivery_counts && entry.first_delivered_us >= 0) {
      tail_us = time_us = entry.first_delivered_us;
    } else if (delivery_counts && first_delivered && i > *first_delivered &&
               next_delivery_us[i] >= 0) {
      tail_us = next_delivery_us[i];  // skipped: the system read past it
      time_us = entry.produced_us;
    } else {
      continue;
    }
    if (cutoff && tail_us > cutoff->us) continue;
    expected->push_back(
        {RecordId{key.first, key.second, static_cast<int64_t>(i)}, sim::Instant{time_us}});
  }
}

std::vector<ExpectedRecord> Expected(const RunView& run) {
  // A run cut by its stop may leave records in a block or in flight; an application that went
  // down (its driver crashed and nothing restarted it) owes everything it was handed before.
  std::optional<sim::Instant> cutoff;
  if (!run.facts().graceful_stop && !run.facts().application_down_at_end) {
    cutoff = run.LastAllocated().value_or(run.facts().zero_time) - run.interval();
  }
  std::vector<ExpectedRecord> expected;
  for (const auto& [key, entries] : run.ledger().partitions()) {
    ExpectPartition(run, key, entries, cutoff, &expected);
  }
  return expected;
}

// The second batch time a record given more than once was given to (its first, when it was
// there twice).
sim::Instant SecondBatch(const std::map<sim::Instant, int64_t>& batches) {
  if (batches.begin()->second > 1) return batches.begin()->first;
  return std::next(batches.begin())->first;
}

int64_t Copies(const std::map<sim::Instant, int64_t>& batches) {
  int64_t copies = 0;
  for (const auto& [t, n] : batches) copies += n;
  return copies;
}

// Allocations with part of their data gone, per input, at batch times some life finished
// successfully: any life's, as check 2 puts every difference at such a batch down to this loss.
std::map<std::string, Tally> Unavailable(const RunView& run) {
  std::map<std::string, Tally> unavailable;
  for (const auto& [t, lives] : run.allocations()) {
    if (!run.Succeeded(t)) continue;
    std::map<std::string, int64_t> most;  // per input, the most any life missed
    for (const auto& [life, allocations] : lives) {
      for (const ledger::BatchAllocation* allocation : allocations) {
        int64_t& kept = most[allocation->input];
        kept = std::max(kept, allocation->unavailable);
      }
    }
    for (const auto& [input, n] : most) {
      if (n > 0) unavailable[input].Add(t, n);
    }
  }
  return unavailable;
}

void AddRecordFindings(const RunView& run, const std::map<std::string, Tally>& lost,
                       const std::map<std::string, Tally>& duplicated,
                       std::vector<Finding>* findings) {
  const GuaranteeConfiguration& configuration = run.facts().configuration;
  for (const auto& [source, tally] : lost) {
    Finding finding = NewFinding(run, "acknowledged-once", "loss", "source", source, tally);
    finding.message = CountOf(tally.count, "record") + " never in a batch";
    finding.prevention =
        advice::ForRecordLoss(configuration, source, run.NearestFault(finding.batch_time));
    findings->push_back(std::move(finding));
  }
  for (const auto& [source, tally] : duplicated) {
    Finding finding = NewFinding(run, "acknowledged-once", "duplication", "source", source, tally);
    finding.message = CountOf(tally.count, "record") + " in more than one batch";
    finding.prevention =
        advice::ForRecordDuplication(configuration, run.NearestFault(finding.batch_time));
    findings->push_back(std::move(finding));
  }
}

}  // namespace

std::vector<Finding> CheckAcknowledgedOnce(const RunView& run) {
  const GivenBatches given = Given(run);
  std::map<std::string, Tally> lost, duplicated, unknown;
  for (const ExpectedRecord& record : Expected(run)) {
    if (given.contains(record.id)) continue;
    lost[run.SourceName(record.id.source)].Add(run.DueBatch(record.time), 1,
                                               {run.RecordName(record.id)});
  }
  for (const auto& [id, inputs] : given) {
    const std::string source = run.SourceName(id.source);
    if (!run.ledger().WasProduced(id)) {
      unknown[source].Add(FirstBatch(inputs), 1, {run.RecordName(id)});
      continue;
    }
    for (const auto& [input, batches] : inputs) {
      if (Copies(batches) <= 1) continue;
      duplicated[source].Add(SecondBatch(batches), 1, {run.RecordName(id)});
      break;  // a record counts once, however many inputs repeated it
    }
  }
  std::vector<Finding> findings;
  AddRecordFindings(run, lost, duplicated, &findings);
  for (const auto& [input, tally] : Unavailable(run)) {
    Finding finding = NewFinding(run, "acknowledged-once", "loss", "input", input, tally);
    finding.message = CountOf(tally.count, "record") + " unavailable when their batch ran in " +
                      CountOf(static_cast<int64_t>(tally.batches.size()), "batch") +
                      " (their blocks were lost)";
    finding.prevention = advice::ForRecordLoss(run.facts().configuration, input,
                                               run.NearestFault(finding.batch_time));
    findings.push_back(std::move(finding));
  }
  for (const auto& [source, tally] : unknown) {
    Finding finding = NewFinding(run, "acknowledged-once", "divergence", "source", source, tally);
    finding.message = CountOf(tally.count, "allocated record") + " no source produced";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace streamsim::checker::check
