// Text and JSON renderings of a finished run (reports/run_report.h).
#include "reports/run_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "reports/verdict_report.h"

namespace streamsim::reports {
namespace {

std::string Millis(const std::optional<sim::Duration>& duration) {
  return duration ? fmt::format("{} ms", duration->us / 1000) : "-";
}

nlohmann::json OptionalMillis(const std::optional<sim::Duration>& duration) {
  return duration ? nlohmann::json(static_cast<double>(duration->us) / 1000.0)
                  : nlohmann::json(nullptr);
}

std::string FormatFaultSchedule(const std::vector<faults::Fault>& faults) {
  if (faults.empty()) return "";
  std::string text = "\nfault schedule:\n";
  for (const faults::Fault& fault : faults) text += "  " + faults::Describe(fault) + "\n";
  return text;
}

nlohmann::json BatchesToJson(const std::vector<engine::BatchInfo>& batches) {
  nlohmann::json list = nlohmann::json::array();
  for (const engine::BatchInfo& batch : batches) {
    list.push_back({{"driver_life", batch.driver_life},
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
  return list;
}

nlohmann::json ReceiversToJson(const std::vector<harness::ReceiverRow>& receivers) {
  nlohmann::json list = nlohmann::json::array();
  for (const harness::ReceiverRow& receiver : receivers) {
    list.push_back({{"name", receiver.name},
                    {"state", receiver.state},
                    {"records", receiver.records},
                    {"blocks", receiver.blocks},
                    {"last_error", receiver.last_error}});
  }
  return list;
}

nlohmann::json DropsToJson(const std::vector<harness::SourceDrops>& drops) {
  nlohmann::json list = nlohmann::json::array();
  for (const harness::SourceDrops& drop : drops) {
    list.push_back({{"source", drop.source}, {"records", drop.records}, {"reason", drop.reason}});
  }
  return list;
}

// "source clicks dropped 4563 records: its Flume channel (capacity 1) was full", one per source.
std::string FormatDrops(const std::vector<harness::SourceDrops>& drops) {
  std::string text;
  for (const harness::SourceDrops& drop : drops) {
    text +=
        fmt::format("source {} dropped {} records: {}\n", drop.source, drop.records, drop.reason);
  }
  return text;
}

}  // namespace

std::string BatchStatus(const engine::BatchInfo& batch) {
  std::string status = !batch.failure.empty()   ? "failed"
                       : batch.completed()      ? "completed"
                       : batch.processing_start ? "processing"
                                                : "queued";
  if (batch.recovered) status += " (recovered)";
  return status;
}

std::string FormatBatchTable(const std::vector<engine::BatchInfo>& batches) {
  // The driver column appears once a driver has been restarted.
  const bool restarted = std::any_of(batches.begin(), batches.end(),
                                     [](const auto& batch) { return batch.driver_life > 1; });
  std::string table = restarted ? fmt::format("{:>6}  ", "driver") : "";
  table +=
      fmt::format("{:>14}  {:>13}  {:>16}  {:>15}  {:>11}  {}\n", "batch time", "input records",
                  "scheduling delay", "processing time", "total delay", "status");
  for (const engine::BatchInfo& batch : batches) {
    if (restarted) table += fmt::format("{:>6}  ", batch.driver_life);
    table += fmt::format("{:>11} ms  {:>13}  {:>16}  {:>15}  {:>11}  {}\n",
                         batch.batch_time.millis(), batch.input_records,
                         Millis(batch.scheduling_delay()), Millis(batch.processing_time()),
                         Millis(batch.total_delay()), BatchStatus(batch));
  }
  return table;
}

std::string FormatReceiverTable(const std::vector<harness::ReceiverRow>& receivers) {
  if (receivers.empty()) return "";
  std::string table = fmt::format("{:<16}  {:<8}  {:<10}  {:>9}  {:>7}  {}\n", "receiver", "state",
                                  "executor", "records", "blocks", "last error");
  for (const harness::ReceiverRow& receiver : receivers) {
    table += fmt::format("{:<16}  {:<8}  {:<10}  {:>9}  {:>7}  {}\n", receiver.name, receiver.state,
                         receiver.executor, receiver.records, receiver.blocks,
                         receiver.last_error.empty() ? "-" : receiver.last_error);
  }
  return table;
}

namespace {

// Every batch, the ones the table left out included.
engine::BatchTotals AllBatches(const harness::RunResult& result) {
  engine::BatchTotals totals = result.batches_left_out;
  for (const engine::BatchInfo& batch : result.batches) {
    ++totals.batches;
    if (batch.completed()) ++totals.completed;
    if (!batch.failure.empty()) ++totals.failed;
    totals.input_records += batch.input_records;
  }
  return totals;
}

nlohmann::json TotalsToJson(const engine::BatchTotals& totals) {
  return {{"batches", totals.batches},
          {"completed", totals.completed},
          {"failed", totals.failed},
          {"input_records", totals.input_records}};
}

// Spark's Streaming tab says "Completed Batches (last 1000 out of 3600)"; so does the table.
std::string LeftOutLine(const harness::RunResult& result) {
  if (result.batches_left_out.batches == 0) return "";
  const engine::BatchTotals all = AllBatches(result);
  return fmt::format(
      "(the last {} batches out of {}; in all {} completed, {} failed, {} input records)\n",
      result.batches.size(), all.batches, all.completed, all.failed, all.input_records);
}

}  // namespace

std::string FormatRunText(const harness::RunResult& result, bool quiet) {
  std::string text = quiet ? "" : "\n";
  text += FormatBatchTable(result.batches);
  text += LeftOutLine(result);
  const std::string receivers = FormatReceiverTable(result.receivers);
  if (!receivers.empty()) text += "\n" + receivers;
  text += FormatDrops(result.dropped_by_sources);
  text += FormatFaultSchedule(result.faults);
  text += "\n" + result.stop_reason + "\n";
  text += FormatVerdict(result.check, result.faultless_differences);
  text += fmt::format("seed: {} fingerprint: {}\n", result.seed, result.fingerprint);
  return text;
}

nlohmann::json RunToJson(const harness::RunResult& result) {
  nlohmann::json json = {{"batches", BatchesToJson(result.batches)},
                         {"batches_left_out", TotalsToJson(result.batches_left_out)},
                         {"batch_totals", TotalsToJson(AllBatches(result))},
                         {"receivers", ReceiversToJson(result.receivers)},
                         {"dropped_by_sources", DropsToJson(result.dropped_by_sources)},
                         {"warnings", result.warnings},
                         {"stop_reason", result.stop_reason}};
  json["scenario"] = result.scenario_name;
  json["seed"] = result.seed;
  json["fingerprint"] = result.fingerprint;
  json["faults"] = nlohmann::json::array();
  for (const faults::Fault& fault : result.faults) json["faults"].push_back(faults::ToYaml(fault));
  if (!result.kept_sink_database.empty()) json["sink_database"] = result.kept_sink_database;
  AddVerdictToJson(result.check, result.faultless_differences, &json);
  return json;
}

}  // namespace streamsim::reports
