// The oracle against the engine. Each scenario runs in the engine with a collect on every source
// and every stream; the oracle, over the batches the sources' collects saw, must give every
// stream's collected batches exactly (as sorted multisets), and fail exactly the batches the
// engine collected nothing for. Scenarios are small inline ones with queue sources, covering every
// operator family, and shipped ones from scenarios/library (fault-free).
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <string>

#include "checker/oracle.h"
#include "harness/simulation.h"
#include "tests/unit/checker/oracle_test_support.h"

namespace streamsim::checker {
namespace {

using Collected = std::map<std::string, std::map<int64_t, records::Values>>;

class Collector : public engine::OutputListener {
 public:
  void OnCollect(const std::string& output, int64_t batch_time_ms,
                 const records::Values& records) override {
    collected[output][batch_time_ms] = records;
  }
  Collected collected;
};

std::string CollectName(const std::string& stream) { return "oracle:" + stream; }

void CollectEverything(scenarios::Scenario* scenario) {
  auto add = [scenario](const std::string& stream) {
    scenarios::OutputSpec output;
    output.stream = stream;
    output.kind = scenarios::OutputKind::kCollect;
    output.collect_name = CollectName(stream);
    scenario->outputs.push_back(output);
  };
  for (const scenarios::SourceSpec& source : scenario->sources) add(source.name);
  for (const scenarios::StreamSpec& stream : scenario->streams) add(stream.name);
}

Collected RunInEngine(scenarios::Scenario scenario) {
  CollectEverything(&scenario);
  Collector collector;
  scenarios::LoadError error;
  auto built = harness::Simulation::Build(scenario, {}, &collector);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  EXPECT_NE(simulation, nullptr) << error.ToString();
  if (!simulation) return {};
  EXPECT_TRUE(simulation->Run().ok());
  return collector.collected;
}

// Each batch time the sources' collects saw (zero time 0), with the records each source gave.
std::map<sim::Instant, BatchInput> InputsOf(const scenarios::Scenario& scenario,
                                            const Collected& collected) {
  std::map<sim::Instant, BatchInput> inputs;
  for (const scenarios::SourceSpec& source : scenario.sources) {
    const auto batches = collected.find(CollectName(source.name));
    if (batches == collected.end()) continue;
    for (const auto& [time_ms, records] : batches->second) {
      inputs[sim::Instant{time_ms * 1000}][source.name] = records;
    }
  }
  return inputs;
}

// What a comparison covered, so that a test can pin that it compared something.
struct Agreement {
  int non_empty = 0;  // batches with records that agreed
  int failed = 0;     // batches the oracle failed and the engine did not collect

  bool operator==(const Agreement&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Agreement& agreement) {
  return out << "{non_empty: " << agreement.non_empty << ", failed: " << agreement.failed << "}";
}

// Compares every stream's batches.
Agreement ExpectAgreement(const scenarios::Scenario& scenario, const Collected& collected) {
  const OracleResult oracle =
      RunOracle(harness::OraclePipeline(scenario), InputsOf(scenario, collected));
  Agreement agreement;
  for (const scenarios::StreamSpec& stream : scenario.streams) {
    const auto found = collected.find(CollectName(stream.name));
    const std::map<int64_t, records::Values> none;
    const auto& engine_batches = found == collected.end() ? none : found->second;
    size_t succeeded = 0;
    for (const auto& [t, batch] : oracle.streams.at(stream.name)) {
      const auto engine_batch = engine_batches.find(t.millis());
      if (batch.failed()) {
        EXPECT_EQ(engine_batch, engine_batches.end())
            << stream.name << " at " << t.millis() << " ms: the oracle fails it with "
            << *batch.failure << " but the engine collected it";
        agreement.failed += engine_batch == engine_batches.end() ? 1 : 0;
        continue;
      }
      ++succeeded;
      if (engine_batch == engine_batches.end()) {
        ADD_FAILURE() << stream.name << " at " << t.millis() << " ms: the engine collected nothing";
        continue;
      }
      EXPECT_EQ(testing::SortedText(engine_batch->second), testing::SortedText(batch.records))
          << stream.name << " at " << t.millis() << " ms";
      agreement.non_empty += batch.records.empty() ? 0 : 1;
    }
    EXPECT_EQ(engine_batches.size(), succeeded) << stream.name << ": batches the oracle lacks";
  }
  return agreement;
}

Agreement RunAndCompare(const std::string& yaml) {
  const scenarios::Scenario scenario = testing::LoadOrDie(yaml);
  return ExpectAgreement(scenario, RunInEngine(scenario));
}

std::string Yaml(int batches, const std::string& sources, const std::string& streams,
                 const std::string& checkpoint = "{dir: ck}") {
  return "name: agreement\nstop: {batches: " + std::to_string(batches) +
         "}\nstreaming: {batch_interval: 1s, checkpoint: " + checkpoint +
         "}\ncluster: {workers: 2, cores: 2}\nsources:\n" + sources + "streams:\n" + streams +
         "outputs:\n  - {stream: " + "pairs" + ", print: 1}\n";
}

const char kSources[] =
    "  pairs: {kind: queue, partitions: 3, batches: [[[a, 1], [b, 2], [a, 3], [c, 4]], "
    "[[b, 5], [b, 6]], [], [[a, 7], [d, 8], [a, 9]], [[c, 10]], [], [[a, 11]]]}\n"
    "  names: {kind: queue, partitions: 2, batches: [[[a, A], [b, B]], [[b, B2], [e, E]], "
    "[[a, A3]], [], [[c, C], [c, C2]]]}\n"
    "  words: {kind: queue, partitions: 2, batches: [[x, y, x], [y], [], [z, z, x], [], [y]]}\n";

TEST(OracleAgreementTest, StatelessOperators) {
  const Agreement agreement = RunAndCompare(
      Yaml(8, kSources,
           "  mapped: {from: pairs, ops: [{map: '(x[0], x[1] * 2)'}, {filter: 'x[1] > 4'}, "
           "{flatMap: '[x, (x[0] + \"!\", x[1])]'}]}\n"
           "  values: {from: pairs, ops: [{mapValues: 'v + len(k)'}, {flatMapValues: '[v, -v]'}]}\n"
           "  partitions: {from: words, ops: [{mapPartitions: 'xs + xs'}]}\n"
           "  reduced: {from: pairs, ops: [{reduceByKey: {func: 'a + b', partitions: 2}}]}\n"
           "  grouped: {from: pairs, ops: [groupByKey]}\n"
           "  byValue: {from: words, ops: [countByValue]}\n"
           "  counted: {from: words, ops: [count]}\n"
           "  total: {from: pairs, ops: [{map: 'x[1]'}, {reduce: 'a + b'}]}\n"
           "  spread: {from: pairs, ops: [{repartition: 4}]}\n"
           "  both: {from: pairs, ops: [{union: names}]}\n"
           "  joined: {from: pairs, ops: [{join: names}]}\n"
           "  left: {from: pairs, ops: [{leftOuterJoin: names}]}\n"
           "  right: {from: pairs, ops: [{rightOuterJoin: {other: names, partitions: 3}}]}\n"
           "  full: {from: pairs, ops: [{fullOuterJoin: names}]}\n"
           "  cogrouped: {from: pairs, ops: [{cogroup: names}]}\n"
           "  transformed: {from: pairs, ops: [{transform: [{reduceByKey: 'a + b'}, "
           "{map: '(x[1] % 2, 1)'}, {reduceByKey: 'a + b'}]}]}\n"
           "  with: {from: pairs, ops: [{transformWith: {other: names, ops: [{join: names}, "
           "{map: 'x[1][1]'}]}}]}\n"));
  EXPECT_EQ(agreement, (Agreement{84, 0}));
}

TEST(OracleAgreementTest, WindowOperators) {
  const Agreement agreement = RunAndCompare(Yaml(
      9, kSources,
      "  windowed: {from: pairs, ops: [{window: {window: 3s, slide: 2s}}]}\n"
      "  sums: {from: pairs, ops: [{map: 'x[1]'}, {reduceByWindow: {func: 'a + b', window: 2s}}]}\n"
      "  inverseSums: {from: pairs, ops: [{map: 'x[1]'}, {reduceByWindow: {func: 'a + b', "
      "inverse: 'a - b', window: 2s}}]}\n"
      "  keyed: {from: pairs, ops: [{reduceByKeyAndWindow: {func: 'a + b', window: 4s, "
      "slide: 2s, filter: 'x[1] > 3'}}]}\n"
      "  keyedByNames: {from: pairs, ops: [{reduceByKeyAndWindow: {func: 'a + b', window: 4s, "
      "slide: 2s, filter: 'v > 3 && k != \"d\"'}}]}\n"
      "  inverseKeyed: {from: pairs, ops: [{reduceByKeyAndWindow: {func: 'a + b', "
      "inverse: 'a - b', window: 3s, filter: 'v != 0 && k != \"d\"'}}]}\n"
      "  zeros: {from: pairs, ops: [{reduceByKeyAndWindow: {func: 'a + b', inverse: 'a - b', "
      "window: 2s, partitions: 3}}]}\n"
      "  counts: {from: words, ops: [{countByWindow: {window: 2s}}]}\n"
      "  valueCounts: {from: words, ops: [{countByValueAndWindow: {window: 4s, slide: 2s}}]}\n"
      "  groups: {from: pairs, ops: [{groupByKeyAndWindow: {window: 2s}}]}\n"
      "  chained: {from: windowed, ops: [{map: '(x[0], 1)'}, {reduceByKey: 'a + b'}]}\n"));
  EXPECT_EQ(agreement, (Agreement{72, 0}));
}

TEST(OracleAgreementTest, StateOperators) {
  const std::string running_total =
      "'if(timing_out, ((k, \"timeout\"), null), "
      "((k, if(state == null, 0, state) + v), if(state == null, 0, state) + v))'";
  const Agreement agreement = RunAndCompare(
      Yaml(12, kSources,
           "  totals: {from: pairs, ops: [{updateStateByKey: {func: "
           "'if(len(values) == 0 && state > 10, null, sum(values) + if(state == null, 0, state))', "
           "initial: [[z, 100], [b, 1]], partitions: 3}}]}\n"
           "  mapped: {from: pairs, ops: [{mapWithState: {func: " +
               running_total +
               ", timeout: 2s, initial: [[z, 5]]}}]}\n"
               "  snapshots: {from: mapped, ops: [stateSnapshots]}\n"
               "  chain: {from: words, ops: [{map: '(x, 1)'}, {mapWithState: "
               "'(k, if(state == null, v, state + v))'}, stateSnapshots]}\n",
           "{dir: ck, interval: 3s}"));
  EXPECT_EQ(agreement, (Agreement{44, 0}));
}

TEST(OracleAgreementTest, FailedBatchesAndLostState) {
  const Agreement agreement = RunAndCompare(
      Yaml(6, "  pairs: {kind: queue, batches: [[[a, 1]], [[a, 0]], [[a, 2]], [[b, 5]]]}\n",
           "  divided: {from: pairs, ops: [{map: '(x[0], 10 / x[1])'}]}\n"
           "  windowed: {from: divided, ops: [{window: 2s}]}\n"
           "  totals: {from: divided, ops: [{updateStateByKey: "
           "'sum(values) + if(state == null, 0, state)'}]}\n"));
  EXPECT_EQ(agreement, (Agreement{7, 8}));
}

// Shipped scenarios whose sources are sockets: the oracle runs over what the sources' collects saw.
class OracleLibraryAgreementTest : public ::testing::TestWithParam<const char*> {};

TEST_P(OracleLibraryAgreementTest, EveryStreamAgreesWithTheEngine) {
  scenarios::Scenario scenario;
  scenarios::LoadError error;
  const std::string path =
      std::string(STREAMSIM_SOURCE_DIR) + "/scenarios/library/" + GetParam() + ".yaml";
  {
    scenarios::LoadResult<scenarios::Scenario> loaded = scenarios::LoadScenarioFile(path);
    ASSERT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
    if (loaded.ok()) scenario = std::move(loaded.value());
  }
  const Collected collected = RunInEngine(scenario);
  const Agreement agreement = ExpectAgreement(scenario, collected);
  EXPECT_GT(agreement.non_empty, 0);
  EXPECT_EQ(agreement.failed, 0);
}

INSTANTIATE_TEST_SUITE_P(Library, OracleLibraryAgreementTest,
                         ::testing::Values("hits-per-ip", "error-lines", "status-counts",
                                           "ip-window-counts", "join-reference-table",
                                           "two-sockets-union"));

}  // namespace
}  // namespace streamsim::checker
