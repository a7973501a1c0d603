// The check as the run goes: batches that nothing can change any more are checked as soon as
// they are final, and what the ledger kept of them and of their records is let go, so that a
// run's memory follows what is still open, not its length. CheckRun at the end carries on from
// what was settled (RunFacts.settled) and gives the report checking the whole run at once would
// give: settling changes when a batch is checked, never what is concluded.
//
// A batch time t settles when nothing can change it any more and its check is local:
//  - some life finished t successfully, no life's job of t failed, and every life that allocated
//    t finished it or was replaced (a later life exists);
//  - no window can still compute its input at t for the first time: the life's segment has
//    generated a batch the pipeline's windows' lengths and slides after t, or a later segment
//    began (the engine records an input's allocation when a stream first computes it);
//  - no life can run t again: the run has no durable metadata to recover from (without a
//    checkpoint directory a restarted driver starts afresh, on batch times after its start), and
//    a single life allocated t;
//  - none of its allocations missed records (check 1's unavailable loss, check 2's taint);
//  - every record it was given was produced, and none was given to a settled batch of the same
//    input before or twice in t (a duplication stays for the final check to report).
// Batch times settle in order along the segments' grids; the first that cannot stops the settling
// until it can (a failed batch, a duplication or a record loss never can: the run's memory then
// grows again from there, and the final check reports them as after any run). A settled batch is
// compared with the outputs at once (the oracle steps to it), its allocations, outcomes and
// emissions leave the ledger, the records it was given become runs of sequences
// (SettledPart.gifts), and their entries leave the ledger too once given, produced, delivered and
// not dropped.
#pragma once

#include <optional>
#include <vector>

#include "checker/check.h"
#include "checker/settled_part.h"
#include "ledger/ledger.h"
#include "simulator/time.h"

namespace streamsim::checker {

namespace check {
class RunView;
}

class RunningCheck {
 public:
  // `facts` as known when the run starts (its end-of-run fields are not read); `ledger` is the
  // run's (facts.ledger), which this check retires from.
  RunningCheck(RunFacts facts, ledger::Ledger* ledger);
  RunningCheck(const RunningCheck&) = delete;
  RunningCheck& operator=(const RunningCheck&) = delete;

  // Settles every batch time that can be, in order, at simulated time `now`.
  void Advance(sim::Instant now);
  // For RunFacts.settled of the final check.
  const SettledPart& settled() const { return settled_; }

 private:
  // Whether `t` can settle now (the rules above), given what `run` sees.
  bool CanSettle(const check::RunView& run, sim::Instant t) const;
  // The gifts of `t`'s counting allocations added to `settled_`; false (and nothing added) when
  // one is of a record never produced or given to a settled batch before.
  bool AddGifts(const check::RunView& run, sim::Instant t);
  // The next batch time to settle after settled_.until; absent when none was generated yet.
  std::optional<sim::Instant> NextTime(const check::RunView& run) const;
  void RetireRecords();

  RunFacts facts_;
  ledger::Ledger* ledger_;
  SettledPart settled_;
  // How long after a batch time its input may still be computed first (windows).
  sim::Duration look_back_;
};

}  // namespace streamsim::checker
