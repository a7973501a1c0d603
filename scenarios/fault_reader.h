// Reading the `faults:` section: either a list of concrete faults, each a flow mapping with `at`
// and one of `crash`, `pause`, `partition`, `network`, `storage`, `down` —
//   - {at: 10s, crash: worker/1, restart_after: 5s}
//   - {at: 50s, pause: worker/0, for: 2s}
//   - {at: 60s, partition: [[driver], [worker/1]], for: 5s}
//   - {at: 70s, network: {loss: 0.2, extra_latency: 50ms}, for: 10s}
//   - {at: 80s, storage: refuse_writes, for: 5s}        (slow takes extra_latency; torn_writes)
//   - {at: 90s, down: kafka/events, for: 10s}
// — or a random schedule: `faults: {random: {kinds: [...], mean_interval: 20s, start, until,
// restart_after, for}}`. Internal to the loader; docs/scenarios.md documents the spelling.
#pragma once

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// Reads the section into scenario->faults (sorted by `at`; faults at the same time keep their
// file order) or scenario->random_faults. Throws LoadFailure on an unknown key, a missing `at`,
// no or two fault kinds in one mapping, an unknown crash target, a `restart_after` or `for` that
// is not greater than 0, and on values out of range (loss in [0, 1]).
void ReadFaultsSection(const YamlContext& context, const YamlField& faults, Scenario* scenario);

}  // namespace streamsim::scenarios
