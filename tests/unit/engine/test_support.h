// Helpers for engine tests: a listener that keeps collect outputs and printed text, and a small
// harness that builds a StreamingContext over a fresh world.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/streaming_context.h"

namespace streamsim::engine::testing {

class RecordingListener : public OutputListener {
 public:
  void OnPrint(const std::string& text) override { printed += text; }
  void OnCollect(const std::string& output, int64_t batch_time_ms,
                 const Values& records) override {
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

inline Expression Parse(const std::string& text) {
  Expression expression;
  ExpressionError error;
  if (!Expression::Parse(text, &expression, &error)) {
    throw std::runtime_error("bad test expression: " + text + ": " + error.message);
  }
  return expression;
}

struct Harness {
  explicit Harness(StreamingConfig config = {}, uint64_t seed = 1)
      : world(std::make_unique<sim::World>(seed)),
        context(std::make_unique<StreamingContext>(world.get(), config, CostModel{}, &listener)) {}

  void Collect(DStream* stream, const std::string& name) {
    OutputOperation output;
    output.kind = OutputOperation::Kind::kCollect;
    output.stream = stream;
    output.name = name;
    context->AddOutput(output);
  }
  void Run() {
    Status status = context->Start();
    if (!status.ok()) throw std::runtime_error(status.message());
    context->AwaitTermination();
  }
  // The records collected for `name`, one Values per batch.
  std::vector<Values> Batches(const std::string& name) {
    std::vector<Values> batches;
    for (const auto& batch : listener.collected[name]) batches.push_back(batch.records);
    return batches;
  }

  RecordingListener listener;
  std::unique_ptr<sim::World> world;
  std::unique_ptr<StreamingContext> context;
};

inline StreamingConfig Batches(int64_t n) {
  StreamingConfig config;
  config.stop_after_batches = n;
  return config;
}

}  // namespace streamsim::engine::testing
