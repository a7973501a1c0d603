// Runs the built streamsim program (STREAMSIM_BINARY) and captures what it prints (stdout and
// stderr together) and its exit code, for the end-to-end CLI tests; and names library scenarios.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace streamsim::testing {

struct Outcome {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// `environment`, when given, is put before the command ("NAME=value ...").
inline Outcome Streamsim(const std::string& arguments, const std::string& environment = "") {
  const std::string command = (environment.empty() ? "" : environment + " ") +
                              std::string(STREAMSIM_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  Outcome outcome;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    outcome.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

inline std::string Library(const std::string& name) {
  return std::string(STREAMSIM_SOURCE_DIR) + "/scenarios/library/" + name;
}

}  // namespace streamsim::testing
