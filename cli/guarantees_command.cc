// `streamsim guarantees FILE [--json]`: the end-to-end delivery guarantee the scenario's
// configuration promises under each kind of fault it injects (and without faults), predicted by
// the guarantee calculator without running anything. A table, one line per fault kind, or one
// JSON object. A file the loader rejects is reported as `streamsim validate` reports it.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "checker/guarantee_calculator.h"
#include "cli/commands.h"
#include "scenarios/guarantee_configuration.h"
#include "scenarios/loader.h"

namespace streamsim::cli {
namespace {

constexpr const char* kGuaranteesUsage =
    "usage: streamsim guarantees FILE [--json]\n\n"
    "Predicts, from the scenario's configuration alone, the end-to-end delivery guarantee under\n"
    "each kind of fault it injects (and without faults), with the reason. Nothing runs.\n"
    "  --json   print one JSON object {scenario, predictions: [{fault, guarantee, reason}]}\n";

struct GuaranteesFlags {
  std::string file;
  bool json = false;
};

// Parses the arguments; returns an exit code when the command should end here.
std::optional<int> ParseGuaranteesFlags(const std::vector<std::string>& arguments,
                                        GuaranteesFlags* flags) {
  for (const std::string& argument : arguments) {
    if (argument == "--help" || argument == "-h") {
      std::cout << kGuaranteesUsage;
      return kExitOk;
    }
    if (argument == "--json") {
      flags->json = true;
    } else if (argument.rfind("-", 0) == 0) {
      std::cerr << "streamsim guarantees: unknown option '" << argument << "'\n\n"
                << kGuaranteesUsage;
      return kExitBadInput;
    } else if (flags->file.empty()) {
      flags->file = argument;
    } else {
      std::cerr << "streamsim guarantees: expected one FILE, got '" << flags->file << "' and '"
                << argument << "'\n";
      return kExitBadInput;
    }
  }
  if (!flags->file.empty()) return std::nullopt;
  std::cerr << "streamsim guarantees: missing scenario FILE\n\n" << kGuaranteesUsage;
  return kExitBadInput;
}

void PrintTable(const std::vector<checker::Prediction>& predictions) {
  constexpr const char* kRow = "{:<15} {:<14} {}\n";
  std::cout << fmt::format(kRow, "fault", "guarantee", "reason");
  for (const checker::Prediction& prediction : predictions) {
    std::cout << fmt::format(kRow, prediction.fault, checker::GuaranteeName(prediction.guarantee),
                             prediction.reason);
  }
}

void PrintJson(const std::string& scenario, const std::vector<checker::Prediction>& predictions) {
  nlohmann::json result = {{"scenario", scenario}, {"predictions", nlohmann::json::array()}};
  for (const checker::Prediction& prediction : predictions) {
    result["predictions"].push_back(
        {{"fault", prediction.fault},
         {"guarantee", std::string(checker::GuaranteeName(prediction.guarantee))},
         {"reason", prediction.reason}});
  }
  std::cout << result.dump() << "\n";
}

}  // namespace

int GuaranteesCommand(const std::vector<std::string>& arguments) {
  GuaranteesFlags flags;
  if (auto exit_code = ParseGuaranteesFlags(arguments, &flags)) return *exit_code;
  scenarios::Scenario scenario;
  scenarios::LoadError error;
  if (!scenarios::LoadScenarioFile(flags.file, &scenario, &error)) {
    std::cerr << error.ToString() << "\n";
    return kExitBadInput;
  }
  const std::vector<checker::Prediction> predictions = checker::PredictGuarantees(
      scenarios::GuaranteeConfigurationOf(scenario), scenarios::FaultKindsOf(scenario));
  if (flags.json) {
    PrintJson(scenario.name, predictions);
  } else {
    PrintTable(predictions);
  }
  return kExitOk;
}

}  // namespace streamsim::cli
