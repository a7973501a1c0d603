// The Oracle and RunOracle. Construction turns the pipeline into a dataflow of primitive nodes:
// sources first, then each stream resolved on demand (its `from`, every stream its operators name
// as `other`, also inside nested ops, then its operators in order), so a stream may name one
// defined after it and every node is created after the nodes it reads. A stream without
// operators is its input's node (mapWithState's included, so that stateSnapshots can follow it
// through). RunOracle steps an Oracle through its inputs and keeps every batch.
#include "checker/oracle.h"

#include <map>
#include <set>
#include <string>
#include <utility>

#include "checker/oracle_batch.h"
#include "checker/oracle_chain.h"
#include "checker/oracle_node.h"
#include "checker/oracle_state.h"
#include "checker/oracle_support.h"
#include "checker/oracle_window.h"

namespace streamsim::checker {
namespace {

using oracle::Node;

// Builds the dataflow's nodes for every stream of a pipeline, once each.
class DataflowBuilder {
 public:
  DataflowBuilder(const PipelineModel& pipeline, oracle::Dataflow* dataflow,
                  std::map<std::string, const Node*>* built)
      : pipeline_(pipeline), dataflow_(dataflow), built_(built) {}

  // The node of the stream or source called `name`, built with what it reads the first time.
  Node* Resolve(const std::string& name) {
    if (const auto node = nodes_.find(name); node != nodes_.end()) return node->second;
    const StreamModel* stream = FindStream(name);
    if (stream == nullptr) oracle::Die("no source or stream is called '" + name + "'");
    if (!building_.insert(name).second) oracle::Die("the streams form a cycle at '" + name + "'");
    Node* node = Resolve(stream->from);
    const std::vector<OperatorModel>& ops = stream->ops;
    for (size_t i = 0; i < ops.size();) {
      const size_t end = oracle::ChainEnd(ops, i);
      if (end == i) {
        node = Add(ops[i++], node);
        continue;
      }
      node = oracle::AddChainNode(dataflow_, node, {ops.begin() + i, ops.begin() + end});
      i = end;
    }
    building_.erase(name);
    return Record(name, node);
  }

  Node* Record(const std::string& name, Node* node) {
    (*built_)[name] = node;
    return nodes_[name] = node;
  }

 private:
  const StreamModel* FindStream(const std::string& name) const {
    for (const StreamModel& stream : pipeline_.streams) {
      if (stream.name == name) return &stream;
    }
    return nullptr;
  }

  Node* Add(const OperatorModel& op, Node* input) {
    if (oracle::IsWindowOperator(op.name)) return oracle::AddWindowOperator(op, input, dataflow_);
    if (oracle::IsStateOperator(op.name)) {
      return oracle::AddStateOperator(op, input, pipeline_.checkpoint_interval, dataflow_);
    }
    if (!oracle::IsBatchOperator(op.name)) oracle::Die("unknown operator '" + op.name + "'");
    std::set<std::string> names;
    oracle::AddOtherStreams(op, &names);
    oracle::OtherStreams others;
    for (const std::string& other : names) others[other] = Resolve(other);
    return oracle::AddBatchNode(dataflow_, input, op, std::move(others));
  }

  const PipelineModel& pipeline_;
  oracle::Dataflow* dataflow_;
  std::map<std::string, const Node*>* built_;
  std::map<std::string, Node*> nodes_;
  std::set<std::string> building_;  // streams being resolved, to catch cycles
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

Oracle::Oracle(const PipelineModel& pipeline, sim::Instant zero_time)
    : batch_interval_(pipeline.batch_interval),
      zero_time_(zero_time),
      latest_time_(zero_time),
      dataflow_(std::make_unique<oracle::Dataflow>(zero_time)) {
  if (pipeline.batch_interval.us <= 0) oracle::Die("the batch interval must be positive");
  DataflowBuilder builder(pipeline, dataflow_.get(), &streams_);
  for (const std::string& source : pipeline.sources) {
    if (sources_.count(source) != 0) continue;
    sources_[source] = dataflow_->Add<oracle::SourceNode>(pipeline.batch_interval);
    builder.Record(source, sources_[source]);
  }
  for (const StreamModel& stream : pipeline.streams) builder.Resolve(stream.name);
}

Oracle::~Oracle() = default;

void Oracle::Step(sim::Instant t, BatchInput input) {
  if (t != latest_time_ + batch_interval_) {
    oracle::Die("steps must be at consecutive batch times after the zero time; expected " +
                std::to_string((latest_time_ + batch_interval_).us) + " us, got " +
                std::to_string(t.us) + " us");
  }
  for (const auto& [name, source] : sources_) {
    const auto records = input.find(name);
    source->Give(records == input.end() ? records::Values{} : std::move(records->second));
  }
  dataflow_->Step(t);
  latest_time_ = t;
}

const OracleBatch* Oracle::Find(const std::string& stream) const {
  const auto node = streams_.find(stream);
  if (node == streams_.end() || latest_time_ == dataflow_->zero_time()) return nullptr;
  return node->second->At(latest_time_);
}

bool Oracle::HasStream(const std::string& name) const { return streams_.count(name) != 0; }

std::vector<size_t> Oracle::TEST_RetainedBatches() const { return dataflow_->RetainedBatches(); }

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
  Oracle oracle(pipeline, zero_time);
  OracleResult result{zero_time, {}};
  for (const std::string& source : pipeline.sources) result.streams[source];
  for (const StreamModel& stream : pipeline.streams) result.streams[stream.name];
  for (const auto& [t, input] : inputs) {
    oracle.Step(t, input);
    for (auto& [name, series] : result.streams) {
      if (const OracleBatch* batch = oracle.Find(name)) series[t] = *batch;
    }
  }
  return result;
}

OracleResult RunOracle(const PipelineModel& pipeline,
                       const std::map<sim::Instant, BatchInput>& inputs) {
  const sim::Instant zero_time =
      inputs.empty() ? sim::Instant::Zero() : inputs.begin()->first - pipeline.batch_interval;
  return RunOracle(pipeline, inputs, zero_time);
}

}  // namespace streamsim::checker
