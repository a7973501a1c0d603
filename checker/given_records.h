// Which batches each record was given to (checker/check.h, check 1), as stretches of sequences
// given alike rather than as one entry per record: allocations hold runs of consecutive
// sequences, so a run of any length costs the same. Internal to checker/check*.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "checker/check_run.h"
#include "simulator/time.h"

namespace streamsim::checker::check {

// Sequences [from, until) of one (source, partition), each given to the same batches by the
// allocations that count (RunView::Counts).
struct GivenStretch {
  int32_t source = 0;
  int32_t partition = 0;
  int64_t from = 0;
  int64_t until = 0;
  sim::Instant first_batch;  // the first batch time any input was given them at
  // For the first input (by name) given them more than once — in two batch times, or twice in
  // one by one life — the second batch time (the first, when that one held two copies). A later
  // life re-running the same batch time gives the same batch, not a second copy.
  std::optional<sim::Instant> duplicated_at;
};

// Consecutive sequences [from, until) of one (source, partition) among record ids.
struct IdRun {
  std::pair<int32_t, int32_t> key;
  int64_t from = 0;
  int64_t until = 0;
};
// The runs of `ids` in their order: a new run starts wherever the next id is not the next
// sequence of the same partition.
std::vector<IdRun> RunsOf(const ledger::RecordIds& ids);

// Every stretch, in (source, partition, from) order; sequences no counting allocation holds are
// in none.
std::vector<GivenStretch> GivenStretches(const RunView& run);

}  // namespace streamsim::checker::check
