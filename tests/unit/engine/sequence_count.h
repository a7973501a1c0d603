// A harness for delivery tests of receiver-based sources: the source's records are log_lines
// (each starts with its 0-based sequence number), a stream maps each to (sequence, 1) and
// updateStateByKey counts them on one partition, so the final state says which records were
// counted and how many times. The run has a checkpoint directory (the state needs one), 10
// batches of 1 s on 2 workers of 2 cores, and optionally the receiver write-ahead log.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/streaming/stream_operations.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine::testing {

using Sequences = std::set<int64_t>;

inline Sequences SequenceRange(int64_t from, int64_t to) {  // [from, to)
  Sequences range;
  for (int64_t k = from; k < to; ++k) range.insert(k);
  return range;
}

inline Sequences Join(std::vector<Sequences> parts) {
  Sequences all;
  for (const Sequences& part : parts) all.insert(part.begin(), part.end());
  return all;
}

// What the final state counted: every sequence below `last` that is missing is lost; every one
// counted more than once is duplicated (with its count).
struct Delivery {
  int64_t last = -1;  // the highest sequence counted
  Sequences lost;
  std::map<int64_t, int64_t> duplicated;
  int64_t counted = 0;  // distinct sequences counted
};

struct SequenceRun {
  explicit SequenceRun(bool receiver_wal, int64_t batches = 10) {
    StreamingConfig config;
    config.stop_after_batches = batches;
    config.checkpoint_dir = "checkpoints/app";
    config.checkpoint_interval = sim::Duration::Seconds(2);
    config.supervise = true;
    config.receiver_wal = receiver_wal;
    world = std::make_unique<sim::World>(1);
    context = std::make_unique<StreamingContext>(world.get(), config, CostModel{}, &listener);
    world->trace().SetSink([this](std::string_view line) { trace.emplace_back(line); });
  }
  // source -> (sequence, 1) -> updateStateByKey(count), collected as "state".
  void CountSequences(DStream* source) {
    DStream* pairs = context->Transform("pairs", {source},
                                        {Op(OperatorKind::kMap, "(to_int(split(x, ' ')[0]), 1)")});
    OutputOperation output;
    output.kind = OutputOperation::Kind::kCollect;
    output.stream = UpdateStateByKey(*context, "state", pairs,
                                     Parse("if(state == null, 0, state) + sum(values)"), 1, {});
    output.name = "state";
    context->AddOutput(output);
  }
  void At(int64_t ms, std::function<void()> action) {
    world->ScheduleGlobal(sim::Duration::Millis(ms), std::move(action));
  }
  void Run() {
    Status status = context->Start();
    if (!status.ok()) throw std::runtime_error(status.message());
    testing::RunToTermination(*world, *context);
  }
  Delivery Counted() const {
    Delivery delivery;
    auto it = listener.collected.find("state");
    if (it == listener.collected.end() || it->second.empty()) return delivery;
    std::map<int64_t, int64_t> counts;
    for (const Value& pair : it->second.back().records) {
      counts[pair.Items()[0].AsInt()] = pair.Items()[1].AsInt();
    }
    if (counts.empty()) return delivery;
    delivery.last = counts.rbegin()->first;
    delivery.counted = static_cast<int64_t>(counts.size());
    for (int64_t k = 0; k <= delivery.last; ++k) {
      auto count = counts.find(k);
      if (count == counts.end())
        delivery.lost.insert(k);
      else if (count->second > 1)
        delivery.duplicated[k] = count->second;
    }
    return delivery;
  }
  size_t TraceLinesContaining(const std::string& text) const {
    size_t count = 0;
    for (const std::string& line : trace) count += line.find(text) != std::string::npos ? 1 : 0;
    return count;
  }

  RecordingListener listener;
  std::vector<std::string> trace;
  DStream* KafkaReceiverStream(const externals::KafkaBrokerConfig& topic,
                               const KafkaReceiverConfig& config) {
    return externals.KafkaReceiverStream(world.get(), *context, topic, config);
  }

  std::unique_ptr<sim::World> world;
  testing::TestExternals externals;
  std::unique_ptr<StreamingContext> context;
};

// "0-78 100-120": a set of sequences as its runs, for readable exact comparisons.
inline std::string Runs(const Sequences& sequences) {
  std::string text;
  for (auto it = sequences.begin(); it != sequences.end();) {
    const int64_t first = *it;
    int64_t last = first;
    for (++it; it != sequences.end() && *it == last + 1; ++it) last = *it;
    if (!text.empty()) text += " ";
    text +=
        first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
  }
  return text;
}

// The duplicated sequences as runs, each run with its count when it is not 2: "5-9 12-13x3".
inline std::string DuplicateRuns(const std::map<int64_t, int64_t>& duplicated) {
  std::map<int64_t, Sequences> by_count;
  for (const auto& [sequence, count] : duplicated) by_count[count].insert(sequence);
  std::string text;
  for (const auto& [count, sequences] : by_count) {
    if (!text.empty()) text += " | ";
    text += Runs(sequences) + (count == 2 ? "" : " x" + std::to_string(count));
  }
  return text;
}

// Every sequence in `sequences` counted `times` times, for pinning duplicates.
inline std::map<int64_t, int64_t> Times(const Sequences& sequences, int64_t times) {
  std::map<int64_t, int64_t> counts;
  for (int64_t k : sequences) counts[k] = times;
  return counts;
}

}  // namespace streamsim::engine::testing
