// Findings as text and JSON, the verdict's precedence, and the advice table of docs/checker.md:
// each prevention chosen from the configuration and the nearest fault.
#include "checker/finding.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checker/check.h"

namespace streamsim::checker {
namespace {

Finding Loss() {
  Finding finding;
  finding.check = "acknowledged-once";
  finding.problem = "loss";
  finding.subject_kind = "source";
  finding.subject = "events";
  finding.batch_time = sim::Instant{12000000};
  finding.count = 12;
  finding.examples = {"events/0/340", "events/0/341", "events/0/342"};
  finding.nearest_fault = "driver crash at 11.500 s";
  finding.prevention = "enable the receiver write-ahead log";
  finding.message = "12 records never in a batch";
  return finding;
}

Finding OfProblem(const std::string& problem) {
  Finding finding;
  finding.problem = problem;
  return finding;
}

TEST(FindingTest, FormatIsOneLineWithTheEmptyPartsLeftOut) {
  EXPECT_EQ(FormatFinding(Loss()),
            "loss at source events: 12 records never in a batch (events/0/340, events/0/341, "
            "events/0/342); first batch 12000 ms; nearest fault: driver crash at 11.500 s; "
            "prevention: enable the receiver write-ahead log");
  Finding liveness;
  liveness.check = "liveness";
  liveness.problem = "liveness";
  liveness.subject = "batches";
  liveness.message = "batch 3000 ms never finished: not finished";
  EXPECT_EQ(FormatFinding(liveness), "liveness: batch 3000 ms never finished: not finished");
  Finding state = OfProblem("divergence");
  state.check = "state";
  state.subject_kind = "stream";
  state.subject = "totals";
  state.message = "1 record";
  EXPECT_EQ(FormatFinding(state), "state divergence at stream totals: 1 record");
}

TEST(FindingTest, JsonHasEveryFieldAndTheLine) {
  const nlohmann::json expected = {
      {"check", "acknowledged-once"},
      {"problem", "loss"},
      {"subject", "events"},
      {"subject_kind", "source"},
      {"batch_time_ms", 12000},
      {"count", 12},
      {"examples", {"events/0/340", "events/0/341", "events/0/342"}},
      {"nearest_fault", "driver crash at 11.500 s"},
      {"prevention", "enable the receiver write-ahead log"},
      {"message", "12 records never in a batch"},
      {"text", FormatFinding(Loss())},
  };
  EXPECT_EQ(FindingToJson(Loss()), expected);
  Finding no_batch = Loss();
  no_batch.batch_time.reset();
  EXPECT_TRUE(FindingToJson(no_batch)["batch_time_ms"].is_null());

  CheckReport report;
  report.verdict = Verdict::kAtMostOnce;
  report.findings = {Loss()};
  EXPECT_EQ(CheckReportToJson(report),
            (nlohmann::json{{"verdict", "at-most-once"}, {"findings", {FindingToJson(Loss())}}}));
}

TEST(FindingTest, VerdictPrecedence) {
  const Finding loss = OfProblem("loss");
  const Finding duplication = OfProblem("duplication");
  const Finding divergence = OfProblem("divergence");
  const Finding liveness = OfProblem("liveness");
  EXPECT_EQ(VerdictOf({}), Verdict::kExactlyOnce);
  EXPECT_EQ(VerdictOf({liveness}), Verdict::kLivenessFailure);
  EXPECT_EQ(VerdictOf({duplication, liveness}), Verdict::kAtLeastOnce);
  EXPECT_EQ(VerdictOf({loss, liveness}), Verdict::kAtMostOnce);
  EXPECT_EQ(VerdictOf({duplication, loss}), Verdict::kLossAndDuplication);
  EXPECT_EQ(VerdictOf({loss, duplication, liveness, divergence}), Verdict::kStateDivergence);
}

TEST(FindingTest, RecordLossAdvice) {
  GuaranteeConfiguration configuration;
  configuration.sources = {{"socket", SourceKind::kSocket, true, false, false},
                           {"custom", SourceKind::kCustom, true, true, false},
                           {"kafka", SourceKind::kKafkaDirect, false, false, false}};
  const FaultEvent crash{sim::Instant{1}, faults::FaultKind::kDriverCrash, ""};
  const FaultEvent worker{sim::Instant{1}, faults::FaultKind::kWorkerCrash, ""};
  EXPECT_EQ(advice::ForRecordLoss(configuration, "socket", &crash), advice::kReliableReceiver);
  EXPECT_EQ(advice::ForRecordLoss(configuration, "custom", &crash), advice::kCheckpoint);
  EXPECT_EQ(advice::ForRecordLoss(configuration, "custom", &worker), advice::kWriteAheadLog);
  EXPECT_EQ(advice::ForRecordLoss(configuration, "kafka", &crash), advice::kCheckpoint);
  EXPECT_EQ(advice::ForRecordLoss(configuration, "kafka", &worker), "");
  configuration.cleaner_ttl = true;
  EXPECT_EQ(advice::ForRecordLoss(configuration, "custom", &worker), advice::kCleanerTtl);
  configuration.cleaner_ttl = false;
  configuration.checkpoint = true;
  configuration.write_ahead_log = true;
  EXPECT_EQ(advice::ForRecordLoss(configuration, "custom", &crash), "");
  EXPECT_EQ(advice::ForRecordLoss(configuration, "socket", nullptr), advice::kReliableReceiver);
}

TEST(FindingTest, OutputAndStateAdvice) {
  GuaranteeConfiguration configuration;
  const FaultEvent crash{sim::Instant{1}, faults::FaultKind::kDriverCrash, ""};
  for (SinkKind sink : {SinkKind::kAppend, SinkKind::kPrint, SinkKind::kCollect, SinkKind::kFile}) {
    EXPECT_EQ(advice::ForOutputDuplication(sink), advice::kIdempotentSink) << SinkKindName(sink);
  }
  EXPECT_EQ(advice::ForOutputDuplication(SinkKind::kTransactional), "");
  EXPECT_EQ(advice::ForOutputLossOrDivergence(configuration, &crash), advice::kCheckpoint);
  EXPECT_EQ(advice::ForOutputLossOrDivergence(configuration, nullptr), "");
  EXPECT_EQ(advice::ForRecordDuplication(configuration, &crash), advice::kCheckpoint);
  EXPECT_EQ(advice::ForStateDivergence(configuration), advice::kCheckpoint);
  configuration.checkpoint = true;
  EXPECT_EQ(advice::ForOutputLossOrDivergence(configuration, &crash), "");
  EXPECT_EQ(advice::ForStateDivergence(configuration), "");
}

TEST(FindingTest, NumbersAndTimes) {
  EXPECT_EQ(check::FormatSeconds(sim::Instant{11500000}), "11.500 s");
  EXPECT_EQ(check::FormatSeconds(sim::Instant{7000}), "0.007 s");
  EXPECT_EQ(check::FormatSeconds(sim::Instant{60050000}), "60.050 s");
  EXPECT_EQ(check::DescribeFault({sim::Instant{2500000}, faults::FaultKind::kDriverCrash, ""}),
            "driver_crash at 2.500 s");
  EXPECT_EQ(check::CountOf(1, "batch"), "1 batch");
  EXPECT_EQ(check::CountOf(2, "batch"), "2 batches");
  EXPECT_EQ(check::CountOf(0, "record"), "0 records");
  EXPECT_EQ(check::CountOf(3, "extra copy"), "3 extra copies");
}

}  // namespace
}  // namespace streamsim::checker
