// Helpers for engine tests: a listener that keeps collect outputs and printed text, and a small
// harness that builds a StreamingContext over a fresh world.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/streaming/streaming_context.h"
#include "tests/unit/engine/test_externals.h"

namespace streamsim::engine {

// GoogleTest prints values in failure messages the way Spark's print() shows them (found by ADL).
inline void PrintTo(const Value& value, std::ostream* out) { *out << value.ToDisplayString(); }

}  // namespace streamsim::engine

namespace streamsim::engine::testing {

class RecordingListener : public OutputListener {
 public:
  void OnPrint(const std::string& text) override { printed += text; }
  void OnCollect(const std::string& output, int64_t batch_time_ms, const Values& records) override {
    collected[output].push_back({batch_time_ms, records});
  }
  void OnWarning(const std::string& message) override { warnings.push_back(message); }

  struct Batch {
    int64_t batch_time_ms;
    Values records;
  };
  std::string printed;
  std::map<std::string, std::vector<Batch>> collected;
  std::vector<std::string> warnings;
};

// Value builders, so that expected batches read like Spark's output.
inline Value I(int64_t i) { return Value::Int(i); }
inline Value D(double d) { return Value::Double(d); }
inline Value S(const std::string& s) { return Value::String(s); }
inline Value P(Value first, Value second) {
  return Value::Pair(std::move(first), std::move(second));
}
inline Value L(Values items) { return Value::List(std::move(items)); }
// `prefix` followed by `n` ("k3"). Built by appending: at -O3 GCC 12 warns falsely (-Wrestrict,
// fatal with -Werror) on "k" + std::to_string(n).
inline std::string Numbered(const std::string& prefix, int64_t n) {
  std::string text = prefix;
  text += std::to_string(n);
  return text;
}
inline Value Null() { return Value::Null(); }

// The values in Value order, for comparing multisets.
inline Values Sorted(Values values) {
  std::sort(values.begin(), values.end());
  return values;
}

inline Values Concatenate(const std::vector<Values>& batches) {
  Values all;
  for (const Values& batch : batches) all.insert(all.end(), batch.begin(), batch.end());
  return all;
}

inline Expression Parse(const std::string& text) {
  auto parsed = Expression::Parse(text);
  if (!parsed.ok()) {
    throw std::runtime_error("bad test expression: " + text + ": " + parsed.error().message);
  }
  return std::move(parsed.value());
}

// An operator with an optional function ("" for none), reduce partitions and other-stream index.
inline Operator Op(OperatorKind kind, const std::string& function = "", int partitions = 0,
                   int other = -1) {
  Operator op;
  op.kind = kind;
  if (!function.empty()) op.func = Parse(function);
  op.partitions = partitions;
  op.other = other;
  return op;
}

// transform / transformWith: a nested chain.
inline Operator Chain(OperatorKind kind, std::vector<Operator> ops) {
  Operator op;
  op.kind = kind;
  op.ops = std::move(ops);
  return op;
}

// What ssc.awaitTermination does in a run, where the harness drives the event loop: runs the
// world until the context reached its stop condition or no event is left.
inline void RunToTermination(sim::World& world, const StreamingContext& context) {
  while (!context.terminated() && world.loop().RunNext()) {
  }
}

struct Harness {
  explicit Harness(StreamingConfig config = {}, uint64_t seed = 1)
      : world(std::make_unique<sim::World>(seed)),
        context(std::make_unique<StreamingContext>(world.get(), config, CostModel{}, &listener)) {}

  // Streams over simulated outside systems the harness owns (tests/unit/engine/test_externals.h).
  DStream* SocketTextStream(externals::SocketServerConfig config) {
    return externals.SocketTextStream(world.get(), *context, std::move(config));
  }
  void AddFileProducer(externals::FileProducerConfig config) {
    externals.AddFileProducer(world.get(), *context, std::move(config));
  }
  DStream* KafkaDirectStream(const externals::KafkaBrokerConfig& topic,
                             const KafkaDirectConfig& config) {
    return externals.KafkaDirectStream(world.get(), *context, topic, config);
  }
  DStream* KafkaReceiverStream(const externals::KafkaBrokerConfig& topic,
                               const KafkaReceiverConfig& config) {
    return externals.KafkaReceiverStream(world.get(), *context, topic, config);
  }

  void Collect(DStream* stream, const std::string& name) {
    OutputOperation output;
    output.kind = OutputOperation::Kind::kCollect;
    output.stream = stream;
    output.name = name;
    context->AddOutput(output);
  }
  void Print(DStream* stream, int count) {
    OutputOperation output;
    output.kind = OutputOperation::Kind::kPrint;
    output.stream = stream;
    output.name = "print";
    output.print_count = count;
    context->AddOutput(output);
  }
  void SaveAsTextFiles(DStream* stream, const std::string& prefix, const std::string& suffix) {
    OutputOperation output;
    output.kind = OutputOperation::Kind::kSaveAsTextFiles;
    output.stream = stream;
    output.name = "save";
    output.prefix = prefix;
    output.suffix = suffix;
    context->AddOutput(output);
  }
  void FileSink(DStream* stream, const std::string& path) {
    OutputOperation output;
    output.kind = OutputOperation::Kind::kFileSink;
    output.stream = stream;
    output.name = "sink";
    output.sink_path = path;
    context->AddOutput(output);
  }
  // A stream through one chain of operators, collected as `name`.
  DStream* TransformAndCollect(std::vector<DStream*> parents, std::vector<Operator> chain,
                               const std::string& name) {
    DStream* stream = context->Transform(name, std::move(parents), std::move(chain));
    Collect(stream, name);
    return stream;
  }
  // A file written by an outside writer (not a simulated node), synced.
  void WriteFile(const std::string& path, const std::string& contents) {
    Status status = world->storage().WriteWholeFile(sim::NodeId{}, path, contents);
    if (!status.ok()) throw std::runtime_error(status.message());
  }
  // Every trace line, for tests that count events.
  void KeepTrace() {
    world->trace().SetSink([this](std::string_view line) { trace.emplace_back(line); });
  }
  size_t TraceLinesContaining(const std::string& text) const {
    size_t count = 0;
    for (const std::string& line : trace) count += line.find(text) != std::string::npos ? 1 : 0;
    return count;
  }
  void Run() {
    Status status = context->Start();
    if (!status.ok()) throw std::runtime_error(status.message());
    RunToTermination(*world, *context);
  }
  // The records collected for `name`, one Values per batch.
  std::vector<Values> Batches(const std::string& name) {
    std::vector<Values> batches;
    for (const auto& batch : listener.collected[name]) batches.push_back(batch.records);
    return batches;
  }

  RecordingListener listener;
  std::vector<std::string> trace;
  std::unique_ptr<sim::World> world;
  TestExternals externals;
  std::unique_ptr<StreamingContext> context;
};

inline StreamingConfig Batches(int64_t n) {
  StreamingConfig config;
  config.stop_after_batches = n;
  return config;
}

// What collect saw for one output: (batch time in ms, records) per line, in order; with `sort`,
// each batch's records sorted.
using TimedBatches = std::vector<std::pair<int64_t, Values>>;

inline TimedBatches Timed(Harness& harness, const std::string& name, bool sort = false) {
  TimedBatches timed;
  for (const auto& batch : harness.listener.collected[name]) {
    timed.emplace_back(batch.batch_time_ms, sort ? Sorted(batch.records) : batch.records);
  }
  return timed;
}

// Spark's warning for `blocks` blocks of the socket stream "lines" lost at batch `batch_ms`.
inline std::string LostBlocks(int64_t batch_ms, int blocks) {
  return "batch " + std::to_string(batch_ms) + " ms, stream lines: " + std::to_string(blocks) +
         " of " + std::to_string(blocks) +
         " blocks could not be recovered as they were not found in memory. To prevent such data "
         "loss, enable Write Ahead Log (see programming guide for more details.)";
}

}  // namespace streamsim::engine::testing
