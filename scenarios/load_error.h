// LoadError: why a scenario file was rejected, and where. Every error the loader and the validator
// report names the file and the 1-based line and column of the offending YAML node, so that the
// CLI can print it the way compilers do ("scenarios/x.yaml:12:7: unknown key 'workrs' in cluster")
// and editors can jump to it.
#pragma once

#include <string>

#include "base/expected.h"
#include "scenarios/scenario.h"

namespace streamsim::scenarios {

struct LoadError {
  Position position;
  std::string message;

  // "file:line:col: message"; "file: message" when the error has no line (line 0: the file could
  // not be read at all).
  std::string ToString() const;
};

// A loaded value or the load error that stopped it (file:line:col): what the loader returns.
template <typename T>
using LoadResult = base::Expected<T, LoadError>;

}  // namespace streamsim::scenarios
