// The run as the checks see it (internal to checker/check*.cc): the ledgers' allocations and
// outcomes indexed by batch time and driver life, which allocations count, the driver lives'
// batch grids (segments), and the lookups every check shares — record names, the nearest fault,
// the batch a record was due in. Built once per CheckRun from RunFacts; never changes after.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/durable_batch_ledger.h"
#include "ledger/ledger.h"
#include "simulator/time.h"

namespace streamsim::checker::check {

// A run of driver lives on one batch grid: the first life and the lives that recovered from a
// checkpoint after it, or a life that started afresh and those that recovered after it.
struct Segment {
  sim::Instant zero_time;
  std::vector<int> lives;                 // ascending
  std::optional<sim::Instant> last_time;  // the latest batch time its lives allocated or finished
};

// A batch a life ran on other records than the driver made durable for it (check.h, check 0).
struct BatchLedgerMismatch {
  int driver_life = 0;
  sim::Instant batch_time;
  std::string input;
  ledger::RecordIds ran_only;      // in the ledger's allocation, not in the durable one
  ledger::RecordIds durable_only;  // in the durable allocation, not in the ledger's
  std::string where;               // the durable file, "" when nothing was durable
};

// Per batch time, per driver life, that life's allocations at that time in ledger order.
using AllocationIndex =
    std::map<sim::Instant, std::map<int, std::vector<const ledger::BatchAllocation*>>>;

class RunView {
 public:
  // REQUIRES: facts.ledger is not null and the batch interval is positive (aborts otherwise).
  explicit RunView(const RunFacts& facts);

  const RunFacts& facts() const { return facts_; }
  const ledger::Ledger& ledger() const { return *facts_.ledger; }
  sim::Duration interval() const { return facts_.pipeline.batch_interval; }
  // The batch ledger: the ledger's allocations, with the records of receiver inputs' allocations
  // read from the driver's durable metadata when the run has it (check.h).
  const AllocationIndex& allocations() const { return allocations_; }
  const std::vector<BatchLedgerMismatch>& batch_ledger_mismatches() const { return mismatches_; }
  const std::vector<Segment>& segments() const { return segments_; }
  int last_life() const { return last_life_; }

  // The latest batch time settled while the run went (RunFacts.settled): every batch time at or
  // before it finished and was checked, and its allocations, emissions and (unless one failed)
  // outcomes are gone from the ledger. Absent when nothing was settled.
  std::optional<sim::Instant> SettledUntil() const { return settled_until_; }
  bool Settled(sim::Instant t) const { return settled_until_ && t <= *settled_until_; }

  // Whether some life finished `t` with every job successful (a settled time did, unless it
  // failed).
  bool Succeeded(sim::Instant t) const;
  bool SucceededIn(int life, sim::Instant t) const;
  // Whether that life has an outcome for `t`, successful or not.
  bool FinishedIn(int life, sim::Instant t) const;
  // Whether some life finished `t` with a failed job.
  bool AnyFailed(sim::Instant t) const;
  // The failure message of the latest life whose batch `t` failed, when no life succeeded.
  std::optional<std::string> Failure(sim::Instant t) const;
  // Whether the allocations of (life, t) count for acknowledged-once (check.h, check 1).
  bool Counts(int life, sim::Instant t) const;
  // The life whose allocation is batch `t`'s input for the oracle: the latest that finished it
  // successfully, else the latest that allocated it.
  std::optional<int> InputLife(sim::Instant t) const;
  // Whether some life allocated or finished a batch at a time after `t`.
  bool AnyBatchAfter(sim::Instant t) const;
  // Whether some life allocated or finished `t`.
  bool Generated(sim::Instant t) const;
  // Whether that life finished any batch, successfully or not.
  bool FinishedAny(int life) const { return lives_with_outcomes_.contains(life); }
  // The latest first delivery of any record; absent when none was delivered.
  std::optional<sim::Instant> LastFirstDelivery() const { return last_first_delivery_; }
  // The latest batch time any life allocated, and any life allocated or finished.
  std::optional<sim::Instant> LastAllocated() const { return last_allocated_; }
  std::optional<sim::Instant> LastGenerated() const { return last_generated_; }
  // The first batch time a recovered allocation or a life after the first allocated.
  std::optional<sim::Instant> FirstRecovered() const { return first_recovered_; }
  // When the driver life that allocated FirstRecovered() started (the restart that recovered);
  // absent when the ledger does not say.
  std::optional<sim::Instant> FirstRecoveryRestart() const;

  // The index of the segment holding time `t`: the latest whose zero time is before `t`.
  size_t SegmentAt(sim::Instant t) const;
  // Whether `t` lies on its segment's grid (after its zero time).
  bool OnGrid(sim::Instant t) const;
  // The batch that should have held a record of time `record_time` at the latest: the first time
  // on its segment's grid at least one interval after it.
  sim::Instant DueBatch(sim::Instant record_time) const;
  // The latest fault at or before `t`; null when none (or when `t` is absent).
  const FaultEvent* NearestFault(std::optional<sim::Instant> t) const;

  // The source's name from the ledger ("source#3" for an index it does not know).
  std::string SourceName(int32_t source) const;
  // "events/0/340".
  std::string RecordName(const ledger::RecordId& id) const;
  // The pipeline source an allocation feeds: its input's name when the pipeline has such a
  // source, else the ledger name of its first record's source, else the input's name.
  std::string SourceOfAllocation(const ledger::BatchAllocation& allocation) const;

 private:
  void IndexLedger();
  void BuildSegments();
  // `allocation`, or a copy with the records the durable metadata gave its batch.
  const ledger::BatchAllocation* FromDurable(const ledger::BatchAllocation& allocation);
  // What the durable metadata gave `allocation`'s batch of its input (records empty and `where`
  // "" when a receiver input's batch had nothing durable); absent when there is nothing to
  // compare (an input with no durable metadata, a direct batch not checkpointed).
  struct DurableInput {
    ledger::RecordIds records;
    std::string where;
  };
  std::optional<DurableInput> DurableRecordsOf(const ledger::BatchAllocation& allocation) const;
  DurableInput FileRecordsOf(const DurableFiles& files) const;

  const RunFacts& facts_;
  const DurableBatchLedger* durable_ = nullptr;
  std::map<std::string, int> receiver_stream_ids_;      // input name -> stream id
  std::deque<ledger::BatchAllocation> durable_copies_;  // stable addresses
  std::vector<BatchLedgerMismatch> mismatches_;
  AllocationIndex allocations_;
  std::map<sim::Instant, std::map<int, std::string>> outcomes_;  // t -> life -> failure
  std::map<int, bool> life_recovered_;  // a life with a recovered allocation
  std::set<int> lives_with_outcomes_;
  std::optional<sim::Instant> settled_until_;
  std::optional<sim::Instant> last_first_delivery_;
  std::vector<Segment> segments_;
  int first_life_ = 0;
  int last_life_ = 0;
  std::optional<sim::Instant> last_allocated_;
  std::optional<sim::Instant> last_generated_;
  std::optional<sim::Instant> first_recovered_;
  int first_recovered_life_ = 0;
};

// The record times a source's records are expected by: whether being handed to the system is its
// acknowledgement (every source but a reliable receiver's, and any the configuration does not
// name).
bool DeliveryAcknowledges(const GuaranteeConfiguration& configuration, const std::string& source);
// The configuration of a source, null when it names none of that name.
const SourceConfiguration* FindSource(const GuaranteeConfiguration& configuration,
                                      const std::string& source);

// How many, in which batches and a few examples, of one finding while a check runs.
inline constexpr size_t kExamplesMax = 3;
struct Tally {
  int64_t count = 0;
  std::set<sim::Instant> batches;
  std::vector<std::string> examples;  // the first kExamplesMax distinct ones added
  // When the first problem happened, if later than its batch time (an output emitted again after
  // a recovery): the nearest fault is looked up at this time instead.
  std::optional<sim::Instant> happened_at;

  void Add(sim::Instant batch, int64_t how_many, const std::vector<std::string>& more = {});
  // Adds `other`'s count, batches and examples (after this one's), as if its Adds came after
  // this one's; happened_at stays this one's unless it has no batch yet.
  void Merge(const Tally& other);

 private:
  void AddExamples(const std::vector<std::string>& more);
};

// A finding of `tally`: batch_time its first batch, count, examples, and the nearest fault before
// the first batch (before tally.happened_at, when set). The caller writes the message and the
// prevention.
Finding NewFinding(const RunView& run, std::string check, std::string problem,
                   std::string subject_kind, std::string subject, const Tally& tally);

// The checks of check.h, each in its own file: 0 (check_batch_ledger.cc), 1 (check_records.cc),
// 2 and 3 (check_outputs.cc), 4 (check_liveness.cc). Each returns its findings in a deterministic
// order.
std::vector<Finding> CheckBatchLedger(const RunView& run);
std::vector<Finding> CheckAcknowledgedOnce(const RunView& run);
std::vector<Finding> CheckOutputs(const RunView& run);
std::vector<Finding> CheckLiveness(const RunView& run);

// Checks 2 and 3 as batches settle (check_outputs.cc): the oracle and the tallies carried from one
// settled batch time to the next and on to CheckOutputs at the end.
class OutputChecks;
std::shared_ptr<OutputChecks> NewOutputChecks(const RunView& run);
// Compares every output at the batch times in (after, until], which are settling. REQUIRES: `run`
// sees the ledger as it is now, those times still in it.
void SettleOutputs(OutputChecks& checks, const RunView& run, std::optional<sim::Instant> after,
                   sim::Instant until);

}  // namespace streamsim::checker::check
