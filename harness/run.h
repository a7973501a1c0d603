// One run of a scenario file, end to end, as `streamsim run` makes it: load the YAML, decide where
// the run's files go (the sink database in --output-dir or a temporary directory; the trace, the
// collect lines and the emitted fault schedule where asked), build the simulation, drive it to its
// stop, check it (unless asked not to), run its faults-off twin when asked, and hand back a
// RunResult. The CLI parses
// flags into a RunRequest and prints the result through reports/; it builds nothing itself.
#pragma once

#include <functional>
#include <string>

#include "base/status.h"
#include "harness/run_result.h"
#include "harness/simulation.h"

namespace streamsim::harness {

struct RunRequest {
  std::string file;          // the scenario
  RunOptions options;        // seed and stop overrides (the sink database path is decided here)
  std::string output_dir;    // keep the run's files here (created if missing)
  std::string trace_path;    // write the trace, one line per event
  std::string collect_path;  // write collect outputs, one JSON line per batch
  std::string emit_schedule_path;  // write the fault schedule as a YAML faults: list
  bool compare_faultless = false;  // run the faults-off twin and compare the sinks
  // Run the checker after the run (verdict, findings, expect:). False: the simulation alone, for
  // capacity planning and measurements; the result's check.report is null, a scenario's expect:
  // is not evaluated (a warning says so). REQUIRES: not together with compare_faultless.
  bool check = true;
  // Check each batch as soon as nothing can change it any more, letting go of what the ledger kept
  // of it (checker/running_check.h), so that memory follows what is still open. False: the whole
  // check after the run. Both give the same report (tests compare them); ignored without `check`
  // and with compare_faultless (which reads every batch's emissions after the run).
  bool check_as_it_goes = true;
  // What the run prints as it goes (print() outputs) and its warnings; null: dropped.
  std::function<void(const std::string& text)> on_print;
  std::function<void(const std::string& message)> on_warning;
};

// Errors: bad input (Status::Code::kInvalidInput) — the scenario does not load or build
// ("file:line:col: message"), a file of the run cannot be written, the context refuses to start;
// internal (kInternal) — the faults-off twin could not be run or read back. A request with
// compare_faultless and without check is bad input (the comparison is part of the check).
Result<RunResult> RunScenarioFile(const RunRequest& request);

// What `streamsim validate` says of a scenario that loads and builds.
struct ValidationSummary {
  size_t sources = 0;
  size_t streams = 0;
  size_t outputs = 0;
};

// Loads and builds (without running) the scenario: finds what only shows when the pieces meet,
// e.g. an unknown cost name. Errors are "file:line:col: message".
Result<ValidationSummary> ValidateScenarioFile(const std::string& file);

// The fault schedule of a run as a scenario's `faults:` section: pasted in place of `random:`, it
// replays the run.
std::string FaultScheduleYaml(const std::vector<faults::Fault>& faults, const std::string& file,
                              uint64_t seed);

}  // namespace streamsim::harness
