// Reading the scenario-wide settings: `stop:`, `streaming:`, `cluster:`, `network:` and `cost:`.
// Each section is optional in the file; keys left out keep the model's defaults (scenario.h).
// Internal to the loader.
#pragma once

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// Each throws LoadFailure on an unknown key, a wrong type or a value out of range.
StopSpec ReadStop(const YamlContext& context, const YamlField& field);
StreamingSpec ReadStreaming(const YamlContext& context, const YamlField& field);
ClusterSpec ReadCluster(const YamlContext& context, const YamlField& field);
NetworkSpec ReadNetwork(const YamlContext& context, const YamlField& field);
CostSpec ReadCost(const YamlContext& context, const YamlField& field);

// "1Gbit/s", "100Mbit/s", "125MB/s", "64KB/s", "1000B/s", or a plain integer of bytes per second.
int64_t ReadBandwidthBytesPerSecond(const YamlField& field);

}  // namespace streamsim::scenarios
