// Converting the scenario model into the checker's pipeline model, operator by operator.
#include "harness/oracle_pipeline.h"

#include <optional>
#include <vector>

namespace streamsim::harness {
namespace {

std::optional<records::Expression> ExpressionOf(
    const std::optional<scenarios::ExpressionSpec>& spec) {
  if (!spec) return std::nullopt;
  return spec->expression;
}

checker::OperatorModel OperatorOf(const scenarios::OperatorSpec& spec) {
  checker::OperatorModel op;
  op.name = spec.name;
  op.func = ExpressionOf(spec.func);
  op.inverse = ExpressionOf(spec.inverse);
  op.filter = ExpressionOf(spec.filter);
  op.partitions = spec.partitions;
  op.other = spec.other;
  for (const scenarios::OperatorSpec& nested : spec.ops) op.ops.push_back(OperatorOf(nested));
  op.window = spec.window;
  op.slide = spec.slide;
  op.timeout = spec.timeout;
  op.initial = spec.initial;
  return op;
}

}  // namespace

checker::PipelineModel OraclePipeline(const scenarios::Scenario& scenario) {
  checker::PipelineModel pipeline;
  pipeline.batch_interval = scenario.streaming.batch_interval;
  pipeline.checkpoint_interval = scenario.streaming.checkpoint_interval;
  for (const scenarios::SourceSpec& source : scenario.sources)
    pipeline.sources.push_back(source.name);
  for (const scenarios::StreamSpec& spec : scenario.streams) {
    checker::StreamModel stream;
    stream.name = spec.name;
    stream.from = spec.from;
    for (const scenarios::OperatorSpec& op : spec.ops) stream.ops.push_back(OperatorOf(op));
    pipeline.streams.push_back(std::move(stream));
  }
  return pipeline;
}

}  // namespace streamsim::harness
