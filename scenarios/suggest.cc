// Edit distance and the nearest-name suggestion built on it.
#include "scenarios/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace streamsim::scenarios {
namespace {

bool SameLetter(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

// Levenshtein distance with one row of memory; names are short, so O(n*m) is nothing.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = diagonal + (SameLetter(a[i - 1], b[j - 1]) ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string_view> ClosestName(std::string_view name,
                                            const std::vector<std::string_view>& candidates) {
  const size_t distance_max = std::max<size_t>(1, name.size() / 3);
  std::optional<std::string_view> best;
  size_t best_distance = distance_max + 1;
  for (std::string_view candidate : candidates) {
    const size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view name, const std::vector<std::string_view>& candidates) {
  const std::optional<std::string_view> closest = ClosestName(name, candidates);
  if (!closest.has_value()) return "";
  return fmt::format("; did you mean '{}'?", *closest);
}

}  // namespace streamsim::scenarios
