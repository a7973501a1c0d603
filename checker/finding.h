// What a finding says beyond its numbers (internal to checker/check*.cc): the setting that would
// have prevented it, chosen from what the scenario configured, and how a fault is named. The
// advice table is in docs/checker.md; FormatFinding and FindingToJson (check.h) are in
// finding.cc too.
#pragma once

#include <string>
#include <string_view>

#include "checker/check.h"
#include "checker/guarantee_calculator.h"

namespace streamsim::checker::advice {

inline constexpr std::string_view kReliableReceiver = "use a reliable receiver or Kafka direct";
inline constexpr std::string_view kWriteAheadLog =
    "enable the receiver write-ahead log (spark.streaming.receiver.writeAheadLog.enable)";
inline constexpr std::string_view kCleanerTtl = "do not set spark.cleaner.ttl";
inline constexpr std::string_view kIdempotentSink = "make the sink idempotent or transactional";
inline constexpr std::string_view kCheckpoint = "set a checkpoint directory";
inline constexpr std::string_view kSupervise = "supervise the driver (--supervise)";
inline constexpr std::string_view kMoreCores =
    "give the executors more cores than the receivers take";

// Records of `source` never in a batch (or unavailable when their batch ran), `nearest` the
// fault before it: an unreliable receiver, then spark.cleaner.ttl, then a driver crash without a
// checkpoint, then a receiver without the write-ahead log; "" when none applies.
std::string ForRecordLoss(const GuaranteeConfiguration& configuration, const std::string& source,
                          const FaultEvent* nearest);
// Records the source's external system dropped before handing them over: for a Flume source, a
// channel with room for a batch interval's events; else a larger buffer.
std::string ForDroppedRecords(const GuaranteeConfiguration& configuration,
                              const std::string& source);
// Records in two batches: a driver crash without a checkpoint; else "".
std::string ForRecordDuplication(const GuaranteeConfiguration& configuration,
                                 const FaultEvent* nearest);
// Records missing from an output, or output values that differ: a driver crash without a
// checkpoint; else "".
std::string ForOutputLossOrDivergence(const GuaranteeConfiguration& configuration,
                                      const FaultEvent* nearest);
// Duplicates at an output: an append, print, collect or file sink.
std::string ForOutputDuplication(SinkKind sink);
// State that differs after a recovery: no checkpoint; else "".
std::string ForStateDivergence(const GuaranteeConfiguration& configuration);

}  // namespace streamsim::checker::advice

namespace streamsim::checker::check {

// "11.500 s".
std::string FormatSeconds(sim::Instant t);
// "driver crash (restart after 5 s) at 11.500 s": the description (else the kind) and the time.
std::string DescribeFault(const FaultEvent& fault);
// "12000 ms".
std::string FormatMillis(sim::Instant t);
// "1 record", "12 records", "2 batches", "3 extra copies": English plurals of the nouns used.
std::string CountOf(int64_t count, std::string_view noun);

}  // namespace streamsim::checker::check
