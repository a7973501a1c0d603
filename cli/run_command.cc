// `streamsim run` and `streamsim validate`: flags into a harness::RunRequest, the run's own
// print() output to stdout as it goes, and the finished run printed through reports/.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "harness/run.h"
#include "reports/error_report.h"
#include "reports/run_report.h"

namespace streamsim::cli {
namespace po = boost::program_options;
namespace {

struct RunFlags {
  harness::RunRequest request;
  bool quiet = false;
  bool json = false;
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
      "no-check",
      "run without the checker (capacity planning, measurements): no verdict or findings, and "
      "the scenario's expect: is not evaluated (a warning says so; exit code 0)")(
      "quiet,q", "print only the batch table, the verdict and the fingerprint")(
      "json", "print one JSON object (seed, fingerprint, batches, ...) instead of text");
  return description;
}

// Flags that exclude each other: a usage error (exit code 2) with a message.
std::optional<int> RejectConflictingFlags(const po::variables_map& values) {
  if (values.count("stop") && values.count("batches")) {
    std::cerr << "streamsim run: give --stop or --batches, not both\n";
    return kExitBadInput;
  }
  if (values.count("no-check") && values.count("compare-faultless")) {
    std::cerr << "streamsim run: give --no-check or --compare-faultless, not both (comparing "
                 "with the faults-off twin is part of the check)\n";
    return kExitBadInput;
  }
  return std::nullopt;
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
  if (auto exit_code = RejectConflictingFlags(values)) return exit_code;
  flags->request.file = values["file"].as<std::string>();
  if (values.count("seed")) flags->request.options.seed = values["seed"].as<uint64_t>();
  if (values.count("batches")) {
    if (values["batches"].as<int64_t>() < 1) {
      std::cerr << "streamsim run: --batches must be at least 1\n";
      return kExitBadInput;
    }
    flags->request.options.batches = values["batches"].as<int64_t>();
  }
  if (values.count("stop")) {
    sim::Duration stop;
    const std::string text = values["stop"].as<std::string>();
    if (!sim::ParseDuration(text, &stop) || stop.us <= 0) {
      std::cerr << "streamsim run: --stop expects a duration like 60s or 500ms, got '" << text
                << "'\n";
      return kExitBadInput;
    }
    flags->request.options.stop_after = stop;
  }
  if (values.count("output-dir"))
    flags->request.output_dir = values["output-dir"].as<std::string>();
  if (flags->request.output_dir.empty() && values.count("output-dir")) {
    std::cerr << "streamsim run: --output-dir needs a directory\n";
    return kExitBadInput;
  }
  if (values.count("trace")) flags->request.trace_path = values["trace"].as<std::string>();
  if (values.count("collect")) flags->request.collect_path = values["collect"].as<std::string>();
  if (values.count("emit-schedule")) {
    flags->request.emit_schedule_path = values["emit-schedule"].as<std::string>();
  }
  flags->quiet = values.count("quiet") > 0;
  flags->json = values.count("json") > 0;
  flags->request.compare_faultless = values.count("compare-faultless") > 0;
  flags->request.check = values.count("no-check") == 0;
  return std::nullopt;
}

// Prints what the run printed as it went (unless quiet or JSON), then its report.
int RunScenario(RunFlags& flags) {
  if (!flags.quiet && !flags.json) {
    flags.request.on_print = [](const std::string& text) { std::fputs(text.c_str(), stdout); };
    flags.request.on_warning = [](const std::string& message) {
      std::fprintf(stdout, "WARN %s\n", message.c_str());
    };
  }
  Result<harness::RunResult> result = harness::RunScenarioFile(flags.request);
  if (!result.ok()) {
    const std::string& message = result.status().message();
    if (flags.json) {
      std::cout << reports::ErrorToJson(flags.request.file, message).dump() << "\n";
    } else {
      // A message with a position names the scenario file first; others are the command's own.
      const bool positioned = message.rfind(flags.request.file + ":", 0) == 0;
      std::cerr << (positioned ? "" : "streamsim run: ") << message << "\n";
    }
    return result.status().code() == Status::Code::kInternal ? kExitInternal : kExitBadInput;
  }
  if (flags.json) {
    std::cout << reports::RunToJson(result.value()).dump() << "\n";
  } else {
    std::cout << reports::FormatRunText(result.value(), flags.quiet);
  }
  // Without the check nothing was evaluated, and a run that ends is exit code 0.
  return result.value().check.expectation_met ? kExitOk : kExitFinding;
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

int ValidateCommand(std::vector<std::string> arguments) {
  const bool json = std::erase(arguments, std::string("--json")) > 0;
  if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
    std::cout << "usage: streamsim validate FILE [--json]\n\nChecks a scenario (syntax, keys, "
                 "types, durations, expressions, stream references, cycles) without running it.\n"
                 "With --json, prints {\"valid\": true, \"file\", \"sources\", \"streams\", "
                 "\"outputs\"} or {\"error\": {\"file\", \"line\", \"column\", \"message\"}}.\n";
    return arguments.empty() ? kExitBadInput : kExitOk;
  }
  if (arguments.size() > 1) {
    std::cerr << "streamsim validate: expected one FILE, got " << arguments.size() << "\n";
    return kExitBadInput;
  }
  Result<harness::ValidationSummary> summary = harness::ValidateScenarioFile(arguments[0]);
  if (!summary.ok()) {
    if (json) {
      std::cout << reports::ErrorToJson(arguments[0], summary.status().message()).dump() << "\n";
    } else {
      std::cerr << summary.status().message() << "\n";
    }
    return kExitBadInput;
  }
  const harness::ValidationSummary& valid = summary.value();
  if (json) {
    const nlohmann::json report = {{"valid", true},
                                   {"file", arguments[0]},
                                   {"sources", valid.sources},
                                   {"streams", valid.streams},
                                   {"outputs", valid.outputs}};
    std::cout << report.dump() << "\n";
    return kExitOk;
  }
  std::cout << arguments[0] << ": ok (" << valid.sources << " sources, " << valid.streams
            << " streams, " << valid.outputs << " outputs)\n";
  return kExitOk;
}

}  // namespace streamsim::cli
