// The check as the run goes: batches that nothing can change any more are checked as soon as
// they are final, and what the ledger kept of them and of their records is let go, so that a
// run's memory follows what is still open, not its length. CheckRun at the end carries on from
// what was settled (RunFacts.settled) and gives the report checking the whole run at once would
// give: settling changes when a batch is checked, never what is concluded.
//
// A batch time t settles when nothing can change it any more and its check is local:
//  - some life finished t (successfully, or with a failed job: Spark does not run it again, and
//    its outcomes stay in the ledger for the final check), and every life that allocated t
//    finished it or was replaced (a later life exists);
//  - no window can still compute its input at t for the first time: the life's segment has
//    generated a batch the pipeline's windows' lengths and slides after t, or a later segment
//    began (the engine records an input's allocation when a stream first computes it);
//  - no life can run t again: without a checkpoint directory a restarted driver starts afresh, on
//    batch times after its start; with one, t is before every batch a driver recovering from any
//    metadata checkpoint in place would run again (its pending batches, the batches from its
//    checkpoint time on, that time included), read from the durable metadata as the checker decodes
//    it (a checkpoint still being written was made when t was done: it does not hold t pending),
//    and there is a checkpoint in place;
//  - every allocation of t holds what the driver made durable for it (no check 0 divergence);
//  - none of its allocations missed records (check 1's unavailable loss, check 2's taint);
//  - every record it was given was produced, and none was given to a settled batch of the same
//    input before or twice in t by one life (a duplication stays for the final check to report);
//    lives that ran t again gave the records any of them gave (check 1 counts a batch time once).
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
#include "checker/durable_batch_ledger.h"
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
  // run's (facts.ledger) and `durable` the reader of facts.durable_batch_ledger (null without
  // one), which this check retires from.
  RunningCheck(RunFacts facts, ledger::Ledger* ledger, DurableMetadataReader* durable);
  RunningCheck(const RunningCheck&) = delete;
  RunningCheck& operator=(const RunningCheck&) = delete;

  // Settles every batch time that can be, in order, at simulated time `now`.
  void Advance(sim::Instant now);
  // The facts, for the harness to bring up to date before Advance (receivers and files that
  // appeared since).
  RunFacts& facts() { return facts_; }
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
  // The earliest batch a driver recovering from a checkpoint in place would run again; absent
  // when nothing bounds it (no checkpoint directory).
  std::optional<sim::Instant> RerunBound() const;
  // Forgets the blocks of `t`'s receiver inputs' allocations.
  void ForgetBlocks(const check::RunView& run, sim::Instant t);
  void RetireRecords();

  RunFacts facts_;
  ledger::Ledger* ledger_;
  DurableMetadataReader* durable_;
  SettledPart settled_;
  // How long after a batch time its input may still be computed first (windows).
  sim::Duration look_back_;
  // Advance calls to skip before the next attempt, and how many were skipped last time.
  int64_t ticks_to_wait_ = 0;
  int64_t patience_ = 0;
};

}  // namespace streamsim::checker
