// `streamsim guarantees FILE [--json]`: the end-to-end delivery guarantee the scenario's
// configuration promises under each kind of fault it injects (and without faults), predicted by
// the guarantee calculator without running anything. A table, one line per fault kind, or one
// JSON object. A file the loader rejects is reported as `streamsim validate` reports it.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "harness/guarantee_prediction.h"
#include "reports/guarantee_report.h"

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

}  // namespace

int GuaranteesCommand(const std::vector<std::string>& arguments) {
  GuaranteesFlags flags;
  if (auto exit_code = ParseGuaranteesFlags(arguments, &flags)) return *exit_code;
  Result<harness::GuaranteePredictions> predictions =
      harness::PredictScenarioGuarantees(flags.file);
  if (!predictions.ok()) {
    std::cerr << predictions.status().message() << "\n";
    return kExitBadInput;
  }
  if (flags.json) {
    std::cout << reports::GuaranteesToJson(predictions.value()).dump() << "\n";
  } else {
    std::cout << reports::FormatGuaranteeTable(predictions.value());
  }
  return kExitOk;
}

}  // namespace streamsim::cli
