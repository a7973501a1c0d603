// "Did you mean ...?" for misspelt names: the closest candidate by edit distance, when it is close
// enough to be a likely typo. Used for unknown operators, keys, kinds and stream names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace streamsim::scenarios {

// The candidate nearest to `name` (case-insensitive Levenshtein distance), if that distance is at
// most a third of the name's length (and at least 1). Ties go to the earlier candidate, so the
// answer does not depend on anything but the inputs.
std::optional<std::string_view> ClosestName(std::string_view name,
                                            const std::vector<std::string_view>& candidates);

// "; did you mean 'map'?" when ClosestName finds one, else "".
std::string DidYouMean(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace streamsim::scenarios
