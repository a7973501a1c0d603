// Given stretches: per (source, partition), the runs of consecutive sequences the counting
// allocations hold, swept from boundary to boundary; between two boundaries the covering runs do
// not change, so neither do the batches those sequences were given to.
#include "checker/given_records.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "checker/settled_part.h"

namespace streamsim::checker::check {
namespace {

// Consecutive sequences [from, until) of one partition in one allocation.
struct GiftRun {
  int64_t from = 0;
  int64_t until = 0;
  size_t input = 0;  // index of the input's name in name order
  sim::Instant t;
  int life = 0;
};

using PartitionKey = std::pair<int32_t, int32_t>;
using RunsByPartition = std::map<PartitionKey, std::vector<GiftRun>>;

std::map<std::string, size_t> InputIndexes(const RunView& run) {
  std::map<std::string, size_t> indexes;
  for (const auto& [t, lives] : run.allocations()) {
    for (const auto& [life, allocations] : lives) {
      for (const ledger::BatchAllocation* allocation : allocations) indexes[allocation->input] = 0;
    }
  }
  if (const SettledPart* settled = run.facts().settled) {
    for (const auto& [key, gifts] : settled->gifts) {
      for (const auto& [input, runs] : gifts) indexes[input] = 0;
    }
  }
  size_t next = 0;
  for (auto& [name, index] : indexes) index = next++;
  return indexes;
}

void AddRuns(const ledger::BatchAllocation& allocation, size_t input, RunsByPartition* runs) {
  for (const IdRun& run : RunsOf(allocation.records)) {
    (*runs)[run.key].push_back(
        GiftRun{run.from, run.until, input, allocation.batch_time, allocation.driver_life});
  }
}

RunsByPartition CountingRuns(const RunView& run) {
  const std::map<std::string, size_t> inputs = InputIndexes(run);
  RunsByPartition runs;
  for (const auto& [t, lives] : run.allocations()) {
    for (const auto& [life, allocations] : lives) {
      if (!run.Counts(life, t)) continue;
      for (const ledger::BatchAllocation* allocation : allocations) {
        AddRuns(*allocation, inputs.at(allocation->input), &runs);
      }
    }
  }
  // Settled batches' gifts: no life gives a settled batch time again, so one life stands for all.
  if (const SettledPart* settled = run.facts().settled) {
    for (const auto& [key, gifts] : settled->gifts) {
      for (const auto& [input, by_from] : gifts) {
        for (const auto& [from, gift] : by_from) {
          runs[key].push_back(GiftRun{from, gift.until, inputs.at(input), gift.t, 0});
        }
      }
    }
  }
  return runs;
}

// The second batch time of batches (t -> copies), the first when it held two copies; none when
// the copies add up to one.
std::optional<sim::Instant> SecondBatch(const std::map<sim::Instant, int64_t>& batches) {
  int64_t copies = 0;
  for (const auto& [t, n] : batches) copies += n;
  if (copies <= 1) return std::nullopt;
  if (batches.begin()->second > 1) return batches.begin()->first;
  return std::next(batches.begin())->first;
}

// What the covering runs say of the sequences they share.
GivenStretch StretchOf(const std::vector<const GiftRun*>& covering) {
  // Per input, per batch time, per life: copies; a batch time counts the most any life gave.
  std::map<size_t, std::map<sim::Instant, std::map<int, int64_t>>> copies;
  GivenStretch stretch;
  stretch.first_batch = covering.front()->t;
  for (const GiftRun* gift : covering) {
    ++copies[gift->input][gift->t][gift->life];
    stretch.first_batch = std::min(stretch.first_batch, gift->t);
  }
  for (const auto& [input, by_time] : copies) {
    std::map<sim::Instant, int64_t> batches;
    for (const auto& [t, lives] : by_time) {
      for (const auto& [life, n] : lives) batches[t] = std::max(batches[t], n);
    }
    stretch.duplicated_at = SecondBatch(batches);
    if (stretch.duplicated_at) break;
  }
  return stretch;
}

void SweepPartition(PartitionKey key, std::vector<GiftRun>& runs,
                    std::vector<GivenStretch>* stretches) {
  std::sort(runs.begin(), runs.end(),
            [](const GiftRun& a, const GiftRun& b) { return a.from < b.from; });
  std::set<int64_t> boundaries;
  for (const GiftRun& gift : runs) {
    boundaries.insert(gift.from);
    boundaries.insert(gift.until);
  }
  std::vector<const GiftRun*> active;
  size_t next = 0;
  for (auto at = boundaries.begin(); std::next(at) != boundaries.end(); ++at) {
    const int64_t from = *at;
    const int64_t until = *std::next(at);
    std::erase_if(active, [from](const GiftRun* gift) { return gift->until <= from; });
    while (next < runs.size() && runs[next].from <= from) active.push_back(&runs[next++]);
    if (active.empty()) continue;
    GivenStretch stretch = StretchOf(active);
    stretch.source = key.first;
    stretch.partition = key.second;
    stretch.from = from;
    stretch.until = until;
    stretches->push_back(stretch);
  }
}

}  // namespace

std::vector<IdRun> RunsOf(const ledger::RecordIds& ids) {
  std::vector<IdRun> runs;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i + 1;
    while (j < ids.size() && ids[j].source == ids[i].source &&
           ids[j].partition == ids[i].partition && ids[j].sequence == ids[j - 1].sequence + 1) {
      ++j;
    }
    runs.push_back(
        IdRun{{ids[i].source, ids[i].partition}, ids[i].sequence, ids[j - 1].sequence + 1});
    i = j;
  }
  return runs;
}

std::vector<GivenStretch> GivenStretches(const RunView& run) {
  RunsByPartition runs = CountingRuns(run);
  std::vector<GivenStretch> stretches;
  for (auto& [key, partition_runs] : runs) SweepPartition(key, partition_runs, &stretches);
  return stretches;
}

}  // namespace streamsim::checker::check
