// Rendering of load errors in the compiler style editors understand.
#include "scenarios/load_error.h"

#include <fmt/format.h>

namespace streamsim::scenarios {

std::string LoadError::ToString() const {
  if (position.line <= 0) return fmt::format("{}: {}", position.file, message);
  return fmt::format("{}:{}:{}: {}", position.file, position.line, position.column, message);
}

}  // namespace streamsim::scenarios
