// Building a simulation from a scenario: world, network, cost model, sources, streams, outputs.
#include "harness/simulation.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "engine/streaming/stream_operations.h"
#include "faults/fault_schedule.h"
#include "faults/random_faults.h"
#include "harness/source_factory.h"
#include "scenarios/fault_targets.h"
#include "scenarios/output_name.h"

namespace streamsim::harness {
namespace {

int ReplicationOf(const std::string& storage_level) {
  return storage_level.size() > 2 && storage_level.substr(storage_level.size() - 2) == "_2" ? 2 : 1;
}

engine::StreamingConfig ToStreamingConfig(const scenarios::Scenario& scenario,
                                          const RunOptions& options) {
  engine::StreamingConfig config;
  config.batch_interval = scenario.streaming.batch_interval;
  config.block_interval = scenario.streaming.block_interval;
  config.replication = ReplicationOf(scenario.streaming.storage_level);
  config.workers = scenario.cluster.workers;
  config.cores_per_worker = scenario.cluster.cores_per_worker;
  config.stop_after_batches = scenario.stop.batches;
  config.stop_at = scenario.stop.after;
  config.graceful_stop = scenario.stop.graceful;
  config.checkpoint_dir = scenario.streaming.checkpoint_dir;
  config.checkpoint_interval = scenario.streaming.checkpoint_interval;
  config.supervise = scenario.streaming.supervise;
  config.receiver_wal = scenario.streaming.write_ahead_log;
  config.cleaner_ttl = scenario.streaming.cleaner_ttl;
  config.unpersist = scenario.streaming.unpersist;
  config.remember = scenario.streaming.remember;
  if (options.batches) {
    config.stop_after_batches = options.batches;
    config.stop_at.reset();
  }
  if (options.stop_after) {
    config.stop_at = options.stop_after;
    config.stop_after_batches.reset();
  }
  return config;
}

void ConfigureNetwork(const scenarios::NetworkSpec& spec, sim::World* world) {
  sim::LinkConfig link;
  link.latency = sim::LatencyDistribution{spec.latency_min, spec.latency_mean, spec.latency_max};
  link.bandwidth_bytes_per_second = spec.bandwidth_bytes_per_second;
  link.loss = spec.loss;
  world->network().SetDefaultLink(link);
}

bool ConfigureCost(const scenarios::Scenario& scenario, engine::CostModel* cost,
                   scenarios::LoadError* error) {
  auto position_of = [&](const std::string& name) {
    auto it = scenario.cost.positions.find(name);
    return it == scenario.cost.positions.end() ? scenarios::Position{scenario.file, 1, 1}
                                               : it->second;
  };
  for (const auto& [name, duration] : scenario.cost.durations) {
    Status status = cost->SetDuration(name, duration);
    if (!status.ok()) {
      *error = scenarios::LoadError{position_of(name), status.message()};
      return false;
    }
  }
  for (const auto& [name, factor] : scenario.cost.factors) {
    Status status = cost->SetFactor(name, factor);
    if (!status.ok()) {
      *error = scenarios::LoadError{position_of(name), status.message()};
      return false;
    }
  }
  if (scenario.streaming.serializer == "kryo") cost->serializer_factor *= 0.3;
  return true;
}

// Builds the DStream graph on demand, in dependency order (the loader has rejected cycles).
class GraphBuilder {
 public:
  GraphBuilder(const scenarios::Scenario& scenario, engine::StreamingContext* context,
               SourceFactory* sources)
      : scenario_(scenario), context_(context), sources_(sources) {}

  void AddSources() {
    for (const scenarios::SourceSpec& source : scenario_.sources) {
      streams_[source.name] = sources_->Make(source);
    }
  }

  engine::DStream* Get(const std::string& name) {
    auto it = streams_.find(name);
    if (it != streams_.end()) return it->second;
    for (const scenarios::StreamSpec& spec : scenario_.streams) {
      if (spec.name == name) return streams_[name] = MakeStream(spec);
    }
    return nullptr;  // unreachable after validation
  }

 private:
  // A stream's operators become a sequence of DStreams: each run of stateless operators is one
  // TransformedDStream, each windowed or stateful operator its own stream(s). The last one takes
  // the stream's name; the others are named "<stream>/<operator index>".
  engine::DStream* MakeStream(const scenarios::StreamSpec& spec) {
    engine::DStream* current = Get(spec.from);
    std::vector<scenarios::OperatorSpec> stateless;
    const size_t count = spec.ops.size();
    auto name_at = [&](size_t index) {
      return index + 1 == count ? spec.name : spec.name + "/" + std::to_string(index);
    };
    for (size_t i = 0; i < count; ++i) {
      if (!IsStateful(spec.ops[i].name)) {
        stateless.push_back(spec.ops[i]);
        continue;
      }
      if (!stateless.empty())
        current = MakeStateless(spec.name + "/before-" + std::to_string(i), current, &stateless);
      current = MakeStateful(spec.ops[i], name_at(i), current);
    }
    // A stream without operators is another name for its input (so that stateSnapshots can still
    // follow a mapWithState through it).
    if (!stateless.empty()) current = MakeStateless(spec.name, current, &stateless);
    return current;
  }

  engine::DStream* MakeStateless(const std::string& name, engine::DStream* input,
                                 std::vector<scenarios::OperatorSpec>* ops) {
    std::vector<std::string> others;
    std::vector<engine::Operator> chain = ConvertChain(*ops, &others);
    ops->clear();
    std::vector<engine::DStream*> parents = {input};
    for (const std::string& other : others) parents.push_back(Get(other));
    return context_->Transform(name, std::move(parents), std::move(chain));
  }

  static bool IsStateful(const std::string& name) {
    engine::OperatorKind kind;
    return !engine::OperatorKindFromName(name, &kind);
  }

  engine::DStream* MakeStateful(const scenarios::OperatorSpec& op, const std::string& name,
                                engine::DStream* input) {
    engine::StreamingContext& context = *context_;
    const engine::WindowArguments window{op.window.value_or(sim::Duration{}),
                                         op.slide.value_or(sim::Duration{}),
                                         op.partitions.value_or(0)};
    auto expression = [](const std::optional<scenarios::ExpressionSpec>& spec) {
      return spec ? std::optional<records::Expression>(spec->expression) : std::nullopt;
    };
    if (op.name == "window") return engine::Window(context, name, input, window);
    if (op.name == "reduceByWindow") {
      return engine::ReduceByWindow(context, name, input, op.func->expression,
                                    expression(op.inverse), window);
    }
    if (op.name == "reduceByKeyAndWindow") {
      return engine::ReduceByKeyAndWindow(context, name, input, op.func->expression,
                                          expression(op.inverse), expression(op.filter), window);
    }
    if (op.name == "countByWindow") return engine::CountByWindow(context, name, input, window);
    if (op.name == "countByValueAndWindow") {
      return engine::CountByValueAndWindow(context, name, input, window);
    }
    if (op.name == "groupByKeyAndWindow") {
      return engine::GroupByKeyAndWindow(context, name, input, window);
    }
    if (op.name == "updateStateByKey") {
      return engine::UpdateStateByKey(context, name, input, op.func->expression,
                                      op.partitions.value_or(0), op.initial);
    }
    if (op.name == "mapWithState") {
      return engine::MapWithState(context, name, input, op.func->expression, op.timeout,
                                  op.partitions.value_or(0), op.initial);
    }
    return engine::StateSnapshots(context, name, input);  // stateSnapshots (validated)
  }

  std::vector<engine::Operator> ConvertChain(const std::vector<scenarios::OperatorSpec>& specs,
                                             std::vector<std::string>* others) {
    std::vector<engine::Operator> chain;
    for (const scenarios::OperatorSpec& spec : specs) {
      engine::Operator op;
      engine::OperatorKindFromName(spec.name, &op.kind);
      if (spec.func) op.func = spec.func->expression;
      op.partitions = spec.partitions.value_or(0);
      if (!spec.other.empty()) op.other = OtherIndex(spec.other, others);
      op.ops = ConvertChain(spec.ops, others);
      chain.push_back(std::move(op));
    }
    return chain;
  }

  static int OtherIndex(const std::string& name, std::vector<std::string>* others) {
    for (size_t i = 0; i < others->size(); ++i) {
      if ((*others)[i] == name) return static_cast<int>(i);
    }
    others->push_back(name);
    return static_cast<int>(others->size() - 1);
  }

  const scenarios::Scenario& scenario_;
  engine::StreamingContext* context_;
  SourceFactory* sources_;
  std::map<std::string, engine::DStream*> streams_;
};

engine::SinkKind ToSinkKind(scenarios::SinkKind kind) {
  if (kind == scenarios::SinkKind::kIdempotent) return engine::SinkKind::kIdempotent;
  if (kind == scenarios::SinkKind::kTransactional) return engine::SinkKind::kTransactional;
  return engine::SinkKind::kAppend;  // "append" (the loader accepts no other)
}

// Named by OutputName, as the trace, the sink's write ledger and the checker name it.
engine::OutputOperation ToOutput(const scenarios::OutputSpec& spec, engine::DStream* stream,
                                 engine::SinkDatabase* sink_database) {
  engine::OutputOperation output;
  output.stream = stream;
  output.name = scenarios::OutputName(spec);
  output.print_count = spec.print_count;
  output.prefix = spec.prefix;
  output.suffix = spec.suffix;
  output.sink_path = spec.sink_path;
  if (spec.kind == scenarios::OutputKind::kPrint) {
    output.kind = engine::OutputOperation::Kind::kPrint;
  } else if (spec.kind == scenarios::OutputKind::kCollect) {
    output.kind = engine::OutputOperation::Kind::kCollect;
  } else if (spec.kind == scenarios::OutputKind::kSaveAsTextFiles) {
    output.kind = engine::OutputOperation::Kind::kSaveAsTextFiles;
  } else if (spec.kind == scenarios::OutputKind::kSink) {
    // "sink:<table>": the validator lets one output write each table, so the name is unique.
    output.kind = engine::OutputOperation::Kind::kSqliteSink;
    output.sink_database = sink_database;
    output.sink_kind = ToSinkKind(spec.sink_kind);
    output.sink_table = spec.sink_table;
  } else {
    output.kind = engine::OutputOperation::Kind::kFileSink;
  }
  return output;
}

// How long the run lasts: its stop time, or its batch count times the batch interval (an hour of
// simulated time when it has neither).
sim::Duration RunLength(const engine::StreamingConfig& config) {
  if (config.stop_at) return *config.stop_at;
  if (config.stop_after_batches) return config.batch_interval * *config.stop_after_batches;
  return sim::Duration::Seconds(3600);
}

// The faults of the run: the scenario's list, or its random schedule drawn up to the stop.
std::vector<faults::Fault> FaultSchedule(const scenarios::Scenario& scenario,
                                         sim::Duration run_length, sim::Prng& random) {
  std::vector<faults::Fault> schedule;
  if (!scenario.random_faults) {
    for (const scenarios::FaultSpec& spec : scenario.faults) schedule.push_back(spec.fault);
    return schedule;
  }
  faults::FaultTargets targets;
  targets.workers = scenario.cluster.workers;
  targets.receivers = scenarios::ReceiverNames(scenario);
  targets.external = scenarios::RandomDownTargets(scenario);
  return faults::ExpandRandomFaults(scenario.random_faults->random, targets, run_length, random);
}

// A fault with the scenario's names of external systems ("kafka/events") replaced by the world's
// node names ("kafka/<topic>").
faults::Fault ToWorldNames(const scenarios::Scenario& scenario, faults::Fault fault) {
  const std::map<std::string, std::string> systems = scenarios::ExternalSystems(scenario);
  auto rename = [&systems](std::string* name) {
    auto it = systems.find(*name);
    if (it != systems.end()) *name = it->second;
  };
  if (fault.kind == faults::Fault::Kind::kDown) rename(&fault.target);
  for (auto& side : fault.sides) {
    for (std::string& name : side) rename(&name);
  }
  return fault;
}

// The engine's processes as the fault schedule crashes them.
class ContextProcesses : public faults::ApplicationProcesses {
 public:
  explicit ContextProcesses(engine::StreamingContext* context) : context_(context) {}
  void CrashDriver(std::optional<sim::Duration> restart_after) override {
    context_->CrashDriver(restart_after);
  }
  void CrashWorker(int index, std::optional<sim::Duration> restart_after) override {
    context_->CrashWorker(index, restart_after);
  }
  void CrashReceiver(const std::string& source_name) override {
    context_->CrashReceiver(source_name);
  }

 private:
  engine::StreamingContext* context_;
};

}  // namespace

scenarios::LoadResult<std::unique_ptr<Simulation>> Simulation::Build(
    const scenarios::Scenario& scenario, const RunOptions& options,
    engine::OutputListener* listener) {
  scenarios::LoadError error;
  std::unique_ptr<Simulation> simulation(new Simulation());
  simulation->seed_ = options.seed.value_or(scenario.seed);
  simulation->world_ = std::make_unique<sim::World>(simulation->seed_);
  ConfigureNetwork(scenario.network, simulation->world_.get());
  engine::CostModel cost;
  if (!ConfigureCost(scenario, &cost, &error)) return error;
  const engine::StreamingConfig config = ToStreamingConfig(scenario, options);
  simulation->context_ =
      std::make_unique<engine::StreamingContext>(simulation->world_.get(), config, cost, listener);
  simulation->context_->run_ledger()->KeepRecords(options.checked);
  // Only a driver recovering from a checkpoint, and the checker reading what it made durable,
  // look a block up again once it is allocated.
  simulation->context_->run_ledger()->KeepAllocatedBlocks(config.checkpoint_dir.has_value());
  if (config.checkpoint_dir && options.checked) {
    simulation->ReadDurableMetadata(*config.checkpoint_dir);
  }
  SourceFactory sources(scenario, simulation->world_.get(), simulation->context_.get(),
                        &simulation->externals_);
  GraphBuilder graph(scenario, simulation->context_.get(), &sources);
  graph.AddSources();
  if (!simulation->OpenSinkDatabase(scenario, options, &error)) return error;
  for (const scenarios::OutputSpec& output : scenario.outputs) {
    simulation->context_->AddOutput(
        ToOutput(output, graph.Get(output.stream), simulation->sink_database_.get()));
  }
  simulation->faults_ =
      FaultSchedule(scenario, RunLength(config), simulation->world_->Random("faults/random"));
  for (size_t i = 0; i < simulation->faults_.size(); ++i) {
    const faults::Fault fault = ToWorldNames(scenario, simulation->faults_[i]);
    if (std::optional<std::string> unknown = faults::UnknownNode(*simulation->world_, fault)) {
      const scenarios::Position where =
          scenario.random_faults ? scenario.random_faults->position : scenario.faults[i].position;
      return scenarios::LoadError{where, fmt::format("fault names '{}' but this run has no such "
                                                     "node (its source kind is not simulated yet)",
                                                     *unknown)};
    }
    simulation->world_faults_.push_back(fault);
  }
  return simulation;
}

bool HasSinkOutputs(const scenarios::Scenario& scenario) {
  return std::any_of(
      scenario.outputs.begin(), scenario.outputs.end(),
      [](const scenarios::OutputSpec& spec) { return spec.kind == scenarios::OutputKind::kSink; });
}

// The checker reads the batch ledger back from the driver's durable metadata, decoding each
// change as it becomes durable.
void Simulation::ReadDurableMetadata(const std::string& checkpoint_dir) {
  durable_reader_ = std::make_unique<checker::DurableMetadataReader>(
      checkpoint_dir, &context_->ledger().driver_starts());
  checker::DurableMetadataReader* reader = durable_reader_.get();
  world_->ObserveDurableChanges(
      checker::DriverMetadataPaths(checkpoint_dir),
      [reader](const sim::DurableChange& change) { reader->Apply(change); });
}

bool Simulation::OpenSinkDatabase(const scenarios::Scenario& scenario, const RunOptions& options,
                                  scenarios::LoadError* error) {
  const auto first_sink = std::find_if(
      scenario.outputs.begin(), scenario.outputs.end(),
      [](const scenarios::OutputSpec& spec) { return spec.kind == scenarios::OutputKind::kSink; });
  if (first_sink == scenario.outputs.end()) return true;
  // ":memory:" is SQLite's name for a private in-memory database; Create would first remove a
  // file of that name, so an in-memory database is opened, never created.
  Result<std::unique_ptr<engine::SinkDatabase>> database =
      options.sink_database_path.empty() ? engine::SinkDatabase::Open(":memory:")
                                         : engine::SinkDatabase::Create(options.sink_database_path);
  if (!database.ok()) {
    *error = scenarios::LoadError{first_sink->position, database.status().message()};
    return false;
  }
  sink_database_ = std::move(database.value());
  sink_database_path_ = options.sink_database_path;
  return true;
}

Status Simulation::Run(sim::Duration every, const std::function<void(sim::Instant)>& tick) {
  processes_ = std::make_unique<ContextProcesses>(context_.get());
  faults::ScheduleFaults(*world_, *processes_, world_faults_);
  Status started = context_->Start();
  if (!started.ok()) return started;
  sim::Instant next_tick = world_->Now() + every;
  while (!context_->terminated() && world_->loop().RunNext()) {
    if (!tick || every.us <= 0 || world_->Now() < next_tick) continue;
    tick(world_->Now());
    next_tick = world_->Now() + every;
  }
  return Status::Ok();
}

}  // namespace streamsim::harness
