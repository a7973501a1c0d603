// Helpers shared by the loader tests: load a scenario text as "t.yaml" and report its first error
// (or "loaded"), or the loaded model; and wrap one source line into a complete scenario.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "scenarios/loader.h"

namespace streamsim::scenarios::testing {

inline std::string ErrorOf(const std::string& yaml) {
  const LoadResult<Scenario> loaded = LoadScenarioText(yaml, "t.yaml");
  return loaded.ok() ? "loaded" : loaded.error().ToString();
}

inline Scenario Loaded(const std::string& yaml) {
  LoadResult<Scenario> loaded = LoadScenarioText(yaml, "t.yaml");
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
  return loaded.ok() ? std::move(loaded.value()) : Scenario{};
}

// A source line under `sources:` with an output printing `stream`, so the scenario is complete.
inline std::string WithSource(const std::string& source_line, const std::string& stream = "s") {
  return "sources:\n" + source_line + "\noutputs:\n  - {stream: " + stream + ", print: true}\n";
}

}  // namespace streamsim::scenarios::testing
