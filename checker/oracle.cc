// RunOracle: sources become series of their recorded batches; each stream is its `from` with its
// operators applied in order, one operator along the whole series at a time. Streams are built on
// demand, so a stream may name one defined after it; a stream without operators is its input
// (mapWithState's snapshots included, so that stateSnapshots can follow it through).
#include "checker/oracle.h"

#include <map>
#include <set>
#include <string>
#include <utility>

#include "checker/oracle_batch.h"
#include "checker/oracle_series.h"
#include "checker/oracle_state.h"
#include "checker/oracle_window.h"

namespace streamsim::checker {
namespace {

using oracle::Series;
using oracle::Timeline;

class OracleRunner {
 public:
  OracleRunner(const PipelineModel& pipeline, const Timeline& timeline)
      : pipeline_(pipeline), timeline_(timeline) {}

  void AddSource(const std::string& name, const std::map<sim::Instant, BatchInput>& inputs) {
    Series& series = built_[name];
    series.slide = pipeline_.batch_interval;
    for (const auto& [t, input] : inputs) {
      const auto records = input.find(name);
      series.batches[t].records = records == input.end() ? records::Values{} : records->second;
    }
  }

  // The stream or source called `name`, built once.
  const Series& Get(const std::string& name) {
    if (const auto built = built_.find(name); built != built_.end()) return built->second;
    const StreamModel* stream = FindStream(name);
    if (stream == nullptr) oracle::Die("no source or stream is called '" + name + "'");
    if (!building_.insert(name).second) oracle::Die("the streams form a cycle at '" + name + "'");
    Series series = Get(stream->from);
    for (const OperatorModel& op : stream->ops) series = Apply(op, series);
    building_.erase(name);
    return built_[name] = std::move(series);
  }

  std::map<std::string, OracleSeries> Results() {
    std::map<std::string, OracleSeries> streams;
    for (const std::string& source : pipeline_.sources) streams[source] = Get(source).batches;
    for (const StreamModel& stream : pipeline_.streams) {
      streams[stream.name] = Get(stream.name).batches;
    }
    return streams;
  }

 private:
  const StreamModel* FindStream(const std::string& name) const {
    for (const StreamModel& stream : pipeline_.streams) {
      if (stream.name == name) return &stream;
    }
    return nullptr;
  }

  Series Apply(const OperatorModel& op, const Series& input) {
    if (oracle::IsWindowOperator(op.name)) {
      return oracle::ApplyWindowOperator(op, input, timeline_);
    }
    if (oracle::IsStateOperator(op.name)) return oracle::ApplyStateOperator(op, input, timeline_);
    if (!oracle::IsBatchOperator(op.name)) oracle::Die("unknown operator '" + op.name + "'");
    return oracle::MapBatches(
        input, op, [this](const std::string& other, sim::Instant t) { return OtherAt(other, t); });
  }

  // Another stream's records at `t` for union, the joins and cogroup: none when it has no RDD
  // then; its failure when it failed.
  records::Values OtherAt(const std::string& name, sim::Instant t) {
    const Series& other = Get(name);
    const auto batch = other.batches.find(t);
    if (batch == other.batches.end()) return {};
    if (batch->second.failed()) throw records::EvalError(*batch->second.failure);
    return batch->second.records;
  }

  const PipelineModel& pipeline_;
  Timeline timeline_;
  std::map<std::string, Series> built_;
  std::set<std::string> building_;  // streams being built, to catch cycles
};

void CheckInputTimes(const PipelineModel& pipeline,
                     const std::map<sim::Instant, BatchInput>& inputs, sim::Instant zero_time) {
  sim::Instant expected = zero_time + pipeline.batch_interval;
  for (const auto& [t, input] : inputs) {
    if (t != expected) {
      oracle::Die("inputs must be at consecutive batch times after the zero time; expected " +
                  std::to_string(expected.us) + " us, got " + std::to_string(t.us) + " us");
    }
    expected = expected + pipeline.batch_interval;
  }
}

}  // namespace

const OracleBatch* OracleResult::Find(const std::string& stream, sim::Instant t) const {
  const auto series = streams.find(stream);
  if (series == streams.end()) return nullptr;
  const auto batch = series->second.find(t);
  return batch == series->second.end() ? nullptr : &batch->second;
}

OracleResult RunOracle(const PipelineModel& pipeline,
                       const std::map<sim::Instant, BatchInput>& inputs, sim::Instant zero_time) {
  if (pipeline.batch_interval.us <= 0) oracle::Die("the batch interval must be positive");
  CheckInputTimes(pipeline, inputs, zero_time);
  const sim::Instant end = inputs.empty() ? zero_time : inputs.rbegin()->first;
  OracleRunner runner(pipeline, Timeline{zero_time, end, pipeline.checkpoint_interval});
  for (const std::string& source : pipeline.sources) runner.AddSource(source, inputs);
  return OracleResult{zero_time, runner.Results()};
}

OracleResult RunOracle(const PipelineModel& pipeline,
                       const std::map<sim::Instant, BatchInput>& inputs) {
  const sim::Instant zero_time =
      inputs.empty() ? sim::Instant::Zero() : inputs.begin()->first - pipeline.batch_interval;
  return RunOracle(pipeline, inputs, zero_time);
}

}  // namespace streamsim::checker
