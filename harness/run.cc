// One run of a scenario file, end to end (harness/run.h).
#include "harness/run.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <system_error>

#include "base/run_context.h"
#include "checker/running_check.h"
#include "checker/verdict.h"
#include "harness/fault_warnings.h"
#include "harness/faultless_twin.h"
#include "harness/run_check.h"
#include "harness/temporary_directory.h"
#include "scenarios/loader.h"

namespace streamsim::harness {
namespace {

constexpr char kSinkDatabaseFile[] = "sinks.sqlite";
constexpr char kTwinSinkDatabaseFile[] = "faultless-sinks.sqlite";

// Where the engine's outputs go: print text and warnings to the request's callbacks, collect
// records to the collect file as one JSON line per batch.
class RunListener : public engine::OutputListener {
 public:
  RunListener(const RunRequest& request, std::ofstream* collect)
      : request_(request), collect_(collect) {}
  void OnPrint(const std::string& text) override {
    if (request_.on_print) request_.on_print(text);
  }
  void OnCollect(const std::string& output, int64_t batch_time_ms,
                 const records::Values& records) override {
    if (!collect_->is_open()) return;
    nlohmann::json line = {{"output", output}, {"batch_time_ms", batch_time_ms}};
    line["records"] = nlohmann::json::array();
    for (const records::Value& record : records) line["records"].push_back(record.ToJson());
    *collect_ << line.dump() << '\n';
  }
  void OnWarning(const std::string& message) override {
    if (request_.on_warning) request_.on_warning(message);
  }

 private:
  const RunRequest& request_;
  std::ofstream* collect_;
};

// The files one run owns, open for its length. Destroyed after the simulation (which keeps the
// sink database open), so the temporary directory goes last.
struct RunFiles {
  TemporaryDirectory temporary;
  std::ofstream collect;
  std::ofstream trace;
};

Status OpenForWriting(const std::string& path, std::ofstream* out) {
  if (path.empty()) return Status::Ok();
  out->open(path, std::ios::trunc);
  return *out ? Status::Ok() : Status::Error("cannot write " + path);
}

// Where the run's sink database goes: DIR/sinks.sqlite in --output-dir (created if missing), or in
// a temporary directory when the scenario has sink outputs and no directory was given.
Status PrepareOutputDirectory(const RunRequest& request, const scenarios::Scenario& scenario,
                              TemporaryDirectory* temporary, RunOptions* options) {
  std::filesystem::path directory = request.output_dir;
  if (!request.output_dir.empty()) {
    std::error_code code;
    std::filesystem::create_directories(directory, code);
    if (code) {
      return Status::Error("cannot create directory " + request.output_dir + ": " + code.message());
    }
  }
  if (!HasSinkOutputs(scenario)) return Status::Ok();
  if (request.output_dir.empty()) {
    std::string reason;
    if (!temporary->Create(&reason)) {
      return Status::Error("cannot create a temporary directory: " + reason);
    }
    directory = temporary->path();
  }
  options->sink_database_path = (directory / kSinkDatabaseFile).string();
  return Status::Ok();
}

Result<scenarios::Scenario> Load(const std::string& file) {
  scenarios::LoadResult<scenarios::Scenario> loaded = scenarios::LoadScenarioFile(file);
  if (!loaded.ok()) return Status::Error(loaded.error().ToString());
  return std::move(loaded.value());
}

std::vector<ReceiverRow> ReceiverRowsOf(const engine::StreamingContext& context) {
  std::vector<ReceiverRow> rows;
  for (const auto& [stream_id, status] : context.receiver_tracker().statuses()) {
    const std::string executor =
        status.executor >= 0 ? context.cluster().executors[status.executor].name : "-";
    rows.push_back(
        {status.name, status.state, executor, status.records, status.blocks, status.last_error});
  }
  return rows;
}

std::vector<SourceDrops> DropsOf(const SimulatedExternals& externals) {
  std::vector<SourceDrops> drops;
  for (const auto& agent : externals.flume_agents) {
    if (agent->events_dropped() == 0) continue;
    drops.push_back({agent->config().source_name, agent->events_dropped(),
                     fmt::format("its Flume channel (capacity {}) was full",
                                 agent->config().channel_capacity)});
  }
  for (const auto& device : externals.custom_devices) {
    if (device->records_dropped() == 0) continue;
    drops.push_back({device->name(), device->records_dropped(), "its device's outbox was full"});
  }
  return drops;
}

// A run without the check has no verdict to compare with the scenario's expect:.
std::string UnevaluatedExpectationWarning(checker::Guarantee expected) {
  return fmt::format(
      "the scenario's expect: {{guarantee: {}}} is not evaluated: the run was not checked (its "
      "exit code 0 says nothing about the expectation)",
      checker::GuaranteeName(expected));
}

// The check, or without it (RunRequest::check false) what needs no checker, with a warning for an
// expect: that goes unevaluated.
RunCheck CheckAsAsked(const scenarios::Scenario& scenario, const RunRequest& request,
                      Simulation& simulation, const checker::RunningCheck* running,
                      std::vector<std::string>* warnings) {
  if (request.check) {
    return CheckRunOf(scenario, simulation, running ? &running->settled() : nullptr);
  }
  RunCheck check = UncheckedRunOf(scenario, simulation);
  if (check.expected) {
    std::string warning = UnevaluatedExpectationWarning(*check.expected);
    if (request.on_warning) request.on_warning(warning);
    warnings->push_back(std::move(warning));
  }
  return check;
}

RunResult ResultOf(const scenarios::Scenario& scenario, const RunRequest& request,
                   Simulation& simulation, const checker::RunningCheck* running) {
  const engine::StreamingContext& context = simulation.context();
  RunResult result;
  result.scenario_name = scenario.name;
  result.scenario_file = request.file;
  result.seed = simulation.seed();
  result.fingerprint = simulation.world().trace().FingerprintHex();
  result.batches = context.batches();
  result.batches_left_out = context.pruned_batches();
  result.receivers = ReceiverRowsOf(context);
  result.dropped_by_sources = DropsOf(simulation.externals());
  result.faults = simulation.faults();
  result.warnings = context.warnings();
  for (std::string& warning :
       FaultWarnings(scenario, simulation.faults(), simulation.world().Now())) {
    if (request.on_warning) request.on_warning(warning);
    result.warnings.push_back(std::move(warning));
  }
  result.stop_reason = context.stop_reason();
  result.check = CheckAsAsked(scenario, request, simulation, running, &result.warnings);
  // Only a database that outlives the run is worth naming.
  if (!request.output_dir.empty()) result.kept_sink_database = simulation.sink_database_path();
  return result;
}

Status WriteFaultSchedule(const RunRequest& request, const Simulation& simulation) {
  if (request.emit_schedule_path.empty()) return Status::Ok();
  std::ofstream out(request.emit_schedule_path, std::ios::trunc);
  out << FaultScheduleYaml(simulation.faults(), request.file, simulation.seed());
  return out ? Status::Ok() : Status::Error("cannot write " + request.emit_schedule_path);
}

// Runs the built simulation with the run context an assertion failure reports, checking batches
// as they settle into `*running` when the request asks for it.
Status Drive(const scenarios::Scenario& scenario, const RunRequest& request, Simulation& simulation,
             std::unique_ptr<checker::RunningCheck>* running) {
  const sim::World& world = simulation.world();
  base::ScopedRunContext run_context(
      {simulation.seed(), [&world] { return world.Now().us; },
       fmt::format("streamsim run {} --seed {}", request.file, simulation.seed())});
  const bool as_it_goes = request.check && request.check_as_it_goes && !request.compare_faultless;
  Status status =
      as_it_goes ? RunCheckingAsItGoes(scenario, simulation, running) : simulation.Run();
  if (!status.ok()) return Status::Error(request.file + ":1:1: " + status.message());
  return Status::Ok();
}

Status CompareWithTwin(const scenarios::Scenario& scenario, const RunOptions& options,
                       Simulation& simulation, RunResult* result) {
  const std::string twin_database =
      options.sink_database_path.empty()
          ? ""
          : (std::filesystem::path(options.sink_database_path).parent_path() /
             kTwinSinkDatabaseFile)
                .string();
  auto twin = CompareWithFaultlessTwin(scenario, options, simulation, twin_database);
  if (!twin.ok()) return Status::Internal(twin.status().message());
  result->faultless_differences = std::move(twin.value());
  return Status::Ok();
}

}  // namespace

Result<RunResult> RunScenarioFile(const RunRequest& request) {
  if (request.compare_faultless && !request.check) {
    return Status::Error(
        "a faults-off comparison is part of the check: it cannot be asked for without the check");
  }
  Result<scenarios::Scenario> scenario = Load(request.file);
  if (!scenario.ok()) return scenario.status();
  RunFiles files;
  RunOptions options = request.options;
  options.checked = request.check;
  Status prepared = PrepareOutputDirectory(request, scenario.value(), &files.temporary, &options);
  if (!prepared.ok()) return prepared;
  if (Status opened = OpenForWriting(request.collect_path, &files.collect); !opened.ok()) {
    return opened;
  }
  RunListener listener(request, &files.collect);
  auto built = Simulation::Build(scenario.value(), options, &listener);
  if (!built.ok()) return Status::Error(built.error().ToString());
  std::unique_ptr<Simulation> simulation = std::move(built.value());
  if (Status written = WriteFaultSchedule(request, *simulation); !written.ok()) return written;
  if (Status opened = OpenForWriting(request.trace_path, &files.trace); !opened.ok()) return opened;
  if (files.trace.is_open()) {
    simulation->world().trace().SetSink([&files](std::string_view line) { files.trace << line; });
  }
  std::unique_ptr<checker::RunningCheck> running;
  if (Status driven = Drive(scenario.value(), request, *simulation, &running); !driven.ok()) {
    return driven;
  }
  RunResult result = ResultOf(scenario.value(), request, *simulation, running.get());
  if (request.compare_faultless) {
    Status compared = CompareWithTwin(scenario.value(), options, *simulation, &result);
    if (!compared.ok()) return compared;
  }
  return result;
}

Result<ValidationSummary> ValidateScenarioFile(const std::string& file) {
  Result<scenarios::Scenario> scenario = Load(file);
  if (!scenario.ok()) return scenario.status();
  engine::OutputListener silent;
  const auto built = Simulation::Build(scenario.value(), {}, &silent);
  if (!built.ok()) return Status::Error(built.error().ToString());
  return ValidationSummary{scenario.value().sources.size(), scenario.value().streams.size(),
                           scenario.value().outputs.size()};
}

std::string FaultScheduleYaml(const std::vector<faults::Fault>& faults, const std::string& file,
                              uint64_t seed) {
  std::string text = fmt::format(
      "# Fault schedule of {} with seed {}, written by streamsim run --emit-schedule.\n"
      "# Paste it in place of the scenario's faults: section to replay the same run.\n",
      file, seed);
  if (faults.empty()) return text + "faults: []\n";
  text += "faults:\n";
  for (const faults::Fault& fault : faults) text += "  - " + faults::ToYaml(fault) + "\n";
  return text;
}

}  // namespace streamsim::harness
