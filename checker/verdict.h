// Verdicts: the one word a run ends with, and the guarantees a scenario can expect. A verdict is
// the weakest thing the checker observed; a guarantee is what the configuration promises (the
// guarantee calculator) or what the scenario expects (`expect: {guarantee: ...}`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace streamsim::checker {

enum class Verdict {
  kExactlyOnce,         // every acknowledged record counted once, sinks equal the oracle
  kAtLeastOnce,         // duplicates, no loss
  kAtMostOnce,          // loss, no duplicates
  kLossAndDuplication,  // both
  kStateDivergence,     // after a recovery, state differs from the oracle's
  kLivenessFailure,     // batches up to the stop did not all complete
};

enum class Guarantee { kExactlyOnce, kAtLeastOnce, kAtMostOnce, kNone };

std::string_view VerdictName(Verdict verdict);  // "exactly-once", ...
std::optional<Verdict> ParseVerdict(std::string_view name);
std::string_view GuaranteeName(Guarantee guarantee);  // "exactly-once", ..., "none"
std::optional<Guarantee> ParseGuarantee(std::string_view name);
// Whether a run with this verdict kept the guarantee: exactly-once keeps every guarantee;
// at-least-once keeps at-least-once; at-most-once keeps at-most-once; nothing else keeps any.
bool Satisfies(Verdict verdict, Guarantee expected);

}  // namespace streamsim::checker
