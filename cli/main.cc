// streamsim: run, validate and (later) explore, report and plan stream-processing scenarios in a
// deterministic simulated world. This file dispatches to the subcommands and turns any escaping
// exception into exit code 3 with a message, never a stack trace.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

constexpr const char* kUsage =
    "usage: streamsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE        run a scenario and print its batches, batch table and fingerprint\n"
    "  validate FILE   check a scenario without running it\n"
    "  guarantees FILE predict the delivery guarantee under each of the scenario's fault kinds\n"
    "\n"
    "Run 'streamsim <command> --help' for a command's options.\n"
    "Exit codes: 0 ok, 1 an expectation failed, 2 bad input or usage, 3 internal error.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace streamsim::cli;
  std::vector<std::string> arguments(argv + 1, argv + argc);
  if (arguments.empty()) {
    std::fputs(kUsage, stderr);
    return kExitBadInput;
  }
  const std::string command = arguments.front();
  arguments.erase(arguments.begin());
  try {
    if (command == "--help" || command == "-h" || command == "help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    }
    if (command == "run") return RunCommand(arguments);
    if (command == "validate") return ValidateCommand(arguments);
    if (command == "guarantees") return GuaranteesCommand(arguments);
    std::fprintf(stderr, "streamsim: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return kExitBadInput;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "streamsim: internal error: %s\n", error.what());
    return kExitInternal;
  }
}
