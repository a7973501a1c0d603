// Filling the guarantee calculator's model from a scenario: the Spark facts about which source is
// received how (docs/sources.md), the outputs' sinks, the streams walked back to their sources,
// and the fault list or random schedule reduced to fault kind names.
#include "harness/guarantee_configuration.h"

#include <algorithm>
#include <map>
#include <set>

#include "faults/random_faults.h"

namespace streamsim::harness {
namespace {

using checker::SinkKind;
using checker::SourceKind;

SourceKind KindOf(const scenarios::SourceSpec& spec) {
  if (spec.kind == scenarios::SourceKind::kFile) return SourceKind::kFile;
  if (spec.kind == scenarios::SourceKind::kQueue) return SourceKind::kQueue;
  if (spec.kind == scenarios::SourceKind::kKafka) {
    return spec.mode == scenarios::SourceMode::kReceiver ? SourceKind::kKafkaReceiver
                                                         : SourceKind::kKafkaDirect;
  }
  if (spec.kind == scenarios::SourceKind::kCustom) return SourceKind::kCustom;
  if (spec.kind == scenarios::SourceKind::kFlume) {
    return spec.mode == scenarios::SourceMode::kPull ? SourceKind::kFlumePull
                                                     : SourceKind::kFlumePush;
  }
  if (spec.kind == scenarios::SourceKind::kKinesis) return SourceKind::kKinesis;
  return SourceKind::kSocket;  // "socket", and the weakest receiver for anything unknown
}

checker::SourceConfiguration SourceOf(const scenarios::SourceSpec& spec,
                                      const scenarios::StreamingSpec& streaming) {
  checker::SourceConfiguration source;
  source.name = spec.name;
  source.kind = KindOf(spec);
  source.receiver_based = source.kind != SourceKind::kFile && source.kind != SourceKind::kQueue &&
                          source.kind != SourceKind::kKafkaDirect;
  switch (source.kind) {
    case SourceKind::kCustom:
      source.reliable = spec.reliable;
      break;
    case SourceKind::kKafkaReceiver:  // ReliableKafkaReceiver exactly when the WAL is on
      source.reliable = streaming.write_ahead_log;
      break;
    case SourceKind::kFlumePull:
    case SourceKind::kKinesis:
      source.reliable = true;
      break;
    default:
      source.reliable = false;
  }
  source.reads_from_earliest = source.kind == SourceKind::kKafkaDirect && spec.start == "earliest";
  if (spec.kind == scenarios::SourceKind::kFlume) {
    source.channel_capacity = spec.channel_capacity;
    source.rate_per_second = spec.rate_per_second;
  }
  return source;
}

SinkKind SinkOf(const scenarios::OutputSpec& spec) {
  if (spec.kind == scenarios::OutputKind::kPrint) return SinkKind::kPrint;
  if (spec.kind == scenarios::OutputKind::kCollect) return SinkKind::kCollect;
  if (spec.kind == scenarios::OutputKind::kSaveAsTextFiles) return SinkKind::kSaveAsTextFiles;
  // foreachRDD into a sink, or `sink:` (spellings of the same thing): by the sink's kind.
  if (spec.sink_kind == scenarios::SinkKind::kFile) return SinkKind::kFile;
  if (spec.sink_kind == scenarios::SinkKind::kIdempotent) return SinkKind::kIdempotent;
  if (spec.sink_kind == scenarios::SinkKind::kTransactional) return SinkKind::kTransactional;
  return SinkKind::kAppend;  // "append", and the weakest sink for anything unknown
}

void NamedByOperators(const std::vector<scenarios::OperatorSpec>& ops,
                      std::vector<std::string>* names) {
  for (const scenarios::OperatorSpec& op : ops) {
    if (!op.other.empty()) names->push_back(op.other);
    NamedByOperators(op.ops, names);  // transform chains, at most 8 deep (the loader's limit)
  }
}

// The sources `name` reads: itself when it is a source, else through `from` and every stream its
// operators name. `visited` keeps a stream read twice (a self-union, a diamond) from being walked
// twice.
void CollectSources(const std::map<std::string, const scenarios::StreamSpec*>& streams,
                    const std::string& name, std::set<std::string>* visited,
                    std::set<std::string>* sources) {
  if (!visited->insert(name).second) return;
  const auto stream = streams.find(name);
  if (stream == streams.end()) {
    sources->insert(name);
    return;
  }
  std::vector<std::string> parents = {stream->second->from};
  NamedByOperators(stream->second->ops, &parents);
  for (const std::string& parent : parents) CollectSources(streams, parent, visited, sources);
}

checker::OutputConfiguration OutputOf(
    const scenarios::OutputSpec& spec, const scenarios::Scenario& scenario,
    const std::map<std::string, const scenarios::StreamSpec*>& streams) {
  std::set<std::string> visited;
  std::set<std::string> read;
  CollectSources(streams, spec.stream, &visited, &read);
  checker::OutputConfiguration output{spec.stream, SinkOf(spec), {}};
  for (const scenarios::SourceSpec& source : scenario.sources) {  // in file order
    if (read.count(source.name) > 0) output.sources.push_back(source.name);
  }
  return output;
}

}  // namespace

checker::GuaranteeConfiguration GuaranteeConfigurationOf(const scenarios::Scenario& scenario) {
  const scenarios::StreamingSpec& streaming = scenario.streaming;
  checker::GuaranteeConfiguration config;
  for (const scenarios::SourceSpec& spec : scenario.sources)
    config.sources.push_back(SourceOf(spec, streaming));
  config.write_ahead_log = streaming.write_ahead_log;
  config.checkpoint = streaming.checkpoint_dir.has_value();
  config.supervise = streaming.supervise;
  const std::string& level = streaming.storage_level;
  config.replicated_blocks = level.size() > 2 && level.compare(level.size() - 2, 2, "_2") == 0;
  config.cleaner_ttl = streaming.cleaner_ttl.has_value();
  config.batch_interval = streaming.batch_interval;
  std::map<std::string, const scenarios::StreamSpec*> streams;
  for (const scenarios::StreamSpec& stream : scenario.streams) streams[stream.name] = &stream;
  for (const scenarios::OutputSpec& spec : scenario.outputs) {
    config.outputs.push_back(OutputOf(spec, scenario, streams));
  }
  return config;
}

std::vector<faults::FaultKind> FaultKindsOf(const scenarios::Scenario& scenario) {
  std::set<faults::FaultKind> present;
  for (const scenarios::FaultSpec& spec : scenario.faults)
    present.insert(faults::KindOf(spec.fault));
  if (scenario.random_faults) {
    present.insert(scenario.random_faults->random.kinds.begin(),
                   scenario.random_faults->random.kinds.end());
  }
  std::vector<faults::FaultKind> kinds;
  for (faults::FaultKind kind : faults::AllFaultKinds()) {
    if (present.count(kind) > 0) kinds.push_back(kind);
  }
  return kinds;
}

}  // namespace streamsim::harness
