// Helpers for the tests of receiver-based sources under crashes (flume_*_test.cc,
// kinesis_receiver_test.cc): an application that counts how many times each record's sequence
// number reached the state, one crash of a chosen kind, and the lost and duplicated sequence
// numbers written as ranges ("200-299, 350") so that expectations read like the explanation.
//
// The application: a receiver-based source whose records are log_lines lines (each starts with
// its 0-based sequence number) -> map((sequence, 1)) -> updateStateByKey(count) on one partition,
// collected as "state", with a checkpoint directory (the driver's block-tracker log is on) and,
// for driver crashes, supervise. A record counted once in the final state was processed exactly
// once; 0 times, lost; 2 or more, duplicated.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/streaming/stream_operations.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine::testing {

enum class Crash { kNone, kWorker, kReceiver, kDriver };

struct CrashRunConfig {
  std::string source_name;  // the receiver's name, for receiver crashes
  Crash crash = Crash::kNone;
  int64_t crash_at_ms = 0;
  bool receiver_wal = false;
  int64_t batches = 20;
  // Worker and driver crashes: when the machine (or the driver) comes back; none for a worker
  // that stays down.
  std::optional<sim::Duration> restart_after;
};

// A harness around one run; `add_source` builds the source's stream and returns it.
struct SourceCrashRun {
  RecordingListener listener;
  std::vector<std::string> trace;
  std::unique_ptr<sim::World> world;
  TestExternals externals;
  std::unique_ptr<StreamingContext> context;

  SourceCrashRun(
      const CrashRunConfig& config,
      const std::function<DStream*(sim::World*, StreamingContext&, TestExternals&)>& add_source)
      : world(std::make_unique<sim::World>(1)) {
    StreamingConfig streaming;
    streaming.stop_after_batches = config.batches;
    streaming.checkpoint_dir = "checkpoints/app";
    streaming.checkpoint_interval = sim::Duration::Seconds(2);
    streaming.receiver_wal = config.receiver_wal;
    streaming.replication = config.receiver_wal ? 1 : 2;
    streaming.supervise = true;
    context = std::make_unique<StreamingContext>(world.get(), streaming, CostModel{}, &listener);
    world->trace().SetSink([this](std::string_view line) { trace.emplace_back(line); });
    DStream* records = add_source(world.get(), *context, externals);
    DStream* pairs = context->Transform("pairs", {records},
                                        {Op(OperatorKind::kMap, "(to_int(split(x, ' ')[0]), 1)")});
    OutputOperation output;
    output.kind = OutputOperation::Kind::kCollect;
    output.stream = UpdateStateByKey(*context, "state", pairs,
                                     Parse("if(state == null, 0, state) + sum(values)"), 1, {});
    output.name = "state";
    context->AddOutput(output);
    ScheduleCrash(config);
  }

  void ScheduleCrash(const CrashRunConfig& config) {
    if (config.crash == Crash::kNone) return;
    StreamingContext* target = context.get();
    const std::string receiver = config.source_name;
    world->ScheduleGlobal(sim::Duration::Millis(config.crash_at_ms), [=]() {
      switch (config.crash) {
        case Crash::kWorker:
          return target->CrashWorker(0, config.restart_after);
        case Crash::kReceiver:
          return target->CrashReceiver(receiver);
        case Crash::kDriver:
          return target->CrashDriver(config.restart_after);
        case Crash::kNone:
          return;
      }
    });
  }

  void Run() {
    Status status = context->Start();
    if (!status.ok()) throw std::runtime_error(status.message());
    testing::RunToTermination(*world, *context);
  }

  // Sequence number -> times counted, from the last state output.
  std::map<int64_t, int64_t> Counts() {
    std::map<int64_t, int64_t> counts;
    const auto& outputs = listener.collected["state"];
    if (outputs.empty()) return counts;
    for (const Value& pair : outputs.back().records) {
      counts[pair.Items()[0].AsInt()] = pair.Items()[1].AsInt();
    }
    return counts;
  }
  int64_t LastBatchMs() {
    const auto& outputs = listener.collected["state"];
    return outputs.empty() ? -1 : outputs.back().batch_time_ms;
  }
  bool Traced(std::string_view text) const {
    for (const std::string& line : trace) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

// "3-7, 10, 12-13" for {3, 4, 5, 6, 7, 10, 12, 13}; "none" for an empty set.
inline std::string Ranges(const std::vector<int64_t>& sorted) {
  if (sorted.empty()) return "none";
  std::string text;
  size_t start = 0;
  for (size_t i = 1; i <= sorted.size(); ++i) {
    if (i < sorted.size() && sorted[i] == sorted[i - 1] + 1) continue;
    if (!text.empty()) text += ", ";
    text += sorted[i - 1] == sorted[start] ? std::to_string(sorted[start])
                                           : fmt::format("{}-{}", sorted[start], sorted[i - 1]);
    start = i;
  }
  return text;
}

// Sequence numbers below `bound` never counted.
inline std::string Lost(const std::map<int64_t, int64_t>& counts, int64_t bound) {
  std::vector<int64_t> lost;
  for (int64_t k = 0; k < bound; ++k) {
    if (counts.count(k) == 0) lost.push_back(k);
  }
  return Ranges(lost);
}

// Sequence numbers counted more than once.
inline std::string Duplicated(const std::map<int64_t, int64_t>& counts) {
  std::vector<int64_t> duplicated;
  for (const auto& [sequence, count] : counts) {
    if (count > 1) duplicated.push_back(sequence);
  }
  return Ranges(duplicated);
}

// The highest sequence number counted, plus one (what the run got up to).
inline int64_t CountedUpTo(const std::map<int64_t, int64_t>& counts) {
  return counts.empty() ? 0 : counts.rbegin()->first + 1;
}

// What a run did to the records: lost and duplicated below what it got up to, and the source's
// own counters (each test file says which).
struct Outcome {
  std::string lost;
  std::string duplicated;
  int64_t counted_up_to = 0;
  int64_t last_batch_ms = 0;
  std::string source;
};

inline Outcome Summarize(SourceCrashRun& run, std::string source) {
  const std::map<int64_t, int64_t> counts = run.Counts();
  return Outcome{Lost(counts, CountedUpTo(counts)), Duplicated(counts), CountedUpTo(counts),
                 run.LastBatchMs(), std::move(source)};
}

inline CrashRunConfig Config(const std::string& source_name, Crash crash, int64_t at_ms,
                             bool receiver_wal, int64_t batches) {
  CrashRunConfig config;
  config.source_name = source_name;
  config.crash = crash;
  config.crash_at_ms = at_ms;
  config.receiver_wal = receiver_wal;
  config.batches = batches;
  // A crashed driver is back after 1 s; a crashed worker stays down.
  if (crash == Crash::kDriver) config.restart_after = sim::Duration::Seconds(1);
  return config;
}

}  // namespace streamsim::engine::testing
