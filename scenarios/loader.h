// Loading scenario files: YAML text in, a validated Scenario (scenario.h) out, or the first
// problem with its file, line and column. The format is documented in docs/scenarios.md. Loading
// never throws and never crashes on bad input: every yaml-cpp exception is caught here and turned
// into a LoadError, so the CLI can exit with code 2 and a message naming the place.
#pragma once

#include <string>

#include "scenarios/load_error.h"
#include "scenarios/scenario.h"

namespace streamsim::scenarios {

// Reads and loads the file at `path`: the scenario, or the first error found; a file that cannot
// be read (missing, unreadable, over 16 MiB) gives position {path, 0, 0} and "cannot read file".
LoadResult<Scenario> LoadScenarioFile(const std::string& path);

// Loads a scenario from `text`; `file_name` is used in positions and, when the scenario has no
// `name:`, its stem becomes the name. Same contract as LoadScenarioFile.
LoadResult<Scenario> LoadScenarioText(const std::string& text, const std::string& file_name);

}  // namespace streamsim::scenarios
