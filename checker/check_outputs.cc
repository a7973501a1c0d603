// Checks 2 (sink-vs-oracle) and 3 (state) of checker/check.h: each output's contents against the
// oracle run over the batches' recorded inputs, one oracle run per batch-grid segment, with a
// divergence after a driver recovery in a stream that carries state put down to the state. The
// oracle steps one batch time at a time and every output is compared at that time, so nothing of
// a batch is kept once it is compared.
#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "checker/check_run.h"
#include "checker/finding.h"
#include "checker/oracle.h"
#include "checker/oracle_state.h"
#include "checker/oracle_window.h"
#include "checker/settled_part.h"
#include "checker/sink_contents.h"

namespace streamsim::checker::check {
namespace {

using records::Value;
using records::Values;

// ---- What a stream is computed from ----

struct StreamFacts {
  std::set<std::string> sources;  // the pipeline sources it reads, through from and other
  bool stateful = false;          // it or a stream it reads has a window or state operator
};

class StreamGraph {
 public:
  explicit StreamGraph(const PipelineModel& pipeline) : pipeline_(pipeline) {}

  // REQUIRES: the pipeline has no cycle (the Oracle, built first, aborts on one).
  StreamFacts Of(const std::string& name) const {
    if (std::find(pipeline_.sources.begin(), pipeline_.sources.end(), name) !=
        pipeline_.sources.end()) {
      return StreamFacts{{name}, false};
    }
    StreamFacts facts;
    for (const StreamModel& stream : pipeline_.streams) {
      if (stream.name != name) continue;
      Merge(Of(stream.from), &facts);
      AddOperators(stream.ops, &facts);
    }
    return facts;
  }

 private:
  static void Merge(const StreamFacts& from, StreamFacts* into) {
    into->sources.insert(from.sources.begin(), from.sources.end());
    into->stateful = into->stateful || from.stateful;
  }

  void AddOperators(const std::vector<OperatorModel>& ops, StreamFacts* facts) const {
    for (const OperatorModel& op : ops) {
      if (oracle::IsWindowOperator(op.name) || oracle::IsStateOperator(op.name)) {
        facts->stateful = true;
      }
      if (!op.other.empty()) Merge(Of(op.other), facts);
      AddOperators(op.ops, facts);
    }
  }

  const PipelineModel& pipeline_;
};

// ---- The oracle's input ----

// Per source, the batch times some life allocated with records unavailable (check.h, check 2).
using UnavailableTimes = std::map<std::string, std::set<sim::Instant>>;

// The values of every record of `allocations`, unavailable ones included: the ledger does not say
// which were gone, and where any were only duplication is compared, for which the whole
// allocation is the bound.
BatchInput InputOf(const RunView& run,
                   const std::vector<const ledger::BatchAllocation*>& allocations) {
  BatchInput input;
  for (const ledger::BatchAllocation* allocation : allocations) {
    Values& values = input[run.SourceOfAllocation(*allocation)];
    run.ledger().TakeValuesIfProduced(allocation->records, &values);
  }
  return input;
}

// The oracle's input at `t`: the input life's allocations.
BatchInput InputAt(const RunView& run, sim::Instant t) {
  const std::optional<int> life = run.InputLife(t);
  if (!life) return {};
  return InputOf(run, run.allocations().at(t).at(*life));
}

UnavailableTimes Unavailable(const RunView& run) {
  UnavailableTimes unavailable;
  for (const auto& [t, lives] : run.allocations()) {
    for (const auto& [life, allocations] : lives) {
      for (const ledger::BatchAllocation* allocation : allocations) {
        if (allocation->unavailable > 0) {
          unavailable[run.SourceOfAllocation(*allocation)].insert(t);
        }
      }
    }
  }
  return unavailable;
}

// ---- Comparing one batch ----

struct Comparison {
  std::optional<sim::Instant> duplicated_at;  // when the first repeat was emitted, if known
  int64_t duplicated = 0;
  int64_t lost = 0;
  int64_t diverged = 0;
  std::vector<std::string> duplicated_examples, lost_examples, diverged_examples;
};

void Example(const Value& value, std::vector<std::string>* examples) {
  if (examples->size() < kExamplesMax) examples->push_back(value.ToDisplayString());
}

// Records another driver life's run of the batch would have written (check.h, check 2): a row
// that is none of the oracle's but one of these is a copy of a record some life also output
// elsewhere, so duplication, not divergence. Null: none.
using OtherLivesRecords = std::set<Value>;

// Multisets (check.h, check 2): each divergent row stands in for one missing record.
Comparison CompareMultisets(const Values& expected, const Values& actual,
                            const OtherLivesRecords* others = nullptr) {
  std::map<Value, int64_t> want, have;
  for (const Value& value : expected) ++want[value];
  for (const Value& value : actual) ++have[value];
  Comparison comparison;
  int64_t missing = 0;
  for (const auto& [value, n] : want) {
    const auto found = have.find(value);
    const int64_t present = found == have.end() ? 0 : found->second;
    if (present < n) {
      missing += n - present;
      Example(value, &comparison.lost_examples);
    }
  }
  for (const auto& [value, n] : have) {
    const auto found = want.find(value);
    if (found == want.end() && others != nullptr && others->contains(value)) {
      comparison.duplicated += n;
      Example(value, &comparison.duplicated_examples);
    } else if (found == want.end()) {
      comparison.diverged += n;
      Example(value, &comparison.diverged_examples);
    } else if (n > found->second) {
      comparison.duplicated += n - found->second;
      Example(value, &comparison.duplicated_examples);
    }
  }
  comparison.lost = std::max<int64_t>(0, missing - comparison.diverged);
  if (comparison.lost == 0) comparison.lost_examples.clear();
  return comparison;
}

// What a batch that ran on partly unavailable input is still judged on (check.h, check 2): whole
// rows beyond the oracle's copies of them, the oracle having run on every record allocated. What
// is missing or different is the input loss's doing, which check 1 reports.
Comparison DuplicationOnly(Comparison comparison) {
  comparison.lost = 0;
  comparison.diverged = 0;
  comparison.lost_examples.clear();
  comparison.diverged_examples.clear();
  return comparison;
}

// The key an idempotent sink stores a record under (engine/sinks/sqlite_sink.h).
const Value& SinkKey(const Value& record) {
  const bool pair = record.kind() == Value::Kind::kTuple && record.Items().size() == 2;
  return pair ? record.Items()[0] : record;
}

// Maps by key (check.h, check 2): the sink keeps one record per key.
Comparison CompareByKey(const Values& expected, const Values& actual,
                        const OtherLivesRecords* others = nullptr) {
  std::map<Value, std::set<Value>> want;
  for (const Value& record : expected) want[SinkKey(record)].insert(record);
  std::map<Value, Value> have;
  for (const Value& record : actual) have.insert_or_assign(SinkKey(record), record);
  Comparison comparison;
  for (const auto& [key, records] : want) {
    if (!have.contains(key)) {
      ++comparison.lost;
      Example(key, &comparison.lost_examples);
    }
  }
  for (const auto& [key, record] : have) {
    const auto found = want.find(key);
    const bool expected_here = found != want.end() && found->second.contains(record);
    if (!expected_here && others != nullptr && others->contains(record)) {
      ++comparison.duplicated;
      Example(record, &comparison.duplicated_examples);
    } else if (!expected_here) {
      ++comparison.diverged;
      Example(record, &comparison.diverged_examples);
    }
  }
  return comparison;
}

bool IsTable(SinkKind sink) {
  return sink == SinkKind::kIdempotent || sink == SinkKind::kTransactional ||
         sink == SinkKind::kAppend;
}

// A finding's tally key: check, subject, problem.
using TallyKey = std::tuple<std::string, std::string, std::string>;

// What a tally of an output was added by, in the order the output's additions are merged: the
// repeated emissions, the comparisons batch by batch, the rows at times no life generated. Each
// group is added to in batch time order, so that comparing a run in parts (as batches settle)
// gives the tallies of comparing it whole.
enum Group : size_t { kRepeatedEmissions = 0, kComparisons = 1, kUngeneratedRows = 2 };
inline constexpr size_t kGroups = 3;

// An output set up for the comparison: what its stream reads, and its sink's rows for tables in
// the batch times being compared.
struct PreparedOutput {
  const OutputUnderCheck* output = nullptr;
  StreamFacts stream;
  bool readable = true;            // false once its sink could not be read: no finding but that
  std::map<int64_t, Values> rows;  // tables: per batch ms, for the times being compared
};

}  // namespace

class OutputChecks {
 public:
  explicit OutputChecks(const RunView& run) : run_(&run), graph_(run.facts().pipeline) {}

  // Reads the ledger as `run` sees it now: its emissions and unavailable allocations.
  void Attach(const RunView& run) {
    run_ = &run;
    unavailable_ = Unavailable(run);
    emissions_.clear();
    for (const ledger::OutputEmission& emission : run.ledger().emissions()) {
      emissions_[emission.output][emission.batch_time].push_back(&emission);
    }
  }
  // Sets `output` up for the comparisons, or records why it cannot be compared.
  void Prepare(const OutputUnderCheck& output, const Oracle& oracle);
  // Compares every prepared output at the batch times in (after, until] (without bounds when
  // absent), stepping the oracle through every segment's times in turn (check.h, check 2).
  void CompareWindow(std::optional<sim::Instant> after, std::optional<sim::Instant> until);
  std::vector<Finding> Findings() const;

 private:
  // At a time some life finished successfully: the comparison, or at a tainted time only its
  // duplication. At a time some life finished with a failed job and none successfully, what the
  // output misses is loss, the last batch of a run included (check.h, check 2).
  void CompareAt(size_t index, const Segment& segment, sim::Instant t, const Oracle& oracle) {
    const PreparedOutput& prepared = prepared_[index];
    if (!prepared.readable) return;
    const OracleBatch* expected = oracle.Find(prepared.output->stream);
    if (!run_->Succeeded(t)) {
      if (run_->Failure(t)) RecordFailedBatch(index, t, oracle, Compare(prepared, t, expected));
      return;
    }
    const Comparison comparison = Compare(prepared, t, expected);
    Record(index, t,
           Tainted(prepared.stream, segment, t) ? DuplicationOnly(comparison) : comparison);
  }

  Comparison Compare(const PreparedOutput& prepared, sim::Instant t,
                     const OracleBatch* expected) const {
    switch (prepared.output->sink) {
      case SinkKind::kIdempotent:
      case SinkKind::kTransactional:
      case SinkKind::kAppend:
        return CompareTableBatch(prepared, t, expected);
      default:
        return CompareEmittedBatch(*prepared.output, t, expected);
    }
  }

  // A batch whose job failed: the records the output should have received and did not are lost.
  // When the oracle's batch fails too (a user function fails on the batch's records), every
  // input record of the batch reached no output.
  void RecordFailedBatch(size_t index, sim::Instant t, const Oracle& oracle,
                         const Comparison& comparison) {
    const PreparedOutput& prepared = prepared_[index];
    const OracleBatch* expected = oracle.Find(prepared.output->stream);
    Comparison lost;
    if (expected != nullptr && expected->failed()) {
      for (const std::string& source : prepared.stream.sources) {
        const OracleBatch* input = oracle.Find(source);
        if (input == nullptr || input->failed()) continue;
        lost.lost += static_cast<int64_t>(input->records.size());
        for (const Value& value : input->records) Example(value, &lost.lost_examples);
      }
    } else {
      lost.lost = comparison.lost;
      lost.lost_examples = comparison.lost_examples;
    }
    if (lost.lost == 0) return;
    failed_batches_[prepared.output->name].insert(t);
    Record(index, t, lost);
  }

  // Whether the oracle cannot know what the batch at `t` ran on (check.h, check 2): some life's
  // allocation of an input of the stream had records unavailable at `t` or, for a stream with
  // state or windows, at an earlier time of the segment.
  bool Tainted(const StreamFacts& stream, const Segment& segment, sim::Instant t) const {
    for (const std::string& source : stream.sources) {
      const auto times = unavailable_.find(source);
      if (times == unavailable_.end()) continue;
      for (sim::Instant unavailable : times->second) {
        if (unavailable == t) return true;
        if (stream.stateful && unavailable > segment.zero_time && unavailable < t) return true;
      }
    }
    return false;
  }

  Comparison CompareTableBatch(const PreparedOutput& prepared, sim::Instant t,
                               const OracleBatch* expected) const;
  OtherLivesRecords OtherLives(const PreparedOutput& prepared, sim::Instant t) const;
  Comparison CompareEmittedBatch(const OutputUnderCheck& output, sim::Instant t,
                                 const OracleBatch* expected) const;
  // The oracle of `segment`, standing at the batch time before `first`: the one carried on when
  // it is that segment's, else a new one stepped from the segment's zero time.
  Oracle& OracleFor(const Segment& segment, sim::Instant first);
  void CompareSegment(const Segment& segment, sim::Instant first, sim::Instant last);
  // Reads each table output's rows in (after, until]; an output whose sink cannot be read is
  // compared no more and keeps no tally.
  void ReadRows(std::optional<sim::Instant> after, std::optional<sim::Instant> until);
  void AddDuplicateEmissions(size_t index, std::optional<sim::Instant> after,
                             std::optional<sim::Instant> until);
  void AddRowsAtUngeneratedTimes(size_t index);
  void Record(size_t index, sim::Instant t, const Comparison& comparison);
  // An output the check cannot compare: a divergence finding saying why.
  void Unreadable(const OutputUnderCheck& output, const std::string& message) {
    unreadable_.emplace_back(output.name, message);
  }
  Result<std::map<int64_t, Values>> TableRows(const OutputUnderCheck& output,
                                              const BatchRange& range);
  // The tally of (check, subject, problem) for the output at `index`. Outputs keep theirs apart
  // until Findings merges them in output order, so that examples do not depend on the order
  // batches are compared in.
  Tally& TallyOf(size_t index, std::string check, std::string subject, std::string problem) {
    return tallies_[{std::move(check), std::move(subject), std::move(problem)}][index][group_];
  }
  std::map<TallyKey, Tally> MergedTallies() const;
  std::string Message(const TallyKey& key, const Tally& tally) const;
  std::string BaseMessage(const TallyKey& key, const Tally& tally) const;
  std::string RecoveryText() const;
  std::string Prevention(const TallyKey& key, const Finding& finding) const;

  const RunView* run_;
  UnavailableTimes unavailable_;
  StreamGraph graph_;
  std::map<std::string, std::map<sim::Instant, std::vector<const ledger::OutputEmission*>>>
      emissions_;
  std::vector<PreparedOutput> prepared_;
  // Per output index, per group.
  std::map<TallyKey, std::map<size_t, std::array<Tally, kGroups>>> tallies_;
  Group group_ = kComparisons;      // the group Record adds to
  std::unique_ptr<Oracle> oracle_;  // the latest segment's, carried from one window to the next
  std::map<std::string, const OutputUnderCheck*> outputs_;       // by name, for the messages
  std::vector<std::pair<std::string, std::string>> unreadable_;  // output, message
  std::optional<Result<SinkContents>> contents_;                 // opened on first use
  // Per output, the failed batches whose records it lost (for the message).
  std::map<std::string, std::set<sim::Instant>> failed_batches_;
};

Result<std::map<int64_t, Values>> OutputChecks::TableRows(const OutputUnderCheck& output,
                                                          const BatchRange& range) {
  if (!contents_) {
    contents_ = run_->facts().sink_database.empty()
                    ? Result<SinkContents>(Status::Error("the run has no sink database"))
                    : SinkContents::Open(run_->facts().sink_database);
  }
  if (!contents_->ok()) return contents_->status();
  const SinkContents& contents = contents_->value();
  Result<bool> exists = contents.HasTable(output.table);
  if (!exists.ok()) return exists.status();
  if (!exists.value()) return std::map<int64_t, Values>{};  // no call ever wrote to it
  return contents.Rows(output.table, output.name, range);
}

void OutputChecks::Prepare(const OutputUnderCheck& output, const Oracle& oracle) {
  if (!oracle.HasStream(output.stream)) {
    return Unreadable(output, "its stream '" + output.stream + "' is not in the pipeline");
  }
  outputs_[output.name] = &output;
  prepared_.push_back(PreparedOutput{&output, graph_.Of(output.stream), true, {}});
}

void OutputChecks::ReadRows(std::optional<sim::Instant> after, std::optional<sim::Instant> until) {
  BatchRange range;
  if (after) range.after_ms = after->millis();
  if (until) range.until_ms = until->millis();
  for (size_t index = 0; index < prepared_.size(); ++index) {
    PreparedOutput& prepared = prepared_[index];
    prepared.rows.clear();
    if (!prepared.readable || !IsTable(prepared.output->sink)) continue;
    Result<std::map<int64_t, Values>> rows = TableRows(*prepared.output, range);
    if (rows.ok()) {
      prepared.rows = std::move(rows.value());
      continue;
    }
    prepared.readable = false;
    for (auto& [key, by_output] : tallies_) by_output.erase(index);
    Unreadable(*prepared.output, "its sink cannot be read: " + rows.status().message());
  }
}

void OutputChecks::CompareWindow(std::optional<sim::Instant> after,
                                 std::optional<sim::Instant> until) {
  ReadRows(after, until);
  group_ = kRepeatedEmissions;
  for (size_t index = 0; index < prepared_.size(); ++index) {
    if (prepared_[index].readable && !IsTable(prepared_[index].output->sink)) {
      AddDuplicateEmissions(index, after, until);
    }
  }
  group_ = kComparisons;
  for (const Segment& segment : run_->segments()) {
    if (!segment.last_time) continue;
    sim::Instant first = segment.zero_time + run_->interval();
    while (after && first <= *after) first = first + run_->interval();
    const sim::Instant last = until && *until < *segment.last_time ? *until : *segment.last_time;
    if (first <= last) CompareSegment(segment, first, last);
  }
  group_ = kUngeneratedRows;
  for (size_t index = 0; index < prepared_.size(); ++index) AddRowsAtUngeneratedTimes(index);
  group_ = kComparisons;
}

Oracle& OutputChecks::OracleFor(const Segment& segment, sim::Instant first) {
  const bool carried = oracle_ && oracle_->zero_time() == segment.zero_time &&
                       oracle_->latest_time() + run_->interval() == first;
  if (!carried) {
    // Settled times are compared as they settle, with this oracle: a new one starts a segment.
    STREAMSIM_ASSERT(first == segment.zero_time + run_->interval());
    oracle_ = std::make_unique<Oracle>(run_->facts().pipeline, segment.zero_time);
  }
  return *oracle_;
}

void OutputChecks::CompareSegment(const Segment& segment, sim::Instant first, sim::Instant last) {
  Oracle& oracle = OracleFor(segment, first);
  for (sim::Instant t = first; t <= last; t = t + run_->interval()) {
    oracle.Step(t, InputAt(*run_, t));
    for (size_t index = 0; index < prepared_.size(); ++index) {
      CompareAt(index, segment, t, oracle);
    }
  }
}

Comparison OutputChecks::CompareTableBatch(const PreparedOutput& prepared, sim::Instant t,
                                           const OracleBatch* expected) const {
  const auto found = prepared.rows.find(t.millis());
  const Values none;
  const Values& actual = found == prepared.rows.end() ? none : found->second;
  if (expected != nullptr && expected->failed()) {
    Comparison comparison;
    comparison.diverged = std::max<int64_t>(1, static_cast<int64_t>(actual.size()));
    comparison.diverged_examples = {"the oracle's batch fails: " + *expected->failure};
    return comparison;
  }
  const Values& want = expected == nullptr ? none : expected->records;
  const bool keyed = prepared.output->sink == SinkKind::kIdempotent;
  Comparison comparison = keyed ? CompareByKey(want, actual) : CompareMultisets(want, actual);
  if (comparison.diverged == 0 || prepared.stream.stateful) return comparison;
  const OtherLivesRecords others = OtherLives(prepared, t);
  if (others.empty()) return comparison;
  return keyed ? CompareByKey(want, actual, &others) : CompareMultisets(want, actual, &others);
}

// For a stream without state or windows, whose batch depends on its inputs at `t` alone: what
// each other life that allocated `t` would have written, the oracle run on that life's allocation.
OtherLivesRecords OutputChecks::OtherLives(const PreparedOutput& prepared, sim::Instant t) const {
  OtherLivesRecords records;
  const auto at = run_->allocations().find(t);
  const std::optional<int> input_life = run_->InputLife(t);
  if (at == run_->allocations().end()) return records;
  for (const auto& [life, allocations] : at->second) {
    if (life == input_life) continue;
    Oracle oracle(run_->facts().pipeline, t - run_->interval());
    oracle.Step(t, InputOf(*run_, allocations));
    const OracleBatch* batch = oracle.Find(prepared.output->stream);
    if (batch != nullptr && !batch->failed()) {
      records.insert(batch->records.begin(), batch->records.end());
    }
  }
  return records;
}

// Rows of a table at a time no life allocated or finished: divergence.
void OutputChecks::AddRowsAtUngeneratedTimes(size_t index) {
  const PreparedOutput& prepared = prepared_[index];
  if (!IsTable(prepared.output->sink)) return;
  for (const auto& [millis, actual] : prepared.rows) {
    const sim::Instant t{millis * 1000};
    if (run_->Generated(t)) continue;
    Comparison comparison;
    comparison.diverged = static_cast<int64_t>(actual.size());
    for (const Value& value : actual) Example(value, &comparison.diverged_examples);
    Record(index, t, comparison);
  }
}

void OutputChecks::AddDuplicateEmissions(size_t index, std::optional<sim::Instant> after,
                                         std::optional<sim::Instant> until) {
  const OutputUnderCheck& output = *prepared_[index].output;
  if (output.sink == SinkKind::kSaveAsTextFiles) return;  // idempotent by file name
  const auto by_time = emissions_.find(output.name);
  if (by_time == emissions_.end()) return;
  for (const auto& [t, emissions] : by_time->second) {
    if ((after && t <= *after) || (until && *until < t)) continue;
    if (emissions.size() < 2) continue;
    Comparison comparison;
    if (output.sink == SinkKind::kCollect) {
      for (size_t i = 0; i + 1 < emissions.size(); ++i) {
        const Values& records = emissions[i]->records;
        comparison.duplicated += static_cast<int64_t>(records.size());
        for (const Value& value : records) Example(value, &comparison.duplicated_examples);
      }
    } else {
      comparison.duplicated = static_cast<int64_t>(emissions.size() - 1);  // extra emissions
    }
    comparison.duplicated_at = emissions[1]->emitted_at;
    if (comparison.duplicated > 0) Record(index, t, comparison);
  }
}

Comparison OutputChecks::CompareEmittedBatch(const OutputUnderCheck& output, sim::Instant t,
                                             const OracleBatch* expected) const {
  Comparison comparison;
  if (expected == nullptr) return comparison;  // the stream has no RDD then: nothing to emit
  const auto by_time = emissions_.find(output.name);
  const std::vector<const ledger::OutputEmission*>* emitted = nullptr;
  if (by_time != emissions_.end() && by_time->second.contains(t)) emitted = &by_time->second.at(t);
  if (expected->failed()) {
    const bool records = emitted != nullptr && output.sink == SinkKind::kCollect;
    comparison.diverged =
        std::max<int64_t>(1, records ? static_cast<int64_t>(emitted->back()->records.size()) : 0);
    comparison.diverged_examples = {"the oracle's batch fails: " + *expected->failure};
  } else if (emitted == nullptr) {
    comparison.lost = static_cast<int64_t>(expected->records.size());
    for (const Value& value : expected->records) Example(value, &comparison.lost_examples);
  } else if (output.sink == SinkKind::kCollect) {
    comparison = CompareMultisets(expected->records, emitted->back()->records);
  }
  return comparison;
}

void OutputChecks::Record(size_t index, sim::Instant t, const Comparison& comparison) {
  const PreparedOutput& prepared = prepared_[index];
  const OutputUnderCheck& output = *prepared.output;
  if (comparison.duplicated > 0) {
    Tally& tally = TallyOf(index, "sink-vs-oracle", output.name, "duplication");
    if (tally.batches.empty()) tally.happened_at = comparison.duplicated_at;
    tally.Add(t, comparison.duplicated, comparison.duplicated_examples);
  }
  if (comparison.lost > 0) {
    TallyOf(index, "sink-vs-oracle", output.name, "loss")
        .Add(t, comparison.lost, comparison.lost_examples);
  }
  if (comparison.diverged > 0) {
    const std::optional<sim::Instant> recovered = run_->FirstRecovered();
    const bool state = prepared.stream.stateful && recovered && t >= *recovered;
    Tally& tally = state ? TallyOf(index, "state", output.stream, "divergence")
                         : TallyOf(index, "sink-vs-oracle", output.name, "divergence");
    tally.Add(t, comparison.diverged, comparison.diverged_examples);
  }
}

// The tallies of every output merged per key, in output order: counts add up, batches unite,
// examples are the first distinct ones in output order, and the first output's happened_at.
std::map<TallyKey, Tally> OutputChecks::MergedTallies() const {
  std::map<TallyKey, Tally> merged;
  for (const auto& [key, by_output] : tallies_) {
    Tally& into = merged[key];
    for (const auto& [index, groups] : by_output) {
      for (const Tally& tally : groups) {
        if (!tally.batches.empty()) into.Merge(tally);
      }
    }
  }
  return merged;
}

// " (driver restarted at 38.200 s, re-running batches from 11000 ms)": when the restart was, and
// the first batch the recovered driver ran again — which may be long before it.
std::string OutputChecks::RecoveryText() const {
  const std::string rerun = "re-running batches from " + FormatMillis(*run_->FirstRecovered());
  const std::optional<sim::Instant> restart = run_->FirstRecoveryRestart();
  if (!restart) return " (" + rerun + ")";
  return " (driver restarted at " + FormatSeconds(*restart) + ", " + rerun + ")";
}

std::string OutputChecks::Message(const TallyKey& key, const Tally& tally) const {
  const auto& [check, subject, problem] = key;
  const auto failed = failed_batches_.find(subject);
  if (check == "sink-vs-oracle" && problem == "loss" && failed != failed_batches_.end()) {
    const sim::Instant first = *failed->second.begin();
    return BaseMessage(key, tally) + ", lost with " +
           CountOf(static_cast<int64_t>(failed->second.size()), "failed batch") +
           " (the first at " + FormatMillis(first) + ")";
  }
  return BaseMessage(key, tally);
}

std::string OutputChecks::BaseMessage(const TallyKey& key, const Tally& tally) const {
  const auto& [check, subject, problem] = key;
  const std::string batches = CountOf(static_cast<int64_t>(tally.batches.size()), "batch");
  if (check == "state") {
    return CountOf(tally.count, "record") + " in " + batches +
           " not matching the oracle's state after the driver recovery" + RecoveryText();
  }
  const OutputUnderCheck& output = *outputs_.at(subject);
  const std::string of_table = output.table.empty() ? "" : " of table " + output.table;
  const bool print_like = output.sink == SinkKind::kPrint || output.sink == SinkKind::kFile ||
                          output.sink == SinkKind::kSaveAsTextFiles;
  if (problem == "duplication" && print_like) {
    return CountOf(tally.count, "extra emission") + " in " + batches;
  }
  if (problem == "duplication") {
    return CountOf(tally.count, "extra copy") + " of records in " + batches + of_table;
  }
  if (problem == "loss" && print_like) {
    return CountOf(tally.count, "record") + " in " + batches + " never emitted";
  }
  if (problem == "loss")
    return CountOf(tally.count, "record") + " missing from " + batches + of_table;
  return CountOf(tally.count, "record") + " in " + batches + of_table + " not matching the oracle";
}

std::string OutputChecks::Prevention(const TallyKey& key, const Finding& finding) const {
  const auto& [check, subject, problem] = key;
  const GuaranteeConfiguration& configuration = run_->facts().configuration;
  if (check == "state") return advice::ForStateDivergence(configuration);
  if (problem == "duplication") return advice::ForOutputDuplication(outputs_.at(subject)->sink);
  return advice::ForOutputLossOrDivergence(configuration, run_->NearestFault(finding.batch_time));
}

std::vector<Finding> OutputChecks::Findings() const {
  std::vector<Finding> findings;
  for (const auto& [key, tally] : MergedTallies()) {
    const auto& [check, subject, problem] = key;
    Finding finding =
        NewFinding(*run_, check, problem, check == "state" ? "stream" : "output", subject, tally);
    finding.message = Message(key, tally);
    finding.prevention = Prevention(key, finding);
    findings.push_back(std::move(finding));
  }
  for (const auto& [output, message] : unreadable_) {
    Finding finding;
    finding.check = "sink-vs-oracle";
    finding.problem = "divergence";
    finding.subject_kind = "output";
    finding.subject = output;
    finding.message = message;
    findings.push_back(std::move(finding));
  }
  return findings;
}

std::shared_ptr<OutputChecks> NewOutputChecks(const RunView& run) {
  auto checks = std::make_shared<OutputChecks>(run);
  checks->Attach(run);
  const Oracle oracle(run.facts().pipeline, run.segments().front().zero_time);
  for (const OutputUnderCheck& output : run.facts().outputs) checks->Prepare(output, oracle);
  return checks;
}

void SettleOutputs(OutputChecks& checks, const RunView& run, std::optional<sim::Instant> after,
                   sim::Instant until) {
  checks.Attach(run);
  checks.CompareWindow(after, until);
}

std::vector<Finding> CheckOutputs(const RunView& run) {
  const SettledPart* settled = run.facts().settled;
  std::shared_ptr<OutputChecks> checks =
      settled != nullptr && settled->outputs ? settled->outputs : NewOutputChecks(run);
  checks->Attach(run);
  checks->CompareWindow(run.SettledUntil(), std::nullopt);
  return checks->Findings();
}

}  // namespace streamsim::checker::check
