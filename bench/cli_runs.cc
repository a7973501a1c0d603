// The product path measured (issue 13): for each row of a fixed table, runs the built `streamsim`
// program as a child process, `streamsim run SCENARIO --stop DURATION -q`, once with the checker
// and once with --no-check, and reports each child's wall time (steady_clock, from fork to wait4)
// and peak resident set (wait4's rusage, ru_maxrss), the checker's share of the time, and the
// ratios issue 13's targets are stated in, as Markdown. One child per run: peak RSS is per
// process, and what is measured is what a user runs, YAML loading and the report included.
//   usage: cli_runs [--quick] [--only NAME] [--streamsim PATH]
// The scenarios are bench/scenarios/*.yaml; the program defaults to build/streamsim (next to the
// directory of this binary, build/bench/).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace {

struct Row {
  const char* name;
  const char* scenario;  // under bench/scenarios/
  const char* stop;      // simulated duration, as `streamsim run --stop` takes it
  bool quick;            // one of the short rows, run by --quick
};

// Issue 13's table. The long rows take long and, before the checker is bounded, much memory.
constexpr Row kRows[] = {
    {"chapter-1h", "error-lines.yaml", "1h", true},
    {"chapter-24h", "error-lines.yaml", "24h", false},
    {"word-count-1m", "word-count.yaml", "1m", true},
    {"word-count-10m", "word-count.yaml", "10m", false},
    {"soak-5m", "random-fault-soak.yaml", "5m", true},
    {"soak-1h", "random-fault-soak.yaml", "1h", false},
};

constexpr double kMegabyte = 1e6;
constexpr double kTargetRssRatioMax = 1.25;      // a long run's peak RSS over a short one's
constexpr double kTargetWordCountRssMb = 1000;   // 1 GB
constexpr double kTargetCheckerShareMax = 0.25;  // checker time over the simulation's own

struct Options {
  bool quick = false;
  std::string only;       // a row's name; empty: every row
  std::string streamsim;  // the program measured
};

struct Measurement {
  double wall_s = 0;
  long peak_rss_kb = 0;
  int exit_code = -1;  // -1: killed by a signal, or not started
};

struct RowResult {
  const Row* row = nullptr;
  Measurement checked;
  Measurement unchecked;
};

double Megabytes(const Measurement& measurement) {
  return static_cast<double>(measurement.peak_rss_kb) * 1024 / kMegabyte;
}

// The checker's time (checked run minus unchecked) over the simulation's own (unchecked run).
double CheckerShare(const RowResult& result) {
  return (result.checked.wall_s - result.unchecked.wall_s) / result.unchecked.wall_s;
}

std::string DefaultStreamsim() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "build/streamsim";
  return (self.parent_path().parent_path() / "streamsim").string();
}

std::vector<std::string> Arguments(const Row& row, bool check) {
  std::vector<std::string> arguments = {
      "run", std::string(STREAMSIM_SOURCE_DIR) + "/bench/scenarios/" + row.scenario, "--stop",
      row.stop, "-q"};
  if (!check) arguments.push_back("--no-check");
  return arguments;
}

// Runs `program` with `arguments` and waits for it. Its stdout (the batch table) goes to
// /dev/null; its stderr stays, so that a failure shows.
Measurement RunChild(const std::string& program, const std::vector<std::string>& arguments) {
  std::vector<char*> argv = {const_cast<char*>(program.c_str())};
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.data()));
  argv.push_back(nullptr);
  Measurement measurement;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("cli_runs: fork");
    return measurement;
  }
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDOUT_FILENO);
    execv(program.c_str(), argv.data());
    std::perror("cli_runs: execv");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  pid_t waited;
  while ((waited = wait4(pid, &status, 0, &usage)) < 0 && errno == EINTR) {
  }
  if (waited != pid) {
    std::perror("cli_runs: wait4");
    return measurement;
  }
  measurement.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  measurement.peak_rss_kb = usage.ru_maxrss;
  measurement.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return measurement;
}

Measurement Measure(const Options& options, const Row& row, bool check) {
  std::fprintf(stderr, "cli_runs: %s, checker %s ...\n", row.name, check ? "on" : "off");
  const Measurement measurement = RunChild(options.streamsim, Arguments(row, check));
  std::fprintf(stderr, "cli_runs: %s, checker %s: %.2f s, %.0f MB, exit %d\n", row.name,
               check ? "on" : "off", measurement.wall_s, Megabytes(measurement),
               measurement.exit_code);
  return measurement;
}

std::string ExitCodes(const RowResult& result) {
  return std::to_string(result.checked.exit_code) + " / " +
         std::to_string(result.unchecked.exit_code);
}

void PrintRunTable(const std::vector<RowResult>& results) {
  std::printf(
      "| row | simulated | checker on: wall s | peak RSS MB | checker off: wall s | peak RSS MB "
      "| on / off wall | checker share | exit on / off |\n"
      "|---|---|---|---|---|---|---|---|---|\n");
  for (const RowResult& result : results) {
    std::printf("| %s | %s | %.2f | %.0f | %.2f | %.0f | %.2fx | %.0f %% | %s |\n",
                result.row->name, result.row->stop, result.checked.wall_s,
                Megabytes(result.checked), result.unchecked.wall_s, Megabytes(result.unchecked),
                result.checked.wall_s / result.unchecked.wall_s, 100 * CheckerShare(result),
                ExitCodes(result).c_str());
  }
}

const RowResult* Find(const std::vector<RowResult>& results, const std::string& name) {
  for (const RowResult& result : results) {
    if (result.row->name == name) return &result;
  }
  return nullptr;
}

const char* Met(bool met) { return met ? "met" : "NOT met"; }

// "<long> / <short> peak RSS", checker on (the product path) and off (the simulation alone).
void PrintRssRatio(const std::vector<RowResult>& results, const std::string& label,
                   const std::string& long_row, const std::string& short_row) {
  const RowResult* long_result = Find(results, long_row);
  const RowResult* short_result = Find(results, short_row);
  if (!long_result || !short_result) {
    std::printf("| %s | not run | <= %.2fx | - |\n", label.c_str(), kTargetRssRatioMax);
    return;
  }
  const double on = Megabytes(long_result->checked) / Megabytes(short_result->checked);
  const double off = Megabytes(long_result->unchecked) / Megabytes(short_result->unchecked);
  std::printf("| %s | %.2fx (checker off: %.2fx) | <= %.2fx | %s |\n", label.c_str(), on, off,
              kTargetRssRatioMax, Met(on <= kTargetRssRatioMax));
}

void PrintWordCountRss(const std::vector<RowResult>& results) {
  const RowResult* result = Find(results, "word-count-10m");
  if (!result) {
    std::printf("| word count 10m peak RSS | not run | < %.0f MB | - |\n", kTargetWordCountRssMb);
    return;
  }
  const double on = Megabytes(result->checked);
  std::printf("| word count 10m peak RSS | %.0f MB (checker off: %.0f MB) | < %.0f MB | %s |\n", on,
              Megabytes(result->unchecked), kTargetWordCountRssMb, Met(on < kTargetWordCountRssMb));
}

void PrintCheckerShare(const std::vector<RowResult>& results) {
  const RowResult* worst = &results.front();
  for (const RowResult& result : results) {
    if (CheckerShare(result) > CheckerShare(*worst)) worst = &result;
  }
  std::printf("| checker's share of time, worst row (%s) | %.0f %% | <= %.0f %% | %s |\n",
              worst->row->name, 100 * CheckerShare(*worst), 100 * kTargetCheckerShareMax,
              Met(CheckerShare(*worst) <= kTargetCheckerShareMax));
}

void PrintTargets(const std::vector<RowResult>& results) {
  std::printf("\n| issue 13 target | measured (checker on) | target | |\n|---|---|---|---|\n");
  PrintRssRatio(results, "chapter 24h / 1h peak RSS", "chapter-24h", "chapter-1h");
  PrintRssRatio(results, "soak 1h / 5m peak RSS", "soak-1h", "soak-5m");
  PrintWordCountRss(results);
  PrintCheckerShare(results);
}

void PrintUsage(std::FILE* out) {
  std::fprintf(out, "usage: cli_runs [--quick] [--only NAME] [--streamsim PATH]\nrows:");
  for (const Row& row : kRows) std::fprintf(out, " %s%s", row.name, row.quick ? " (quick)" : "");
  std::fprintf(out, "\n");
}

bool IsRow(const std::string& name) {
  for (const Row& row : kRows) {
    if (row.name == name) return true;
  }
  return false;
}

// Returns the options, or nothing after printing why they are not usable.
std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  options.streamsim = DefaultStreamsim();
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--quick") {
      options.quick = true;
    } else if (flag == "--only" && has_value && IsRow(argv[i + 1])) {
      options.only = argv[++i];
    } else if (flag == "--streamsim" && has_value) {
      options.streamsim = argv[++i];
    } else {
      std::fprintf(stderr, "cli_runs: unexpected or incomplete argument '%s'\n", flag.c_str());
      return std::nullopt;
    }
  }
  if (access(options.streamsim.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "cli_runs: cannot run %s (give --streamsim PATH)\n",
                 options.streamsim.c_str());
    return std::nullopt;
  }
  return options;
}

bool Selected(const Options& options, const Row& row) {
  if (options.quick && !row.quick) return false;
  return options.only.empty() || options.only == row.name;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Options> options = ParseOptions(argc, argv);
  if (!options) {
    PrintUsage(stderr);
    return 2;
  }
  std::vector<RowResult> results;
  for (const Row& row : kRows) {
    if (!Selected(*options, row)) continue;
    results.push_back({&row, Measure(*options, row, true), Measure(*options, row, false)});
  }
  if (results.empty()) {
    std::fprintf(stderr, "cli_runs: no row selected (--only a long row with --quick?)\n");
    return 2;
  }
  PrintRunTable(results);
  PrintTargets(results);
  std::printf("\neach run: %s run %s/bench/scenarios/SCENARIO --stop DURATION -q [--no-check]\n",
              options->streamsim.c_str(), STREAMSIM_SOURCE_DIR);
  return 0;
}
