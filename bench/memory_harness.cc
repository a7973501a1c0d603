// Memory harness (issue 3): runs a windowed and stateful pipeline for a given simulated duration
// and prints the process's peak resident memory, so that a 24-simulated-hour run can be compared
// with a 1-hour run (each in its own process: peak RSS is per process). Also prints what must
// stay flat: lineage depth of the stateful streams' newest RDDs, remembered RDDs, cached and
// received blocks, bytes in the durable store.
//   usage: memory_harness DURATION     e.g. memory_harness 1h; memory_harness 24h
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "engine/streaming/streaming_context.h"
#include "harness/simulation.h"
#include "scenarios/loader.h"

namespace {

using namespace streamsim;

const char* kPipeline = R"yaml(
name: memory-24h
stop: {after: 1h}
streaming: {batch_interval: 1s, checkpoint: {dir: checkpoints/memory}}
cluster: {workers: 2, cores: 2}
sources:
  logs: {kind: socket, port: 7777, rate: 50/s, generator: {kind: access_log, ips: 50}}
streams:
  pairs: {from: logs, ops: [{map: '(split(x, " ")[0], 1)'}]}
  ipWindow:
    from: pairs
    ops: [{reduceByKeyAndWindow: {func: "a + b", inverse: "a - b", window: 30s, slide: 10s, filter: "v != 0"}}]
  statusTotals:
    from: logs
    ops:
      - {map: '(split(x, " ")[6], 1)'}
      - {updateStateByKey: "if(len(values) == 0, state, sum(values) + if(state == null, 0, state))"}
outputs:
  - {stream: ipWindow, print: 3}
  - {stream: statusTotals, print: 3}
)yaml";

long PeakRssKilobytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: memory_harness DURATION (e.g. 1h, 24h)\n");
    return 2;
  }
  sim::Duration duration;
  if (!sim::ParseDuration(argv[1], &duration)) {
    std::fprintf(stderr, "memory_harness: not a duration: %s\n", argv[1]);
    return 2;
  }
  const scenarios::LoadResult<scenarios::Scenario> loaded =
      scenarios::LoadScenarioText(kPipeline, "memory.yaml");
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.error().ToString().c_str());
    return 3;
  }
  const scenarios::Scenario& scenario = loaded.value();
  scenarios::LoadError error;
  harness::RunOptions options;
  options.stop_after = duration;
  engine::OutputListener silent;
  auto built = harness::Simulation::Build(scenario, options, &silent);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  const auto start = std::chrono::steady_clock::now();
  if (!simulation || !simulation->Run().ok()) return 3;
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const engine::StreamingContext& context = simulation->context();
  int lineage = 0;
  size_t remembered = 0;
  for (const auto& stream : context.streams()) {
    remembered += stream->remembered_rdds();
    if (stream->must_checkpoint() && !stream->generated().empty()) {
      lineage = std::max(lineage, stream->generated().rbegin()->second->LineageDepth());
    }
  }
  size_t blocks = 0;
  for (const auto& executor : context.cluster().executors) blocks += executor.blocks.size();
  std::printf(
      "simulated_s=%.0f wall_s=%.2f peak_rss_kb=%ld batches_completed=%lld "
      "max_state_lineage_depth=%d remembered_rdds=%zu blocks_in_executors=%zu "
      "storage_files=%zu\n",
      simulation->world().Now().us / 1e6, wall_s, PeakRssKilobytes(),
      static_cast<long long>(context.batches_completed()), lineage, remembered, blocks,
      simulation->world().storage().List("").size());
  return 0;
}
