// Text and JSON renderings of a run's batches and receivers.
#include "reports/run_report.h"

#include <algorithm>

#include <fmt/format.h>

namespace streamsim::reports {
namespace {

std::string Millis(const std::optional<sim::Duration>& duration) {
  return duration ? fmt::format("{} ms", duration->us / 1000) : "-";
}

nlohmann::json OptionalMillis(const std::optional<sim::Duration>& duration) {
  return duration ? nlohmann::json(static_cast<double>(duration->us) / 1000.0)
                  : nlohmann::json(nullptr);
}

}  // namespace

std::string BatchStatus(const engine::BatchInfo& batch) {
  std::string status = !batch.failure.empty()  ? "failed"
                       : batch.completed()      ? "completed"
                       : batch.processing_start ? "processing"
                                                : "queued";
  if (batch.recovered) status += " (recovered)";
  return status;
}

std::string FormatBatchTable(const engine::StreamingContext& context) {
  const std::vector<engine::BatchInfo> batches = context.batches();
  // The driver column appears once a driver has been restarted.
  const bool restarted = std::any_of(batches.begin(), batches.end(),
                                     [](const auto& batch) { return batch.driver_life > 1; });
  std::string table = restarted ? fmt::format("{:>6}  ", "driver") : "";
  table += fmt::format("{:>14}  {:>13}  {:>16}  {:>15}  {:>11}  {}\n", "batch time",
                       "input records", "scheduling delay", "processing time", "total delay",
                       "status");
  for (const engine::BatchInfo& batch : batches) {
    if (restarted) table += fmt::format("{:>6}  ", batch.driver_life);
    table += fmt::format("{:>11} ms  {:>13}  {:>16}  {:>15}  {:>11}  {}\n",
                         batch.batch_time.millis(), batch.input_records,
                         Millis(batch.scheduling_delay()), Millis(batch.processing_time()),
                         Millis(batch.total_delay()), BatchStatus(batch));
  }
  return table;
}

std::string FormatReceiverTable(const engine::StreamingContext& context) {
  const auto& statuses = context.receiver_tracker().statuses();
  if (statuses.empty()) return "";
  std::string table = fmt::format("{:<16}  {:<8}  {:<10}  {:>9}  {:>7}  {}\n", "receiver", "state",
                                  "executor", "records", "blocks", "last error");
  for (const auto& [stream_id, status] : statuses) {
    const std::string executor =
        status.executor >= 0 ? context.cluster().executors[status.executor].name : "-";
    table += fmt::format("{:<16}  {:<8}  {:<10}  {:>9}  {:>7}  {}\n", status.name, status.state,
                         executor, status.records, status.blocks,
                         status.last_error.empty() ? "-" : status.last_error);
  }
  return table;
}

nlohmann::json RunToJson(const engine::StreamingContext& context) {
  nlohmann::json batches = nlohmann::json::array();
  for (const engine::BatchInfo& batch : context.batches()) {
    batches.push_back({{"driver_life", batch.driver_life},
                       {"recovered", batch.recovered},
                       {"batch_time_ms", batch.batch_time.millis()},
                       {"input_records", batch.input_records},
                       {"scheduling_delay_ms", OptionalMillis(batch.scheduling_delay())},
                       {"processing_time_ms", OptionalMillis(batch.processing_time())},
                       {"total_delay_ms", OptionalMillis(batch.total_delay())},
                       {"completed", batch.completed()},
                       {"failure", batch.failure.empty() ? nlohmann::json(nullptr)
                                                         : nlohmann::json(batch.failure)}});
  }
  nlohmann::json receivers = nlohmann::json::array();
  for (const auto& [stream_id, status] : context.receiver_tracker().statuses()) {
    receivers.push_back({{"name", status.name},
                         {"state", status.state},
                         {"records", status.records},
                         {"blocks", status.blocks},
                         {"last_error", status.last_error}});
  }
  return {{"batches", batches},
          {"receivers", receivers},
          {"warnings", context.warnings()},
          {"stop_reason", context.stop_reason()}};
}

}  // namespace streamsim::reports
