// A finished run (harness/run_result.h) as `streamsim run` prints it: the batch table of Spark's
// Streaming tab (batch time, input records, scheduling delay, processing time, total delay), the
// receivers' table, the fault schedule, the stop reason, the checker's verdict, and the seed and
// fingerprint — as text, or as one JSON object for --json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "harness/run_result.h"

namespace streamsim::reports {

// The batch table, one row per generated batch; a batch still waiting shows "-" for its delays.
// Once the driver has restarted, a first column gives the driver life each batch ran in, and
// batches re-run or generated during recovery are marked "(recovered)".
std::string FormatBatchTable(const std::vector<engine::BatchInfo>& batches);
std::string BatchStatus(const engine::BatchInfo& batch);
// The receivers' table: name, state, executor, records, blocks, last error ("" without receivers).
std::string FormatReceiverTable(const std::vector<harness::ReceiverRow>& receivers);
// Everything after the run's own print() output: the tables, the fault schedule, the stop reason,
// the verdict and findings, and the last line "seed: N fingerprint: HEX". `quiet` drops the blank
// line that separates the report from the run's output.
std::string FormatRunText(const harness::RunResult& result, bool quiet);
// The run as one JSON object: scenario, seed, fingerprint, batches, receivers, faults, warnings,
// stop_reason, checked, verdict, findings, predicted_guarantee (and expected_guarantee,
// expectation_met, faultless_differences, sink_database when they apply).
nlohmann::json RunToJson(const harness::RunResult& result);

}  // namespace streamsim::reports
