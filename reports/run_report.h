// Run reports read from a finished StreamingContext: the batch table of Spark's Streaming tab
// (batch time, input records, scheduling delay, processing time, total delay), the receivers'
// table, and the same facts as one JSON object for --json.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/streaming/streaming_context.h"

namespace streamsim::reports {

// The batch table, one row per generated batch; a batch still waiting shows "-" for its delays.
// Once the driver has restarted, a first column gives the driver life each batch ran in, and
// batches re-run or generated during recovery are marked "(recovered)".
std::string FormatBatchTable(const engine::StreamingContext& context);
std::string BatchStatus(const engine::BatchInfo& batch);
// The receivers' table: name, state, executor, records, blocks, last error.
std::string FormatReceiverTable(const engine::StreamingContext& context);
// Batches, receivers, warnings and the stop reason as JSON.
nlohmann::json RunToJson(const engine::StreamingContext& context);

}  // namespace streamsim::reports
