// `streamsim run` and `streamsim validate`: option parsing, output wiring (print to stdout,
// collect to a JSON-lines file, the trace to a file, sink outputs to DIR/sinks.sqlite), the
// end-of-run report and the fingerprint.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <system_error>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/temporary_directory.h"
#include "cli/verdict_output.h"
#include "reports/run_report.h"
#include "scenarios/builder.h"
#include "scenarios/faultless_twin.h"
#include "scenarios/loader.h"
#include "scenarios/run_check.h"

namespace streamsim::cli {
namespace po = boost::program_options;
namespace {

// Where the engine's outputs go: print text to stdout (unless quiet or JSON), collect records to
// the --collect file as one JSON line per batch.
class CliListener : public engine::OutputListener {
 public:
  CliListener(bool show_prints, std::ofstream* collect) : show_prints_(show_prints), collect_(collect) {}
  void OnPrint(const std::string& text) override {
    if (show_prints_) std::fputs(text.c_str(), stdout);
  }
  void OnCollect(const std::string& output, int64_t batch_time_ms,
                 const records::Values& records) override {
    if (!collect_) return;
    nlohmann::json line = {{"output", output}, {"batch_time_ms", batch_time_ms}};
    line["records"] = nlohmann::json::array();
    for (const records::Value& record : records) line["records"].push_back(record.ToJson());
    *collect_ << line.dump() << '\n';
  }
  void OnWarning(const std::string& message) override {
    if (show_prints_) std::fprintf(stdout, "WARN %s\n", message.c_str());
  }

 private:
  bool show_prints_;
  std::ofstream* collect_;
};

constexpr char kSinkDatabaseFile[] = "sinks.sqlite";

struct RunFlags {
  std::string file;
  scenarios::RunOptions options;
  std::string output_dir;
  std::string trace_path;
  std::string collect_path;
  std::string emit_schedule_path;
  bool quiet = false;
  bool json = false;
  bool compare_faultless = false;
};

po::options_description RunOptionsDescription() {
  po::options_description description(
      "usage: streamsim run FILE [options]\n\nRuns a scenario. Options");
  description.add_options()("help,h", "show this help")(
      "seed", po::value<uint64_t>(), "the run seed (default: the scenario's seed)")(
      "stop", po::value<std::string>(), "stop at this simulated time, e.g. 60s (graceful)")(
      "batches", po::value<int64_t>(), "stop once this many batches have completed")(
      "trace", po::value<std::string>(), "write the trace, one line per event, to FILE")(
      "collect", po::value<std::string>(), "write collect outputs as JSON lines to FILE")(
      "emit-schedule", po::value<std::string>(),
      "write the run's fault schedule (a random one expanded) as a YAML faults: list to FILE")(
      "output-dir", po::value<std::string>(),
      "write the run's files to DIR (created if missing): sink: outputs go to the SQLite "
      "database DIR/sinks.sqlite, replaced at each run (default: a temporary directory removed "
      "when the run ends)")(
      "compare-faultless",
      "run the same seed again with the faults removed and report where the sinks differ")(
      "quiet,q", "print only the batch table, the verdict and the fingerprint")(
      "json", "print one JSON object (seed, fingerprint, batches, ...) instead of text");
  return description;
}

// Parses run's options; returns an exit code when the command should end here.
std::optional<int> ParseRunFlags(const std::vector<std::string>& arguments, RunFlags* flags) {
  po::options_description visible = RunOptionsDescription();
  po::options_description all = visible;
  all.add_options()("file", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map values;
  po::store(po::command_line_parser(arguments).options(all).positional(positional).run(), values);
  if (values.count("help")) {
    std::cout << visible << "\n";
    return kExitOk;
  }
  if (!values.count("file")) {
    std::cerr << "streamsim run: missing scenario FILE\n\n" << visible << "\n";
    return kExitBadInput;
  }
  flags->file = values["file"].as<std::string>();
  if (values.count("seed")) flags->options.seed = values["seed"].as<uint64_t>();
  if (values.count("batches")) {
    if (values["batches"].as<int64_t>() < 1) {
      std::cerr << "streamsim run: --batches must be at least 1\n";
      return kExitBadInput;
    }
    flags->options.batches = values["batches"].as<int64_t>();
  }
  if (values.count("stop")) {
    sim::Duration stop;
    const std::string text = values["stop"].as<std::string>();
    if (!sim::ParseDuration(text, &stop) || stop.us <= 0) {
      std::cerr << "streamsim run: --stop expects a duration like 60s or 500ms, got '" << text
                << "'\n";
      return kExitBadInput;
    }
    flags->options.stop_after = stop;
  }
  if (values.count("stop") && values.count("batches")) {
    std::cerr << "streamsim run: give --stop or --batches, not both\n";
    return kExitBadInput;
  }
  if (values.count("output-dir")) flags->output_dir = values["output-dir"].as<std::string>();
  if (flags->output_dir.empty() && values.count("output-dir")) {
    std::cerr << "streamsim run: --output-dir needs a directory\n";
    return kExitBadInput;
  }
  if (values.count("trace")) flags->trace_path = values["trace"].as<std::string>();
  if (values.count("collect")) flags->collect_path = values["collect"].as<std::string>();
  if (values.count("emit-schedule")) {
    flags->emit_schedule_path = values["emit-schedule"].as<std::string>();
  }
  flags->quiet = values.count("quiet") > 0;
  flags->json = values.count("json") > 0;
  flags->compare_faultless = values.count("compare-faultless") > 0;
  return std::nullopt;
}

// The schedule as a scenario's `faults:` section: pasted in place of `random:`, it replays.
std::string ScheduleYaml(const scenarios::Simulation& simulation, const std::string& file) {
  std::string text = fmt::format(
      "# Fault schedule of {} with seed {}, written by streamsim run --emit-schedule.\n"
      "# Paste it in place of the scenario's faults: section to replay the same run.\n",
      file, simulation.seed());
  if (simulation.faults().empty()) return text + "faults: []\n";
  text += "faults:\n";
  for (const faults::Fault& fault : simulation.faults()) text += "  - " + faults::ToYaml(fault) + "\n";
  return text;
}

bool EmitSchedule(const scenarios::Simulation& simulation, const RunFlags& flags) {
  std::ofstream out(flags.emit_schedule_path, std::ios::trunc);
  out << ScheduleYaml(simulation, flags.file);
  if (out) return true;
  std::cerr << "streamsim run: cannot write " << flags.emit_schedule_path << "\n";
  return false;
}

void PrintFaultSchedule(const scenarios::Simulation& simulation) {
  if (simulation.faults().empty()) return;
  std::cout << "\nfault schedule:\n";
  for (const faults::Fault& fault : simulation.faults()) {
    std::cout << "  " << faults::Describe(fault) << "\n";
  }
}

void PrintTextReport(scenarios::Simulation& simulation, bool quiet) {
  engine::StreamingContext& context = simulation.context();
  if (!quiet) std::cout << "\n";
  std::cout << reports::FormatBatchTable(context);
  const std::string receivers = reports::FormatReceiverTable(context);
  if (!receivers.empty()) std::cout << "\n" << receivers;
  PrintFaultSchedule(simulation);
  std::cout << "\n" << context.stop_reason() << "\n";
}

// Where the run's sink database goes: --output-dir DIR (created if missing), or a temporary
// directory when the scenario has sink outputs. Fills options->sink_database_path when there is
// a sink. Returns false, having said why, when a directory cannot be created.
bool PrepareOutputDirectory(const RunFlags& flags, const scenarios::Scenario& scenario,
                            TemporaryDirectory* temporary, scenarios::RunOptions* options) {
  std::filesystem::path directory = flags.output_dir;
  if (!flags.output_dir.empty()) {
    std::error_code code;
    std::filesystem::create_directories(directory, code);
    if (code) {
      std::cerr << "streamsim run: cannot create directory " << flags.output_dir << ": "
                << code.message() << "\n";
      return false;
    }
  }
  if (!scenarios::HasSinkOutputs(scenario)) return true;
  if (flags.output_dir.empty()) {
    std::string reason;
    if (!temporary->Create(&reason)) {
      std::cerr << "streamsim run: cannot create a temporary directory: " << reason << "\n";
      return false;
    }
    directory = temporary->path();
  }
  options->sink_database_path = (directory / kSinkDatabaseFile).string();
  return true;
}

void PrintJsonReport(const RunFlags& flags, const scenarios::Scenario& scenario,
                     scenarios::Simulation& simulation, const scenarios::RunCheck& check,
                     const Differences& differences) {
  nlohmann::json result = reports::RunToJson(simulation.context());
  result["scenario"] = scenario.name;
  result["seed"] = simulation.seed();
  result["fingerprint"] = simulation.world().trace().FingerprintHex();
  result["faults"] = nlohmann::json::array();
  for (const faults::Fault& fault : simulation.faults()) {
    result["faults"].push_back(faults::ToYaml(fault));
  }
  // Only a database that outlives the command is worth naming.
  if (!flags.output_dir.empty() && !simulation.sink_database_path().empty()) {
    result["sink_database"] = simulation.sink_database_path();
  }
  AddVerdictToJson(check, differences, &result);
  std::cout << result.dump() << "\n";
}

// The twin's sink file, next to the run's: DIR/faultless-sinks.sqlite ("" without sinks).
std::string TwinSinkDatabasePath(const scenarios::RunOptions& options) {
  if (options.sink_database_path.empty()) return "";
  return (std::filesystem::path(options.sink_database_path).parent_path() /
          "faultless-sinks.sqlite")
      .string();
}

int RunScenario(const RunFlags& flags) {
  scenarios::Scenario scenario;
  scenarios::LoadError error;
  if (!scenarios::LoadScenarioFile(flags.file, &scenario, &error)) {
    std::cerr << error.ToString() << "\n";
    return kExitBadInput;
  }
  // Destroyed after the simulation, which keeps the sink database open.
  TemporaryDirectory temporary;
  scenarios::RunOptions options = flags.options;
  if (!PrepareOutputDirectory(flags, scenario, &temporary, &options)) return kExitBadInput;
  std::ofstream collect;
  if (!flags.collect_path.empty()) {
    collect.open(flags.collect_path, std::ios::trunc);
    if (!collect) {
      std::cerr << "streamsim run: cannot write " << flags.collect_path << "\n";
      return kExitBadInput;
    }
  }
  CliListener listener(!flags.quiet && !flags.json, flags.collect_path.empty() ? nullptr : &collect);
  auto simulation = scenarios::Simulation::Build(scenario, options, &listener, &error);
  if (!simulation) {
    std::cerr << error.ToString() << "\n";
    return kExitBadInput;
  }
  if (!flags.emit_schedule_path.empty() && !EmitSchedule(*simulation, flags)) return kExitBadInput;
  std::ofstream trace;
  if (!flags.trace_path.empty()) {
    trace.open(flags.trace_path, std::ios::trunc);
    if (!trace) {
      std::cerr << "streamsim run: cannot write " << flags.trace_path << "\n";
      return kExitBadInput;
    }
    simulation->world().trace().SetSink([&trace](std::string_view line) { trace << line; });
  }
  Status status = simulation->Run();
  if (!status.ok()) {
    std::cerr << flags.file << ":1:1: " << status.message() << "\n";
    return kExitBadInput;
  }
  const std::string fingerprint = simulation->world().trace().FingerprintHex();
  const scenarios::RunCheck check = scenarios::CheckRunOf(scenario, *simulation);
  Differences differences;
  if (flags.compare_faultless) {
    auto twin = scenarios::CompareWithFaultlessTwin(scenario, options, *simulation,
                                                    TwinSinkDatabasePath(options));
    if (!twin.ok()) {
      std::cerr << "streamsim run: " << twin.status().message() << "\n";
      return kExitInternal;
    }
    differences = std::move(twin.value());
  }
  if (flags.json) {
    PrintJsonReport(flags, scenario, *simulation, check, differences);
  } else {
    PrintTextReport(*simulation, flags.quiet);
    PrintVerdict(check, differences);
    std::cout << "seed: " << simulation->seed() << " fingerprint: " << fingerprint << "\n";
  }
  return check.expectation_met ? kExitOk : kExitFinding;
}

}  // namespace

int RunCommand(const std::vector<std::string>& arguments) {
  RunFlags flags;
  try {
    if (auto exit_code = ParseRunFlags(arguments, &flags)) return *exit_code;
  } catch (const po::error& error) {
    std::cerr << "streamsim run: " << error.what() << "\n";
    return kExitBadInput;
  }
  return RunScenario(flags);
}

int ValidateCommand(const std::vector<std::string>& arguments) {
  if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
    std::cout << "usage: streamsim validate FILE\n\nChecks a scenario (syntax, keys, types, "
                 "durations, expressions, stream references, cycles) without running it.\n";
    return arguments.empty() ? kExitBadInput : kExitOk;
  }
  if (arguments.size() > 1) {
    std::cerr << "streamsim validate: expected one FILE, got " << arguments.size() << "\n";
    return kExitBadInput;
  }
  scenarios::Scenario scenario;
  scenarios::LoadError error;
  if (!scenarios::LoadScenarioFile(arguments[0], &scenario, &error)) {
    std::cerr << error.ToString() << "\n";
    return kExitBadInput;
  }
  // Building (without running) finds what only shows when the pieces meet, e.g. a cost name.
  engine::OutputListener silent;
  if (!scenarios::Simulation::Build(scenario, {}, &silent, &error)) {
    std::cerr << error.ToString() << "\n";
    return kExitBadInput;
  }
  std::cout << arguments[0] << ": ok (" << scenario.sources.size() << " sources, "
            << scenario.streams.size() << " streams, " << scenario.outputs.size()
            << " outputs)\n";
  return kExitOk;
}

}  // namespace streamsim::cli
