// Findings as text and JSON, and the advice each carries (checker/finding.h, checker/check.h).
#include "checker/finding.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace streamsim::checker {
namespace advice {
namespace {

bool DriverCrash(const FaultEvent* nearest) {
  return nearest != nullptr && nearest->kind == faults::FaultKind::kDriverCrash;
}

}  // namespace

std::string ForRecordLoss(const GuaranteeConfiguration& configuration, const std::string& source,
                          const FaultEvent* nearest) {
  const SourceConfiguration* found = nullptr;
  for (const SourceConfiguration& candidate : configuration.sources) {
    if (candidate.name == source) found = &candidate;
  }
  const bool receiver = found != nullptr && found->receiver_based;
  if (receiver && !found->reliable) return std::string(kReliableReceiver);
  if (receiver && configuration.cleaner_ttl) return std::string(kCleanerTtl);
  if (DriverCrash(nearest) && !configuration.checkpoint) return std::string(kCheckpoint);
  if (receiver && !configuration.write_ahead_log) return std::string(kWriteAheadLog);
  return "";
}

std::string ForDroppedRecords(const GuaranteeConfiguration& configuration,
                              const std::string& source) {
  for (const SourceConfiguration& candidate : configuration.sources) {
    if (candidate.name != source || candidate.channel_capacity <= 0) continue;
    const double per_batch = candidate.rate_per_second * configuration.batch_interval.seconds();
    return fmt::format(
        "give the Flume channel room for a batch interval's events "
        "(channel_capacity at least {:.0f})",
        std::ceil(per_batch));
  }
  return "give the source's buffer room for what arrives while the receiver is away "
         "(outbox_records_max)";
}

std::string ForRecordDuplication(const GuaranteeConfiguration& configuration,
                                 const FaultEvent* nearest) {
  if (DriverCrash(nearest) && !configuration.checkpoint) return std::string(kCheckpoint);
  return "";
}

std::string ForOutputLossOrDivergence(const GuaranteeConfiguration& configuration,
                                      const FaultEvent* nearest) {
  return ForRecordDuplication(configuration, nearest);
}

std::string ForOutputDuplication(SinkKind sink) {
  switch (sink) {
    case SinkKind::kAppend:
    case SinkKind::kPrint:
    case SinkKind::kCollect:
    case SinkKind::kFile:
      return std::string(kIdempotentSink);
    default:
      return "";  // an idempotent or transactional sink that duplicates: no setting helps
  }
}

std::string ForStateDivergence(const GuaranteeConfiguration& configuration) {
  return configuration.checkpoint ? "" : std::string(kCheckpoint);
}

}  // namespace advice

namespace check {

std::string FormatSeconds(sim::Instant t) {
  const int64_t us = t.us < 0 ? -t.us : t.us;
  const int64_t millis = (us % 1000000) / 1000;
  std::string text = t.us < 0 ? "-" : "";
  text += std::to_string(us / 1000000);
  text += millis < 10 ? ".00" : millis < 100 ? ".0" : ".";
  text += std::to_string(millis);
  text += " s";
  return text;
}

std::string DescribeFault(const FaultEvent& fault) {
  return (fault.description.empty() ? std::string(faults::FaultKindName(fault.kind))
                                    : fault.description) +
         " at " + FormatSeconds(fault.at);
}

std::string FormatMillis(sim::Instant t) { return std::to_string(t.millis()) + " ms"; }

std::string CountOf(int64_t count, std::string_view noun) {
  std::string text = std::to_string(count) + " " + std::string(noun);
  if (count == 1) return text;
  if (noun.ends_with("y")) return text.substr(0, text.size() - 1) + "ies";
  return text + (noun.ends_with("ch") || noun.ends_with("s") ? "es" : "s");
}

}  // namespace check

namespace {

// "loss at source events", "state divergence at stream totals", "liveness".
std::string Lead(const Finding& finding) {
  std::string lead = finding.check == "state" ? "state " + finding.problem : finding.problem;
  if (!finding.subject_kind.empty()) {
    lead += " at " + finding.subject_kind + " " + finding.subject;
  }
  return lead;
}

}  // namespace

std::string FormatFinding(const Finding& finding) {
  std::string text = Lead(finding) + ": " + finding.message;
  if (!finding.examples.empty()) {
    text += " (";
    for (size_t i = 0; i < finding.examples.size(); ++i) {
      text += (i == 0 ? "" : ", ") + finding.examples[i];
    }
    text += ")";
  }
  if (finding.batch_time) text += "; first batch " + check::FormatMillis(*finding.batch_time);
  if (!finding.nearest_fault.empty()) text += "; nearest fault: " + finding.nearest_fault;
  if (!finding.prevention.empty()) text += "; prevention: " + finding.prevention;
  return text;
}

nlohmann::json FindingToJson(const Finding& finding) {
  nlohmann::json json = nlohmann::json::object();
  json["check"] = finding.check;
  json["problem"] = finding.problem;
  json["subject"] = finding.subject;
  json["subject_kind"] = finding.subject_kind;
  json["batch_time_ms"] = nullptr;
  if (finding.batch_time) json["batch_time_ms"] = finding.batch_time->millis();
  json["count"] = finding.count;
  json["examples"] = finding.examples;
  json["nearest_fault"] = finding.nearest_fault;
  json["prevention"] = finding.prevention;
  json["message"] = finding.message;
  json["text"] = FormatFinding(finding);
  return json;
}

nlohmann::json CheckReportToJson(const CheckReport& report) {
  nlohmann::json findings = nlohmann::json::array();
  for (const Finding& finding : report.findings) findings.push_back(FindingToJson(finding));
  return {{"verdict", std::string(VerdictName(report.verdict))}, {"findings", findings}};
}

}  // namespace streamsim::checker
