// What the check settled while the run went (checker/running_check.h), as the final check
// (CheckRun) reads it: the latest settled batch time, the records settled batches were given, and
// the output checks carried on. Internal to checker/.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "simulator/time.h"

namespace streamsim::checker {

namespace check {
class OutputChecks;
}

// Consecutive sequences [from, until) given to settled batches by one input, each once. `t` is
// one of those batches (the latest joined in): every settled batch is before every batch still to
// come, which is all check 1 asks of it.
struct SettledGift {
  int64_t until = 0;
  sim::Instant t;
};
// Per input name, the gifts by `from`, disjoint.
using SettledGifts = std::map<std::string, std::map<int64_t, SettledGift>>;

struct SettledPart {
  // Every batch time at or before it succeeded, was compared and has left the ledger.
  std::optional<sim::Instant> until;
  // Per (source, partition), what settled batches were given.
  std::map<std::pair<int32_t, int32_t>, SettledGifts> gifts;
  // The output checks (check_outputs.cc): their oracle stands at `until`.
  std::shared_ptr<check::OutputChecks> outputs;
};

}  // namespace streamsim::checker
