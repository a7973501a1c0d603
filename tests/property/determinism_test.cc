// Properties of the whole engine in the simulated world (RapidCheck):
//  - one seed gives one fingerprint: building and running the same configuration twice replays
//    the same trace;
//  - without faults, what a pipeline outputs does not depend on the number of workers, cores per
//    worker, input partitions or shuffle partitions (as multisets per batch: the order of records
//    across shuffle partitions legitimately changes with the partition count).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/streaming/streaming_context.h"

namespace streamsim::engine {
namespace {

class CollectingListener : public OutputListener {
 public:
  void OnCollect(const std::string&, int64_t, const Values& records) override {
    Values sorted = records;
    std::sort(sorted.begin(), sorted.end());
    batches.push_back(std::move(sorted));
  }
  std::vector<Values> batches;
};

Expression Parse(const std::string& text) {
  auto parsed = Expression::Parse(text);
  RC_ASSERT(parsed.ok());
  return std::move(parsed.value());
}

struct Shape {
  int workers = 1;
  int cores = 1;
  int input_partitions = 1;
  int shuffle_partitions = 1;
};

// A fixed pipeline exercising narrow operators, a keyed shuffle and a full aggregation:
// x -> (x % 5, x) -> filter v != 3 -> reduceByKey(a + b), and a second output countByValue.
std::vector<Values> RunPipeline(const std::vector<Values>& input, const Shape& shape, uint64_t seed,
                                std::string* fingerprint) {
  sim::World world(seed);
  StreamingConfig config;
  config.workers = shape.workers;
  config.cores_per_worker = shape.cores;
  config.stop_after_batches = static_cast<int64_t>(input.size());
  CollectingListener listener;
  StreamingContext context(&world, config, CostModel{}, &listener);
  DStream* numbers = context.QueueStream("numbers", input, shape.input_partitions, true);
  std::vector<Operator> chain = {Operator(OperatorKind::kMap, Parse("(x % 5, x)")),
                                 Operator(OperatorKind::kFilter, Parse("x[1] != 3")),
                                 Operator(OperatorKind::kReduceByKey, Parse("a + b"))};
  chain.back().partitions = shape.shuffle_partitions;
  DStream* sums = context.Transform("sums", {numbers}, chain);
  Operator count_by_value(OperatorKind::kCountByValue);
  count_by_value.partitions = shape.shuffle_partitions;
  DStream* counts = context.Transform("counts", {numbers}, {count_by_value});
  for (DStream* stream : {sums, counts}) {
    OutputOperation output;
    output.kind = OutputOperation::Kind::kCollect;
    output.stream = stream;
    output.name = stream->name();
    context.AddOutput(output);
  }
  RC_ASSERT(context.Start().ok());
  while (!context.terminated() && world.loop().RunNext()) {
  }
  if (fingerprint) *fingerprint = world.trace().FingerprintHex();
  return listener.batches;
}

// Draws 1 to 4 batches of small integers (inside a property).
std::vector<Values> DrawInput() {
  const int batch_count = *rc::gen::inRange(1, 5);
  std::vector<Values> input;
  for (int b = 0; b < batch_count; ++b) {
    const auto ints = *rc::gen::container<std::vector<int64_t>>(rc::gen::inRange<int64_t>(0, 30));
    Values values;
    for (int64_t i : ints) values.push_back(Value::Int(i));
    input.push_back(std::move(values));
  }
  return input;
}

RC_GTEST_PROP(DeterminismProperty, OneSeedGivesOneFingerprint, ()) {
  const auto input = DrawInput();
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  Shape shape{*rc::gen::inRange(1, 4), *rc::gen::inRange(1, 4), *rc::gen::inRange(1, 5),
              *rc::gen::inRange(1, 5)};
  std::string first, second;
  const auto first_output = RunPipeline(input, shape, seed, &first);
  const auto second_output = RunPipeline(input, shape, seed, &second);
  RC_ASSERT(first == second);
  RC_ASSERT(first_output == second_output);
}

RC_GTEST_PROP(DeterminismProperty, OutputsDoNotDependOnClusterShapeOrPartitions, ()) {
  const auto input = DrawInput();
  const auto baseline = RunPipeline(input, Shape{}, 1, nullptr);
  Shape shape{*rc::gen::inRange(1, 5), *rc::gen::inRange(1, 4), *rc::gen::inRange(1, 6),
              *rc::gen::inRange(1, 6)};
  const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1000);
  RC_ASSERT(RunPipeline(input, shape, seed, nullptr) == baseline);
}

TEST(DeterminismTest, DifferentSeedsGiveDifferentFingerprintsWhenTimingIsRandom) {
  // Network latency is drawn from the seed's network stream, so task timings (and the trace) move.
  const std::vector<Values> input = {{Value::Int(1), Value::Int(2)}, {Value::Int(3)}};
  std::string seven, eight;
  RunPipeline(input, Shape{2, 2, 2, 2}, 7, &seven);
  RunPipeline(input, Shape{2, 2, 2, 2}, 8, &eight);
  EXPECT_NE(seven, eight);
}

}  // namespace
}  // namespace streamsim::engine
