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
#include "checker/given_records.h"

namespace streamsim::checker::check {
namespace {

using ledger::RecordEntry;
using ledger::RecordId;

// A partition's records in sequence order: those kept from before its first kept sequence, then
// its entries. Retired records (given to a settled batch) are not in it.
class PartitionWalk {
 public:
  explicit PartitionWalk(const ledger::PartitionRecords& records) : records_(records) {}
  size_t size() const { return records_.earlier.size() + records_.entries.size(); }
  int64_t Sequence(size_t k) const {
    const size_t earlier = records_.earlier.size();
    if (k < earlier) return records_.earlier[k].sequence;
    return records_.first_kept + static_cast<int64_t>(k - earlier);
  }
  const RecordEntry& Entry(size_t k) const {
    const size_t earlier = records_.earlier.size();
    return k < earlier ? records_.earlier[k].entry : records_.entries[k - earlier];
  }
  // The first delivery of a retired record after element k and before the next element; -1 when
  // none.
  int64_t RetiredDeliveryAfter(size_t k) const {
    return k < records_.earlier.size() ? records_.earlier[k].next_retired_delivery_us : -1;
  }
  // The lowest delivered sequence, retired records included; -1 when none was delivered.
  int64_t FirstDelivered() const {
    const int64_t retired = records_.first_retired_delivered;
    for (size_t k = 0; k < size(); ++k) {
      const int64_t sequence = Sequence(k);
      if (retired >= 0 && retired < sequence) return retired;
      if (Entry(k).first_delivered_us >= 0) return sequence;
    }
    return retired;
  }

 private:
  const ledger::PartitionRecords& records_;
};

// The first delivery after element k of `walk` (a retired record's, or a later element's), with a
// cursor that only moves forward: elements are asked in order. -1 when nothing after k was
// delivered.
class NextDelivery {
 public:
  explicit NextDelivery(const PartitionWalk& walk) : walk_(walk) {}
  int64_t After(size_t k) {
    const int64_t retired = walk_.RetiredDeliveryAfter(k);
    if (retired >= 0) return retired;
    if (next_ <= k) {
      next_ = k + 1;
      while (next_ < walk_.size() && walk_.Entry(next_).first_delivered_us < 0 &&
             walk_.RetiredDeliveryAfter(next_) < 0) {
        ++next_;
      }
    }
    if (next_ == walk_.size()) return -1;
    const int64_t delivered = walk_.Entry(next_).first_delivered_us;
    return delivered >= 0 ? delivered : walk_.RetiredDeliveryAfter(next_);
  }

 private:
  const PartitionWalk& walk_;
  size_t next_ = 0;
};

// Calls `visit(sequence, time)` for each expected record of one (source, partition), in sequence
// order, by the rules and the tail cutoff of check.h; `time` is what its due batch is counted
// from. Keeps nothing per record.
template <typename Visit>
void ForEachExpected(const RunView& run, std::pair<int32_t, int32_t> key,
                     const ledger::PartitionRecords& records, std::optional<sim::Instant> cutoff,
                     const Visit& visit) {
  const bool delivery_counts =
      DeliveryAcknowledges(run.facts().configuration, run.SourceName(key.first));
  const PartitionWalk walk(records);
  const int64_t first_delivered = walk.FirstDelivered();
  NextDelivery next_delivery(walk);
  for (size_t k = 0; k < walk.size(); ++k) {
    const RecordEntry& entry = walk.Entry(k);
    const int64_t sequence = walk.Sequence(k);
    if (entry.produced_us < 0 || entry.dropped) continue;  // dropped: DroppedRecords reports it
    int64_t tail_us = -1;
    int64_t time_us = -1;
    if (entry.acknowledged_us >= 0) {
      tail_us = time_us = entry.acknowledged_us;
    } else if (delivery_counts && entry.first_delivered_us >= 0) {
      tail_us = time_us = entry.first_delivered_us;
    } else if (delivery_counts && first_delivered >= 0 && sequence > first_delivered &&
               next_delivery.After(k) >= 0) {
      tail_us = next_delivery.After(k);  // skipped: the system read past it
      time_us = entry.produced_us;
    } else {
      continue;
    }
    if (cutoff && tail_us > cutoff->us) continue;
    visit(sequence, sim::Instant{time_us});
  }
}

// A run cut by its stop may leave records in a block or in flight; an application that went down
// (its driver crashed and nothing restarted it) owes everything it was handed before.
std::optional<sim::Instant> TailCutoff(const RunView& run) {
  if (run.facts().graceful_stop || run.facts().application_down_at_end) return std::nullopt;
  return run.LastAllocated().value_or(run.facts().zero_time) - run.interval();
}

// Whether `sequence` of `key` lies in a stretch; `at` walks the stretches forward (sequences are
// asked in ascending order per key, keys in ascending order).
bool IsGiven(const std::vector<GivenStretch>& stretches, std::pair<int32_t, int32_t> key,
             int64_t sequence, size_t* at) {
  auto before = [&](const GivenStretch& stretch) {
    return std::make_pair(stretch.source, stretch.partition) < key ||
           (std::make_pair(stretch.source, stretch.partition) == key && stretch.until <= sequence);
  };
  while (*at < stretches.size() && before(stretches[*at])) ++*at;
  if (*at == stretches.size()) return false;
  const GivenStretch& stretch = stretches[*at];
  return stretch.source == key.first && stretch.partition == key.second && stretch.from <= sequence;
}

// Records the sources' external systems dropped before handing them over: lost, whatever the
// configuration, due at the batch after they were produced.
std::map<std::string, Tally> DroppedRecords(const RunView& run) {
  std::map<std::string, Tally> dropped;
  for (const auto& [key, records] : run.ledger().partitions()) {
    const PartitionWalk walk(records);
    for (size_t k = 0; k < walk.size(); ++k) {
      if (!walk.Entry(k).dropped) continue;
      const RecordId id{key.first, key.second, walk.Sequence(k)};
      dropped[run.SourceName(key.first)].Add(run.DueBatch(sim::Instant{walk.Entry(k).produced_us}),
                                             1, {run.RecordName(id)});
    }
  }
  return dropped;
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
  const std::vector<GivenStretch> given = GivenStretches(run);
  std::map<std::string, Tally> lost, duplicated, unknown;
  const std::optional<sim::Instant> cutoff = TailCutoff(run);
  size_t at = 0;
  for (const auto& [key, records] : run.ledger().partitions()) {
    ForEachExpected(run, key, records, cutoff, [&](int64_t sequence, sim::Instant time) {
      if (IsGiven(given, key, sequence, &at)) return;
      const RecordId id{key.first, key.second, sequence};
      lost[run.SourceName(key.first)].Add(run.DueBatch(time), 1, {run.RecordName(id)});
    });
  }
  for (const GivenStretch& stretch : given) {
    if (!stretch.duplicated_at && run.ledger().AllProduced({stretch.source, stretch.partition},
                                                           stretch.from, stretch.until)) {
      continue;  // given once, every record of it made by its source
    }
    const std::string source = run.SourceName(stretch.source);
    for (int64_t sequence = stretch.from; sequence < stretch.until; ++sequence) {
      const RecordId id{stretch.source, stretch.partition, sequence};
      if (!run.ledger().WasProduced(id)) {
        unknown[source].Add(stretch.first_batch, 1, {run.RecordName(id)});
      } else if (stretch.duplicated_at) {
        Tally& tally = duplicated[source];
        tally.Add(*stretch.duplicated_at, 1,
                  tally.examples.size() < kExamplesMax
                      ? std::vector<std::string>{run.RecordName(id)}
                      : std::vector<std::string>{});
      }
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
  for (const auto& [source, tally] : DroppedRecords(run)) {
    Finding finding = NewFinding(run, "acknowledged-once", "loss", "source", source, tally);
    finding.message =
        CountOf(tally.count, "record") + " dropped by the source before Spark could take them";
    finding.prevention = advice::ForDroppedRecords(run.facts().configuration, source);
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
