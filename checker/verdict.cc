// Verdict and guarantee names, and which verdict keeps which guarantee.
#include "checker/verdict.h"

#include <array>
#include <utility>

namespace streamsim::checker {
namespace {

constexpr std::array<std::pair<Verdict, std::string_view>, 6> kVerdictNames = {{
    {Verdict::kExactlyOnce, "exactly-once"},
    {Verdict::kAtLeastOnce, "at-least-once"},
    {Verdict::kAtMostOnce, "at-most-once"},
    {Verdict::kLossAndDuplication, "loss-and-duplication"},
    {Verdict::kStateDivergence, "state-divergence"},
    {Verdict::kLivenessFailure, "liveness-failure"},
}};

constexpr std::array<std::pair<Guarantee, std::string_view>, 4> kGuaranteeNames = {{
    {Guarantee::kExactlyOnce, "exactly-once"},
    {Guarantee::kAtLeastOnce, "at-least-once"},
    {Guarantee::kAtMostOnce, "at-most-once"},
    {Guarantee::kNone, "none"},
}};

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  for (const auto& [value, name] : kVerdictNames) {
    if (value == verdict) return name;
  }
  return "unknown";
}

std::optional<Verdict> ParseVerdict(std::string_view name) {
  for (const auto& [value, text] : kVerdictNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string_view GuaranteeName(Guarantee guarantee) {
  for (const auto& [value, name] : kGuaranteeNames) {
    if (value == guarantee) return name;
  }
  return "unknown";
}

std::optional<Guarantee> ParseGuarantee(std::string_view name) {
  for (const auto& [value, text] : kGuaranteeNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

bool Satisfies(Verdict verdict, Guarantee expected) {
  switch (expected) {
    case Guarantee::kNone:
      return true;
    case Guarantee::kExactlyOnce:
      return verdict == Verdict::kExactlyOnce;
    case Guarantee::kAtLeastOnce:
      return verdict == Verdict::kExactlyOnce || verdict == Verdict::kAtLeastOnce;
    case Guarantee::kAtMostOnce:
      return verdict == Verdict::kExactlyOnce || verdict == Verdict::kAtMostOnce;
  }
  return false;
}

}  // namespace streamsim::checker
