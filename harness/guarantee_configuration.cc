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
  if (spec.kind == "file") return SourceKind::kFile;
  if (spec.kind == "queue") return SourceKind::kQueue;
  if (spec.kind == "kafka") {
    return spec.mode == "receiver" ? SourceKind::kKafkaReceiver : SourceKind::kKafkaDirect;
  }
  if (spec.kind == "custom") return SourceKind::kCustom;
  if (spec.kind == "flume") {
    return spec.mode == "pull" ? SourceKind::kFlumePull : SourceKind::kFlumePush;
  }
  if (spec.kind == "kinesis") return SourceKind::kKinesis;
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
  return source;
}

SinkKind SinkOf(const scenarios::OutputSpec& spec) {
  if (spec.kind == "print") return SinkKind::kPrint;
  if (spec.kind == "collect") return SinkKind::kCollect;
  if (spec.kind == "saveAsTextFiles") return SinkKind::kSaveAsTextFiles;
  // foreachRDD into a sink, or `sink:` (spellings of the same thing): by the sink's kind.
  if (spec.sink_kind == "file") return SinkKind::kFile;
  if (spec.sink_kind == "idempotent") return SinkKind::kIdempotent;
  if (spec.sink_kind == "transactional") return SinkKind::kTransactional;
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
  std::map<std::string, const scenarios::StreamSpec*> streams;
  for (const scenarios::StreamSpec& stream : scenario.streams) streams[stream.name] = &stream;
  for (const scenarios::OutputSpec& spec : scenario.outputs) {
    config.outputs.push_back(OutputOf(spec, scenario, streams));
  }
  return config;
}

std::string_view RandomFaultKindOf(const faults::Fault& fault) {
  switch (fault.kind) {
    case faults::Fault::Kind::kCrashDriver:
      return "driver_crash";
    case faults::Fault::Kind::kCrashWorker:
      return "worker_crash";
    case faults::Fault::Kind::kCrashExecutor:
      return "executor_crash";
    case faults::Fault::Kind::kCrashReceiver:
      return "receiver_crash";
    case faults::Fault::Kind::kPause:
      return "pause";
    case faults::Fault::Kind::kPartition:
      return "partition";
    case faults::Fault::Kind::kNetwork:
      return "network";
    case faults::Fault::Kind::kDown:
      return "external_down";
    case faults::Fault::Kind::kStorage:
      break;
  }
  switch (fault.storage) {
    case faults::Fault::StorageMode::kRefuseWrites:
      return "refuse_writes";
    case faults::Fault::StorageMode::kSlow:
      return "slow_storage";
    case faults::Fault::StorageMode::kTornWrites:
      return "torn_writes";
  }
  return "refuse_writes";
}

std::vector<std::string> FaultKindsOf(const scenarios::Scenario& scenario) {
  std::set<std::string_view> present;
  for (const scenarios::FaultSpec& spec : scenario.faults)
    present.insert(RandomFaultKindOf(spec.fault));
  if (scenario.random_faults) {
    for (const std::string& kind : scenario.random_faults->random.kinds) present.insert(kind);
  }
  std::vector<std::string> kinds;
  for (std::string_view kind : faults::RandomFaultKinds()) {
    if (present.count(kind) > 0) kinds.emplace_back(kind);
  }
  return kinds;
}

}  // namespace streamsim::harness
