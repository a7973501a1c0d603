// The run as the checks see it (checker/check_run.h).
#include "checker/check_run.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <utility>

#include "checker/finding.h"
#include "checker/settled_part.h"

namespace streamsim::checker::check {
namespace {

[[noreturn]] void Die(const char* message) {
  std::fprintf(stderr, "checker: %s\n", message);
  std::abort();
}

// The first multiple of `interval` after `zero` that is at or after `t`.
sim::Instant GridCeiling(sim::Instant zero, sim::Duration interval, sim::Instant t) {
  if (t <= zero) return zero + interval;
  const int64_t steps = ((t - zero).us + interval.us - 1) / interval.us;
  return zero + interval * steps;
}

}  // namespace

RunView::RunView(const RunFacts& facts) : facts_(facts) {
  if (facts_.ledger == nullptr) Die("RunFacts.ledger is null");
  if (facts_.pipeline.batch_interval.us <= 0) Die("the batch interval must be positive");
  durable_ = facts_.durable_batch_ledger;
  if (durable_ != nullptr) {
    for (const auto& [stream_id, input] : facts_.receiver_inputs) {
      receiver_stream_ids_[input] = stream_id;
    }
  }
  IndexLedger();
  BuildSegments();
}

std::optional<RunView::DurableInput> RunView::DurableRecordsOf(
    const ledger::BatchAllocation& allocation) const {
  const sim::Instant t = allocation.batch_time;
  const int life = allocation.driver_life;
  const auto stream = receiver_stream_ids_.find(allocation.input);
  if (stream != receiver_stream_ids_.end()) {
    // The tracker logs an allocation before it makes it: a batch with no durable one ran on
    // nothing durable.
    DurableInput input;
    const DurableAllocation* durable = DurableAllocationFor(*durable_, t, stream->second, life);
    if (durable == nullptr) return input;
    input.where = durable->where;
    for (const DurableBlock& block : durable->blocks) {
      const ledger::RecordIds ids = facts_.ledger->BlockRecords(durable->driver_life, block.id,
                                                                block.wal_path, block.wal_offset);
      input.records.insert(input.records.end(), ids.begin(), ids.end());
    }
    return input;
  }
  // A direct or file stream's position is checkpointed after its batch is generated: a batch
  // may run before it is durable, and then there is nothing to compare.
  if (const DurableFiles* files = DurableFilesFor(*durable_, t, allocation.input, life)) {
    return FileRecordsOf(*files);
  }
  const DurableOffsets* offsets = DurableOffsetsFor(*durable_, t, allocation.input, life);
  const auto topic =
      offsets == nullptr ? facts_.topic_sources.end() : facts_.topic_sources.find(offsets->topic);
  if (topic == facts_.topic_sources.end()) return std::nullopt;
  DurableInput input;
  input.where = offsets->where;
  for (const DurableOffsetRange& range : offsets->ranges) {
    for (int64_t offset = range.from; offset < range.until; ++offset) {
      input.records.push_back(ledger::RecordId{topic->second, range.partition, offset});
    }
  }
  return input;
}

RunView::DurableInput RunView::FileRecordsOf(const DurableFiles& files) const {
  DurableInput input;
  input.where = files.where;
  for (const std::string& path : files.files) {
    const auto file = facts_.file_records.find(path);
    if (file == facts_.file_records.end()) continue;  // no line of it was ever a record
    for (int64_t line = 0; line < file->second.lines; ++line) {
      input.records.push_back(ledger::RecordId{file->second.source, file->second.partition, line});
    }
  }
  return input;
}

const ledger::BatchAllocation* RunView::FromDurable(const ledger::BatchAllocation& allocation) {
  if (!durable_) return &allocation;
  std::optional<DurableInput> durable = DurableRecordsOf(allocation);
  if (!durable) return &allocation;
  ledger::RecordIds ran = allocation.records;
  ledger::RecordIds read = durable->records;
  std::sort(ran.begin(), ran.end());
  std::sort(read.begin(), read.end());
  if (ran == read) return &allocation;
  BatchLedgerMismatch mismatch{
      allocation.driver_life, allocation.batch_time, allocation.input, {}, {}, durable->where};
  std::set_difference(ran.begin(), ran.end(), read.begin(), read.end(),
                      std::back_inserter(mismatch.ran_only));
  std::set_difference(read.begin(), read.end(), ran.begin(), ran.end(),
                      std::back_inserter(mismatch.durable_only));
  mismatches_.push_back(std::move(mismatch));
  ledger::BatchAllocation copy = allocation;
  copy.records = std::move(durable->records);
  durable_copies_.push_back(std::move(copy));
  return &durable_copies_.back();
}

void RunView::IndexLedger() {
  const ledger::Ledger& ledger = *facts_.ledger;
  if (facts_.settled != nullptr) settled_until_ = facts_.settled->until;
  for (const ledger::BatchAllocation& allocation : ledger.allocations()) {
    allocations_[allocation.batch_time][allocation.driver_life].push_back(FromDurable(allocation));
  }
  for (const ledger::BatchOutcome& outcome : ledger.outcomes()) {
    // A life finishing the same batch twice keeps its first outcome; the engine runs a batch once.
    outcomes_[outcome.batch_time].emplace(outcome.driver_life, outcome.failure);
  }
  // The lives' batches as a whole: what they did to batches that were settled is still known.
  bool any_life = false;
  for (const auto& [life, batches] : ledger.life_batches()) {
    if (!batches.first_time) continue;
    first_life_ = any_life ? std::min(first_life_, life) : life;
    last_life_ = any_life ? std::max(last_life_, life) : life;
    any_life = true;
    if (!last_generated_ || *last_generated_ < *batches.last_time) {
      last_generated_ = batches.last_time;
    }
    if (batches.last_allocated &&
        (!last_allocated_ || *last_allocated_ < *batches.last_allocated)) {
      last_allocated_ = batches.last_allocated;
    }
    if (batches.finished_any) lives_with_outcomes_.insert(life);
    if (batches.first_recovered) life_recovered_[life] = true;
  }
  // A life that started and never allocated nor finished a batch (a driver that crashed before
  // its first batch) is still a life: the next one is not the first.
  if (!ledger.driver_starts().empty()) {
    const int first_started = ledger.driver_starts().begin()->first;
    if (!any_life) last_life_ = first_started;
    first_life_ = any_life ? std::min(first_life_, first_started) : first_started;
  }
  for (const auto& [life, batches] : ledger.life_batches()) {
    std::optional<sim::Instant> first = batches.first_recovered;
    if (life != first_life_ && batches.first_allocated) first = batches.first_allocated;
    if (first && (!first_recovered_ || *first < *first_recovered_)) {
      first_recovered_ = first;
      first_recovered_life_ = life;
    }
  }
  last_first_delivery_ = ledger.last_first_delivery();
}

void RunView::BuildSegments() {
  segments_.push_back(Segment{facts_.zero_time, {}, std::nullopt});
  for (const auto& [life, batches] : facts_.ledger->life_batches()) {
    if (!batches.first_time) continue;
    const bool fresh = life != first_life_ && !life_recovered_.contains(life);
    if (fresh) segments_.push_back(Segment{*batches.first_time - interval(), {}, std::nullopt});
    Segment& segment = segments_.back();
    segment.lives.push_back(life);
    if (!segment.last_time || *segment.last_time < *batches.last_time) {
      segment.last_time = batches.last_time;
    }
  }
}

bool RunView::SucceededIn(int life, sim::Instant t) const {
  const auto at = outcomes_.find(t);
  if (at == outcomes_.end()) return false;
  const auto outcome = at->second.find(life);
  return outcome != at->second.end() && outcome->second.empty();
}

bool RunView::Succeeded(sim::Instant t) const {
  if (Settled(t) && !outcomes_.contains(t)) return true;  // a failed batch's outcomes stay
  const auto at = outcomes_.find(t);
  if (at == outcomes_.end()) return false;
  return std::any_of(at->second.begin(), at->second.end(),
                     [](const auto& outcome) { return outcome.second.empty(); });
}

bool RunView::AnyFailed(sim::Instant t) const {
  const auto at = outcomes_.find(t);
  if (at == outcomes_.end()) return false;
  return std::any_of(at->second.begin(), at->second.end(),
                     [](const auto& outcome) { return !outcome.second.empty(); });
}

bool RunView::FinishedIn(int life, sim::Instant t) const {
  const auto at = outcomes_.find(t);
  return at != outcomes_.end() && at->second.contains(life);
}

std::optional<std::string> RunView::Failure(sim::Instant t) const {
  if (Succeeded(t)) return std::nullopt;
  const auto at = outcomes_.find(t);
  if (at == outcomes_.end() || at->second.empty()) return std::nullopt;
  return at->second.rbegin()->second;  // the latest life's
}

bool RunView::Counts(int life, sim::Instant t) const {
  if (FinishedIn(life, t)) return true;
  // Still running when the run was cut: the last life, alive at the end.
  return life == last_life_ && !facts_.application_down_at_end;
}

std::optional<int> RunView::InputLife(sim::Instant t) const {
  const auto at = allocations_.find(t);
  if (at == allocations_.end()) return std::nullopt;
  for (auto life = at->second.rbegin(); life != at->second.rend(); ++life) {
    if (SucceededIn(life->first, t)) return life->first;
  }
  return at->second.rbegin()->first;
}

bool RunView::Generated(sim::Instant t) const {
  return Settled(t) || allocations_.contains(t) || outcomes_.contains(t);
}

bool RunView::AnyBatchAfter(sim::Instant t) const {
  return last_generated_ && *last_generated_ > t;
}

size_t RunView::SegmentAt(sim::Instant t) const {
  size_t index = 0;
  for (size_t i = 1; i < segments_.size(); ++i) {
    if (segments_[i].zero_time < t) index = i;
  }
  return index;
}

bool RunView::OnGrid(sim::Instant t) const {
  const Segment& segment = segments_[SegmentAt(t)];
  return t > segment.zero_time && (t - segment.zero_time) % interval() == sim::Duration{};
}

sim::Instant RunView::DueBatch(sim::Instant record_time) const {
  const Segment& segment = segments_[SegmentAt(record_time)];
  return GridCeiling(segment.zero_time, interval(), record_time + interval());
}

const FaultEvent* RunView::NearestFault(std::optional<sim::Instant> t) const {
  if (!t) return nullptr;
  const FaultEvent* nearest = nullptr;
  for (const FaultEvent& fault : facts_.faults) {
    if (fault.at <= *t && (nearest == nullptr || nearest->at <= fault.at)) nearest = &fault;
  }
  return nearest;
}

std::string RunView::SourceName(int32_t source) const {
  const std::vector<std::string>& names = ledger().sources();
  if (source >= 0 && static_cast<size_t>(source) < names.size()) {
    return names[static_cast<size_t>(source)];
  }
  return "source#" + std::to_string(source);
}

std::string RunView::RecordName(const ledger::RecordId& id) const {
  return SourceName(id.source) + "/" + std::to_string(id.partition) + "/" +
         std::to_string(id.sequence);
}

std::string RunView::SourceOfAllocation(const ledger::BatchAllocation& allocation) const {
  const std::vector<std::string>& sources = facts_.pipeline.sources;
  if (std::find(sources.begin(), sources.end(), allocation.input) != sources.end()) {
    return allocation.input;
  }
  if (!allocation.records.empty()) {
    const std::string name = SourceName(allocation.records.front().source);
    if (std::find(sources.begin(), sources.end(), name) != sources.end()) return name;
  }
  return allocation.input;
}

void Tally::Add(sim::Instant batch, int64_t how_many, const std::vector<std::string>& more) {
  count += how_many;
  batches.insert(batch);
  AddExamples(more);
}

void Tally::AddExamples(const std::vector<std::string>& more) {
  for (const std::string& example : more) {
    const bool known = std::find(examples.begin(), examples.end(), example) != examples.end();
    if (examples.size() < kExamplesMax && !known) examples.push_back(example);
  }
}

void Tally::Merge(const Tally& other) {
  if (batches.empty()) happened_at = other.happened_at;
  count += other.count;
  batches.insert(other.batches.begin(), other.batches.end());
  AddExamples(other.examples);
}

Finding NewFinding(const RunView& run, std::string check, std::string problem,
                   std::string subject_kind, std::string subject, const Tally& tally) {
  Finding finding;
  finding.check = std::move(check);
  finding.problem = std::move(problem);
  finding.subject_kind = std::move(subject_kind);
  finding.subject = std::move(subject);
  if (!tally.batches.empty()) finding.batch_time = *tally.batches.begin();
  finding.count = tally.count;
  finding.examples = tally.examples;
  const bool later =
      tally.happened_at && finding.batch_time && *tally.happened_at > *finding.batch_time;
  const FaultEvent* nearest = run.NearestFault(later ? tally.happened_at : finding.batch_time);
  if (nearest != nullptr) finding.nearest_fault = DescribeFault(*nearest);
  return finding;
}

const SourceConfiguration* FindSource(const GuaranteeConfiguration& configuration,
                                      const std::string& source) {
  for (const SourceConfiguration& candidate : configuration.sources) {
    if (candidate.name == source) return &candidate;
  }
  return nullptr;
}

bool DeliveryAcknowledges(const GuaranteeConfiguration& configuration, const std::string& source) {
  const SourceConfiguration* found = FindSource(configuration, source);
  return found == nullptr || !(found->receiver_based && found->reliable);
}

std::optional<sim::Instant> RunView::FirstRecoveryRestart() const {
  if (!first_recovered_) return std::nullopt;
  const auto start = ledger().driver_starts().find(first_recovered_life_);
  if (start == ledger().driver_starts().end()) return std::nullopt;
  return start->second;
}

}  // namespace streamsim::checker::check
