// The check as the run goes (checker/running_check.h).
#include "checker/running_check.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "checker/check_run.h"
#include "checker/given_records.h"

namespace streamsim::checker {
namespace {

using PartitionKey = std::pair<int32_t, int32_t>;

// Consecutive sequences [from, until) of one partition given to one input.
struct NewGift {
  PartitionKey key;
  std::string input;
  int64_t from = 0;
  int64_t until = 0;
  friend bool operator<(const NewGift& a, const NewGift& b) {
    return std::tie(a.key, a.input, a.from) < std::tie(b.key, b.input, b.from);
  }
};

void AddRuns(const ledger::BatchAllocation& allocation, std::vector<NewGift>* gifts) {
  for (const check::IdRun& run : check::RunsOf(allocation.records)) {
    gifts->push_back(NewGift{run.key, allocation.input, run.from, run.until});
  }
}

// Whether [from, until) shares a sequence with a gift of `gifts`.
bool Overlaps(const std::map<int64_t, SettledGift>& gifts, int64_t from, int64_t until) {
  auto next = gifts.lower_bound(from);
  if (next != gifts.end() && next->first < until) return true;
  return next != gifts.begin() && std::prev(next)->second.until > from;
}

// Adds [from, until) given at `t`, joining it to the gifts it touches.
void Join(std::map<int64_t, SettledGift>* gifts, int64_t from, int64_t until, sim::Instant t) {
  auto at = gifts->lower_bound(from);
  if (at != gifts->begin() && std::prev(at)->second.until == from) {
    at = std::prev(at);
    at->second = SettledGift{until, t};
  } else {
    at = gifts->emplace(from, SettledGift{until, t}).first;
  }
  const auto next = std::next(at);
  if (next != gifts->end() && next->first == until) {
    at->second.until = next->second.until;
    gifts->erase(next);
  }
}

// Whether a sequence is covered by some gift of `intervals` (sorted by from), asked in ascending
// order.
class Coverage {
 public:
  explicit Coverage(std::vector<std::pair<int64_t, int64_t>> intervals)
      : intervals_(std::move(intervals)) {
    std::sort(intervals_.begin(), intervals_.end());
  }
  bool Covers(int64_t sequence) {
    while (next_ < intervals_.size() && intervals_[next_].first <= sequence) {
      reach_ = std::max(reach_, intervals_[next_].second);
      ++next_;
    }
    return sequence < reach_;
  }

 private:
  std::vector<std::pair<int64_t, int64_t>> intervals_;
  size_t next_ = 0;
  int64_t reach_ = 0;
};

// How long after batch time t a window may still compute its input at t (and so record t's
// allocations): every window's length and slide, added up along the longest chain, bounded here
// by adding up all of them.
sim::Duration LookBack(const std::vector<OperatorModel>& ops, sim::Duration interval) {
  sim::Duration total;
  for (const OperatorModel& op : ops) {
    if (op.window) total = total + *op.window + op.slide.value_or(interval);
    total = total + LookBack(op.ops, interval);
  }
  return total;
}

constexpr int64_t kPatienceMax = 64;

}  // namespace

RunningCheck::RunningCheck(RunFacts facts, ledger::Ledger* ledger, DurableMetadataReader* durable)
    : facts_(std::move(facts)), ledger_(ledger), durable_(durable) {
  facts_.settled = &settled_;
  for (const StreamModel& stream : facts_.pipeline.streams) {
    look_back_ = look_back_ + LookBack(stream.ops, facts_.pipeline.batch_interval);
  }
}

std::optional<sim::Instant> RunningCheck::NextTime(const check::RunView& run) const {
  const std::vector<check::Segment>& segments = run.segments();
  size_t index = settled_.until ? run.SegmentAt(*settled_.until) : 0;
  for (; index < segments.size(); ++index) {
    const check::Segment& segment = segments[index];
    const bool here = settled_.until && run.SegmentAt(*settled_.until) == index;
    const sim::Instant next = (here ? *settled_.until : segment.zero_time) + run.interval();
    if (segment.last_time && next <= *segment.last_time) return next;
    if (index + 1 == segments.size()) break;  // the latest segment may still generate `next`
  }
  return std::nullopt;
}

bool RunningCheck::CanSettle(const check::RunView& run, sim::Instant t) const {
  if (!run.Succeeded(t) && !run.Failure(t)) return false;  // not finished
  // Until a batch a window's length after it is generated, a window may still compute `t`'s
  // input for the first time (the engine records an input's allocation when it computes it);
  // the life that would has gone when a later segment began.
  const size_t segment = run.SegmentAt(t);
  const std::optional<sim::Instant> last = run.segments()[segment].last_time;
  const bool later_segment = segment + 1 < run.segments().size();
  if (!later_segment && (!last || *last < t + look_back_)) return false;
  if (facts_.durable_batch_ledger != nullptr) {
    const std::optional<sim::Instant> bound = RerunBound();
    if (!bound || *bound <= t) return false;
  }
  for (const check::BatchLedgerMismatch& mismatch : run.batch_ledger_mismatches()) {
    if (mismatch.batch_time == t) return false;
  }
  const auto at = run.allocations().find(t);
  if (at == run.allocations().end()) return true;  // a batch of no input
  for (const auto& [life, allocations] : at->second) {
    if (!run.FinishedIn(life, t) && life == run.last_life()) return false;
    for (const ledger::BatchAllocation* allocation : allocations) {
      if (allocation->unavailable > 0) return false;  // for good
    }
  }
  return true;
}

bool RunningCheck::AddGifts(const check::RunView& run, sim::Instant t) {
  // Per life: a record given twice by one life is a duplication.
  std::map<int, std::vector<NewGift>> by_life;
  const auto at = run.allocations().find(t);
  if (at != run.allocations().end()) {
    for (const auto& [life, allocations] : at->second) {
      if (!run.Counts(life, t)) continue;
      for (const ledger::BatchAllocation* allocation : allocations) {
        AddRuns(*allocation, &by_life[life]);
      }
    }
  }
  std::vector<NewGift> gifts;
  for (auto& [life, runs] : by_life) {
    std::sort(runs.begin(), runs.end());
    for (size_t i = 1; i < runs.size(); ++i) {
      const NewGift& before = runs[i - 1];
      if (before.key == runs[i].key && before.input == runs[i].input &&
          before.until > runs[i].from) {
        return false;
      }
    }
    gifts.insert(gifts.end(), runs.begin(), runs.end());
  }
  // The lives' gifts together: a batch time gives a record once, whichever lives gave it.
  std::sort(gifts.begin(), gifts.end());
  std::vector<NewGift> together;
  for (const NewGift& gift : gifts) {
    NewGift* last = together.empty() ? nullptr : &together.back();
    if (last != nullptr && last->key == gift.key && last->input == gift.input &&
        gift.from <= last->until) {
      last->until = std::max(last->until, gift.until);
    } else {
      together.push_back(gift);
    }
  }
  for (const NewGift& gift : together) {
    const auto partition = settled_.gifts.find(gift.key);
    if (partition != settled_.gifts.end()) {
      const auto input = partition->second.find(gift.input);
      if (input != partition->second.end() && Overlaps(input->second, gift.from, gift.until)) {
        return false;
      }
    }
    if (!ledger_->AllProduced(gift.key, gift.from, gift.until)) return false;
  }
  for (const NewGift& gift : together) {
    Join(&settled_.gifts[gift.key][gift.input], gift.from, gift.until, t);
  }
  return true;
}

std::optional<sim::Instant> RunningCheck::RerunBound() const {
  std::optional<sim::Instant> bound;
  for (const auto& [path, checkpoint] : facts_.durable_batch_ledger->checkpoints_in_place) {
    // Spark's JobGenerator.restart: the pending batches, and every batch from the checkpoint's
    // time (itself included) up to the restart.
    sim::Instant rerun = checkpoint.checkpoint_time;
    if (checkpoint.first_pending && *checkpoint.first_pending < rerun) {
      rerun = *checkpoint.first_pending;
    }
    if (!bound || rerun < *bound) bound = rerun;
  }
  return bound;
}

void RunningCheck::ForgetBlocks(const check::RunView& run, sim::Instant t) {
  const DurableBatchLedger* durable = facts_.durable_batch_ledger;
  const auto at = run.allocations().find(t);
  if (durable == nullptr || at == run.allocations().end()) return;
  for (const auto& [life, allocations] : at->second) {
    for (const ledger::BatchAllocation* allocation : allocations) {
      for (const auto& [stream_id, input] : facts_.receiver_inputs) {
        if (input != allocation->input) continue;
        const DurableAllocation* made = DurableAllocationFor(*durable, t, stream_id, life);
        if (made == nullptr) continue;
        for (const DurableBlock& block : made->blocks) {
          ledger_->ForgetBlock(made->driver_life, block.id, block.wal_path, block.wal_offset);
        }
      }
    }
  }
}

void RunningCheck::Advance(sim::Instant now) {
  // Each attempt reads the whole open part of the ledger: after one that settles nothing, wait
  // twice as long before the next (up to kPatienceMax), so that a run whose settling waits long
  // (a batch that never finishes, a duplication) does not pay for it at every tick.
  if (ticks_to_wait_ > 0) {
    --ticks_to_wait_;
    return;
  }
  facts_.end_time = now;
  const std::optional<sim::Instant> before = settled_.until;
  std::vector<sim::Instant> settling;
  {
    const check::RunView run(facts_);
    while (const std::optional<sim::Instant> t = NextTime(run)) {
      if (!CanSettle(run, *t) || !AddGifts(run, *t)) break;
      settled_.until = *t;
      settling.push_back(*t);
    }
    if (settling.empty()) {
      patience_ = std::min<int64_t>(std::max<int64_t>(1, patience_ * 2), kPatienceMax);
      ticks_to_wait_ = patience_;
      return;
    }
    patience_ = 0;
    if (!settled_.outputs) settled_.outputs = check::NewOutputChecks(run);
    check::SettleOutputs(*settled_.outputs, run, before, *settled_.until);
    for (sim::Instant t : settling) ForgetBlocks(run, t);
  }
  ledger_->RetireBatchesUpTo(*settled_.until);
  if (durable_ != nullptr) durable_->RetireUpTo(*settled_.until);
  RetireRecords();
}

void RunningCheck::RetireRecords() {
  for (const auto& [key, by_input] : settled_.gifts) {
    const auto partition = ledger_->partitions().find(key);
    if (partition == ledger_->partitions().end()) continue;
    const int64_t first_kept = partition->second.first_kept;
    std::vector<std::pair<int64_t, int64_t>> intervals;
    int64_t until = first_kept;
    for (const auto& [input, gifts] : by_input) {
      auto gift = gifts.upper_bound(first_kept);
      if (gift != gifts.begin()) --gift;
      for (; gift != gifts.end(); ++gift) {
        intervals.emplace_back(gift->first, gift->second.until);
        until = std::max(until, gift->second.until);
      }
    }
    Coverage coverage(std::move(intervals));
    ledger_->RetireRecords(key, until, [&coverage](int64_t sequence, const ledger::RecordEntry& e) {
      const bool covered = coverage.Covers(sequence);
      return covered && e.produced_us >= 0 && !e.dropped && e.first_delivered_us >= 0;
    });
  }
}

}  // namespace streamsim::checker
