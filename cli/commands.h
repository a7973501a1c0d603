// The streamsim subcommands. Each returns the process exit code (DESIGN.md): 0 every expectation
// held, 1 an expectation failed, 2 bad input or usage, 3 internal error.
#pragma once

#include <string>
#include <vector>

namespace streamsim::cli {

constexpr int kExitOk = 0;
constexpr int kExitFinding = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

int RunCommand(const std::vector<std::string>& arguments);
int ValidateCommand(std::vector<std::string> arguments);
int GuaranteesCommand(const std::vector<std::string>& arguments);

}  // namespace streamsim::cli
