// Check 4, liveness (checker/check.h): every batch up to the stop finished, or the finding says
// why not. Reads the ledger's allocations and outcomes, the faults and how the run ended.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "checker/check_run.h"
#include "checker/finding.h"

namespace streamsim::checker::check {
namespace {

struct Reason {
  std::string text;
  std::string prevention;
  friend bool operator==(const Reason&, const Reason&) = default;
};

struct Missing {
  sim::Instant t;
  Reason reason;
};

Reason ApplicationDown(const RunView& run) {
  return {"application down",
          run.facts().configuration.supervise ? "" : std::string(advice::kSupervise)};
}

// The last batch time of segment `index` that should have finished.
std::optional<sim::Instant> LastExpected(const RunView& run, size_t index) {
  std::optional<sim::Instant> last = run.facts().end_time - run.interval();
  if (index + 1 < run.segments().size()) {
    last = run.segments()[index].last_time;
  } else if (run.facts().graceful_stop) {
    last = run.LastGenerated();
  }
  const std::optional<sim::Instant> stop = run.facts().last_batch_time;
  if (last && stop && *stop < *last) last = stop;
  return last;
}

// The receivers take every core, when the facts say how many there are. Otherwise: no batch of
// the last segment ever finished although it owed three or more (fewer may just be a slow start)
// while receivers kept receiving.
bool Starved(const RunView& run, sim::Instant t) {
  const RunFacts& facts = run.facts();
  if (facts.receiver_count > 0 && facts.executor_core_count > 0) {
    return facts.receiver_count >= facts.executor_core_count;
  }
  const Segment& segment = run.segments().back();
  if (run.SegmentAt(t) + 1 != run.segments().size()) return false;
  const std::optional<sim::Instant> last = LastExpected(run, run.segments().size() - 1);
  if (!last || *last < segment.zero_time + run.interval() * 3) return false;
  for (int life : segment.lives) {
    if (run.FinishedAny(life)) return false;
  }
  const bool receivers =
      std::any_of(facts.configuration.sources.begin(), facts.configuration.sources.end(),
                  [](const SourceConfiguration& source) { return source.receiver_based; });
  const std::optional<sim::Instant> delivered = run.LastFirstDelivery();
  return receivers && delivered && *delivered >= t - run.interval();
}

// What made a job fail, without what differs from one batch to the next: the cause Spark's
// message ends with ("... failed 4 times, most recent failure: <cause>"), else the message.
std::string FailureCause(const std::string& failure) {
  constexpr std::string_view kMostRecent = "most recent failure: ";
  const size_t at = failure.rfind(kMostRecent);
  return at == std::string::npos ? failure : failure.substr(at + kMostRecent.size());
}

// Why the batch at `t` never finished successfully (the order of check.h, check 4).
Reason ReasonFor(const RunView& run, sim::Instant t) {
  const RunFacts& facts = run.facts();
  if (const std::optional<std::string> failure = run.Failure(t)) {
    return {"job failed: " + FailureCause(*failure), ""};
  }
  const auto allocated = run.allocations().find(t);
  if (allocated != run.allocations().end()) {
    if (allocated->second.rbegin()->first != run.last_life()) {
      return {"the driver crashed and the next driver did not run it",
              facts.configuration.checkpoint ? "" : std::string(advice::kCheckpoint)};
    }
    if (facts.application_down_at_end) return ApplicationDown(run);
  } else if (!run.AnyBatchAfter(t)) {
    const FaultEvent* nearest = run.NearestFault(t);
    const bool crashed = nearest != nullptr && nearest->kind == faults::FaultKind::kDriverCrash;
    if (facts.application_down_at_end || crashed) return ApplicationDown(run);
  }
  if (Starved(run, t)) return {"receivers starved of cores", std::string(advice::kMoreCores)};
  return {"not finished", ""};
}

std::vector<Missing> MissingBatches(const RunView& run) {
  std::vector<Missing> missing;
  for (size_t index = 0; index < run.segments().size(); ++index) {
    const std::optional<sim::Instant> last = LastExpected(run, index);
    if (!last) continue;
    for (sim::Instant t = run.segments()[index].zero_time + run.interval(); t <= *last;
         t = t + run.interval()) {
      if (!run.Succeeded(t)) missing.push_back({t, ReasonFor(run, t)});
    }
  }
  return missing;
}

Finding LivenessFinding(const RunView& run, const std::vector<Missing>& batches) {
  Tally tally;
  for (const Missing& batch : batches) tally.Add(batch.t, 1);
  Finding finding = NewFinding(run, "liveness", "liveness", "", "batches", tally);
  const bool consecutive = batches.back().t - batches.front().t ==
                           run.interval() * static_cast<int64_t>(batches.size() - 1);
  const std::string span =
      batches.size() == 1
          ? "batch " + FormatMillis(batches.front().t)
          : CountOf(static_cast<int64_t>(batches.size()), "batch") +
                (consecutive ? " " : " between ") + FormatMillis(batches.front().t) +
                (consecutive ? " to " : " and ") + FormatMillis(batches.back().t);
  finding.message = span + " never finished: " + batches.front().reason.text;
  finding.prevention = batches.front().reason.prevention;
  return finding;
}

}  // namespace

// One finding per cause, with its count of batches, in the order the causes first appear.
std::vector<Finding> CheckLiveness(const RunView& run) {
  std::vector<std::vector<Missing>> groups;
  for (const Missing& batch : MissingBatches(run)) {
    auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& missing) {
      return missing.front().reason == batch.reason;
    });
    if (group == groups.end()) {
      groups.push_back({batch});
    } else {
      group->push_back(batch);
    }
  }
  std::vector<Finding> findings;
  for (const std::vector<Missing>& group : groups) {
    findings.push_back(LivenessFinding(run, group));
  }
  return findings;
}

}  // namespace streamsim::checker::check
