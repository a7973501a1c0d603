// Speed benchmarks of issue 2 (figures and method in docs/performance.md):
//  - the chapter's example (socket, filter "error", print) for one simulated hour at 200 lines/s;
//  - a socket word count at 10,000 lines/s for 10 simulated minutes on 4 workers x 2 cores, with
//    the simulated-to-wall time ratio as a counter;
//  - the stateless path (map, filter, reduceByKey) in records per second, next to a hand-written
//    C++ loop doing the same work on the same records, with their ratio measured in the same run.
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <string>

#include "engine/streaming/streaming_context.h"
#include "harness/simulation.h"
#include "scenarios/loader.h"

namespace {

using namespace streamsim;

class NullListener : public engine::OutputListener {};

scenarios::Scenario Load(const std::string& text) {
  scenarios::LoadResult<scenarios::Scenario> loaded =
      scenarios::LoadScenarioText(text, "bench.yaml");
  if (!loaded.ok()) throw std::runtime_error(loaded.error().ToString());
  return std::move(loaded.value());
}

// Runs a scenario to its stop; returns the simulated seconds it covered.
double RunScenario(const scenarios::Scenario& scenario) {
  NullListener listener;
  scenarios::LoadError error;
  auto built = harness::Simulation::Build(scenario, {}, &listener);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  if (!simulation || !simulation->Run().ok()) throw std::runtime_error("scenario failed");
  return simulation->world().Now().us / 1e6;
}

const char* kChapterExampleHour = R"yaml(
name: chapter-example-hour
stop: {after: 1h}
streaming: {batch_interval: 1s}
cluster: {workers: 2, cores: 2}
sources:
  lines: {kind: socket, port: 7777, rate: 200/s, generator: {kind: log_lines, error_share: 0.05}}
streams:
  errorLines: {from: lines, ops: [{filter: 'contains(x, "error")'}]}
outputs:
  - {stream: errorLines, print: 10}
)yaml";

const char* kWordCountTenMinutes = R"yaml(
name: word-count-10k
stop: {after: 10m}
streaming: {batch_interval: 1s}
cluster: {workers: 4, cores: 2}
sources:
  lines: {kind: socket, port: 7777, rate: 10000/s, generator: {kind: words, words_per_line: 5}}
streams:
  counts: {from: lines, ops: [{flatMap: 'split(x, " ")'}, {map: "(x, 1)"}, {reduceByKey: "a + b"}]}
outputs:
  - {stream: counts, print: 10}
)yaml";

void BM_ChapterExampleOneSimulatedHour(benchmark::State& state) {
  const scenarios::Scenario scenario = Load(kChapterExampleHour);
  double simulated_s = 0;
  for (auto _ : state) simulated_s = RunScenario(scenario);
  state.counters["simulated_s"] = simulated_s;
}
BENCHMARK(BM_ChapterExampleOneSimulatedHour)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_SocketWordCount10kTenMinutes(benchmark::State& state) {
  const scenarios::Scenario scenario = Load(kWordCountTenMinutes);
  double simulated_s = 0;
  double wall_s = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    simulated_s = RunScenario(scenario);
    wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["simulated_s"] = simulated_s;
  state.counters["simulated_per_wall"] = simulated_s / wall_s;
}
BENCHMARK(BM_SocketWordCount10kTenMinutes)->Unit(benchmark::kMillisecond)->Iterations(1);

// The stateless path on `records` lines of five words: flatMap split, filter, map to pairs,
// reduceByKey — through the engine (queueStream, 4 partitions, 1 batch) and by hand.
records::Values MakeLines(int64_t records) {
  const char* words[] = {"spark", "stream", "batch", "error", "window", "state", "block", "task"};
  records::Values lines;
  for (int64_t i = 0; i < records; ++i) {
    std::string line;
    for (int w = 0; w < 5; ++w) line += std::string(w ? " " : "") + words[(i * 7 + w * 3) % 8];
    lines.push_back(records::Value::String(line));
  }
  return lines;
}

records::Expression Parse(const char* text) {
  auto parsed = records::Expression::Parse(text);
  if (!parsed.ok()) throw std::runtime_error(text);
  return std::move(parsed.value());
}

class CountingListener : public engine::OutputListener {
 public:
  void OnCollect(const std::string&, int64_t, const records::Values& records) override {
    keys += static_cast<int64_t>(records.size());
  }
  int64_t keys = 0;
};

double EngineStatelessSeconds(const records::Values& lines) {
  const auto start = std::chrono::steady_clock::now();
  sim::World world(1);
  engine::StreamingConfig config;
  config.stop_after_batches = 1;
  CountingListener listener;
  engine::StreamingContext context(&world, config, engine::CostModel{}, &listener);
  engine::DStream* input = context.QueueStream("lines", {lines}, 4, true);
  using engine::Operator;
  using engine::OperatorKind;
  std::vector<Operator> chain = {Operator(OperatorKind::kFlatMap, Parse("split(x, \" \")")),
                                 Operator(OperatorKind::kFilter, Parse("x != \"error\"")),
                                 Operator(OperatorKind::kMap, Parse("(x, 1)")),
                                 Operator(OperatorKind::kReduceByKey, Parse("a + b"))};
  engine::DStream* counts = context.Transform("counts", {input}, chain);
  engine::OutputOperation collect;
  collect.kind = engine::OutputOperation::Kind::kCollect;
  collect.stream = counts;
  collect.name = "counts";
  context.AddOutput(collect);
  if (!context.Start().ok()) throw std::runtime_error("start failed");
  while (!context.terminated() && world.loop().RunNext()) {
  }
  if (listener.keys != 7) throw std::runtime_error("engine result wrong");
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double HandWrittenSeconds(const records::Values& lines) {
  const auto start = std::chrono::steady_clock::now();
  std::map<std::string, int64_t> counts;
  for (const records::Value& line : lines) {
    const std::string& text = line.AsString();
    size_t begin = 0;
    while (begin <= text.size()) {
      size_t end = text.find(' ', begin);
      if (end == std::string::npos) end = text.size();
      std::string word = text.substr(begin, end - begin);
      if (word != "error") ++counts[word];
      begin = end + 1;
    }
  }
  if (counts.size() != 7) throw std::runtime_error("hand-written result wrong");
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_StatelessPathVersusHandWritten(benchmark::State& state) {
  const records::Values lines = MakeLines(state.range(0));
  double engine_s = 0;
  double hand_s = 0;
  for (auto _ : state) {
    engine_s = EngineStatelessSeconds(lines);
    hand_s = HandWrittenSeconds(lines);
  }
  const double records = static_cast<double>(lines.size());
  state.counters["engine_records_per_s"] = records / engine_s;
  state.counters["hand_records_per_s"] = records / hand_s;
  state.counters["engine_over_hand_time"] = engine_s / hand_s;
}
BENCHMARK(BM_StatelessPathVersusHandWritten)
    ->Arg(200000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
