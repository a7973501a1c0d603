// Every shipped scenario (scenarios/library/*.yaml) loads, runs to its stop, and replays: two runs
// with the same seed give the same fingerprint. Also pins what each scenario is there to show.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "checker/sink_contents.h"
#include "harness/simulation.h"
#include "scenarios/loader.h"

namespace streamsim::scenarios {
namespace {

class QuietListener : public engine::OutputListener {
 public:
  void OnPrint(const std::string& text) override { printed += text; }
  void OnWarning(const std::string& message) override { warnings.push_back(message); }
  void OnCollect(const std::string& output, int64_t batch_time_ms,
                 const records::Values& records) override {
    collected.push_back({output, batch_time_ms, records});
  }
  struct Collected {
    std::string output;
    int64_t batch_time_ms;
    records::Values records;
  };
  std::string printed;
  std::vector<std::string> warnings;
  std::vector<Collected> collected;
};

std::vector<std::string> LibraryFiles() {
  std::vector<std::string> files;
  const std::filesystem::path library =
      std::filesystem::path(STREAMSIM_SOURCE_DIR) / "scenarios" / "library";
  for (const auto& entry : std::filesystem::directory_iterator(library)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct RunOutcome {
  std::string fingerprint;
  std::string printed;
  std::vector<std::string> warnings;
  std::vector<QuietListener::Collected> collected;
  std::vector<engine::BatchInfo> batches;
  std::string stop_reason;
};

RunOutcome RunFile(const std::string& path, harness::RunOptions options = {}) {
  Scenario scenario;
  LoadError error;
  {
    LoadResult<Scenario> loaded = LoadScenarioFile(path);
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
    if (loaded.ok()) scenario = std::move(loaded.value());
  }
  QuietListener listener;
  auto built = harness::Simulation::Build(scenario, options, &listener);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  EXPECT_NE(simulation, nullptr) << error.ToString();
  if (!simulation) return {};
  EXPECT_TRUE(simulation->Run().ok());
  return {simulation->world().trace().FingerprintHex(),
          listener.printed,
          listener.warnings,
          listener.collected,
          simulation->context().batches(),
          simulation->context().stop_reason()};
}

class LibraryScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LibraryScenarioTest, RunsAndReplaysToTheSameFingerprint) {
  const RunOutcome first = RunFile(GetParam());
  const RunOutcome second = RunFile(GetParam());
  EXPECT_EQ(first.fingerprint.size(), 16u);
  EXPECT_EQ(first.fingerprint, second.fingerprint);
  EXPECT_EQ(first.printed, second.printed);
  EXPECT_FALSE(first.batches.empty());
}

INSTANTIATE_TEST_SUITE_P(Library, LibraryScenarioTest, ::testing::ValuesIn(LibraryFiles()),
                         [](const auto& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

std::string Library(const std::string& name) {
  return std::string(STREAMSIM_SOURCE_DIR) + "/scenarios/library/" + name;
}

TEST(ErrorLinesScenario, PrintsOnlyErrorLinesEveryBatchAndCompletesAllBatches) {
  const RunOutcome run = RunFile(Library("error-lines.yaml"));
  ASSERT_EQ(run.batches.size(), 10u);
  for (const auto& batch : run.batches) {
    EXPECT_TRUE(batch.completed());
    EXPECT_TRUE(batch.failure.empty());
  }
  for (int second = 1; second <= 10; ++second) {
    EXPECT_NE(run.printed.find("Time: " + std::to_string(second * 1000) + " ms\n"),
              std::string::npos);
  }
  // Every printed element line contains "error".
  size_t start = 0;
  int elements = 0;
  while (start < run.printed.size()) {
    const size_t end = run.printed.find('\n', start);
    const std::string line = run.printed.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.rfind("Time:", 0) == 0 || line.rfind("----", 0) == 0 ||
        line == "...") {
      continue;
    }
    ++elements;
    EXPECT_NE(line.find("error"), std::string::npos) << line;
  }
  EXPECT_GT(elements, 0);
  EXPECT_EQ(run.stop_reason, "stopped after 10 batches");
}

TEST(ErrorLinesScenario, AnotherSeedGivesAnotherFingerprint) {
  harness::RunOptions seven;
  seven.seed = 7;
  harness::RunOptions eight;
  eight.seed = 8;
  EXPECT_NE(RunFile(Library("error-lines.yaml"), seven).fingerprint,
            RunFile(Library("error-lines.yaml"), eight).fingerprint);
}

TEST(TooFewCoresScenario, WarnsAndProcessesNothing) {
  const RunOutcome run = RunFile(Library("too-few-cores.yaml"));
  ASSERT_FALSE(run.warnings.empty());
  EXPECT_NE(run.warnings[0].find("jobs will not get resources to process the received data"),
            std::string::npos);
  // As in Spark's UI: the first batch's job started (its tasks wait for a core forever), the
  // rest stay queued, none completes.
  // Batches keep being generated until the wait bound at 5 s + 10 x 1 s (the bound fires first).
  ASSERT_EQ(run.batches.size(), 14u);
  EXPECT_TRUE(run.batches[0].processing_start.has_value());
  for (const auto& batch : run.batches) EXPECT_FALSE(batch.completed());
  for (size_t i = 1; i < run.batches.size(); ++i) {
    EXPECT_FALSE(run.batches[i].processing_start.has_value());
  }
  EXPECT_GT(run.batches[0].input_records, 0);
  EXPECT_EQ(run.stop_reason,
            "batch 5000 ms did not complete within 10 batch intervals of its time");
}

records::Value StatusCount(int64_t status, int64_t count) {
  return records::Value::Pair(records::Value::Int(status), records::Value::Int(count));
}

records::Values Sorted(records::Values values) {
  std::sort(values.begin(), values.end());
  return values;
}

TEST(StatusCountsDriverCrashScenario, RecoversTheCountsExactlyAndReRunsTheDownTime) {
  const RunOutcome run = RunFile(Library("status-counts-driver-crash.yaml"));
  // Counted by hand from the 25 queued batches: 200 x18, 304 x5, 404 x6, 500 x5.
  ASSERT_FALSE(run.collected.empty());
  EXPECT_EQ(run.collected.back().batch_time_ms, 25000);
  EXPECT_EQ(Sorted(run.collected.back().records),
            (records::Values{StatusCount(200, 18), StatusCount(304, 5), StatusCount(404, 6),
                             StatusCount(500, 5)}));
  // Crash at 15.5 s, restart at 20.5 s from the checkpoint of 15 s: batch 15 s runs twice (its
  // output appears twice: at-least-once) and 16 s to 20 s run at the restart.
  std::vector<int64_t> times;
  for (const auto& batch : run.collected) times.push_back(batch.batch_time_ms);
  EXPECT_EQ(std::count(times.begin(), times.end(), 15000), 2);
  ASSERT_EQ(run.collected.size(), 26u);
  EXPECT_EQ(Sorted(run.collected[14].records), Sorted(run.collected[15].records));
  EXPECT_EQ(Sorted(run.collected[14].records),
            (records::Values{StatusCount(200, 12), StatusCount(304, 3), StatusCount(404, 4),
                             StatusCount(500, 4)}));
  int recovered = 0;
  for (const auto& batch : run.batches) recovered += batch.recovered ? 1 : 0;
  EXPECT_EQ(recovered, 6);
}

TEST(CleanerTtlTooShortScenario, ABatchFailsOnAnEvictedBlock) {
  const RunOutcome run = RunFile(Library("cleaner-ttl-too-short.yaml"));
  int failed = 0;
  for (const auto& batch : run.batches) {
    if (batch.failure.empty()) continue;
    ++failed;
    EXPECT_NE(batch.failure.find("Could not compute split, block input-0-"), std::string::npos)
        << batch.failure;
  }
  EXPECT_GT(failed, 0);
  // The first windows, before the cleaner's first pass evicts what they need, succeed.
  EXPECT_TRUE(run.batches[4].completed());
  EXPECT_TRUE(run.batches[4].failure.empty());
}

TEST(IpWindowCountsDriverCrashScenario, RestartsFromTheCheckpointAndWarnsOfLostBlocks) {
  const RunOutcome run = RunFile(Library("ip-window-counts-driver-crash.yaml"));
  bool recovered_warning = false;
  for (const auto& warning : run.warnings) {
    recovered_warning |= warning.find("recovered from the checkpoint") != std::string::npos;
  }
  EXPECT_TRUE(recovered_warning);
  EXPECT_EQ(run.stop_reason, "stopped after 80 batches");
  EXPECT_EQ(run.batches.back().driver_life, 2);
  EXPECT_TRUE(run.batches.back().completed());
}

// What the last "counts" state of a receiver scenario counted: each record's sequence number with
// its count. Returns {first counted, last counted, counted once, counted more, missing between}.
struct SequenceTally {
  int64_t first = -1, last = -1, once = 0, more = 0;
  std::vector<int64_t> missing;
  bool operator==(const SequenceTally&) const = default;
};

SequenceTally TallyCounts(const RunOutcome& run) {
  std::map<int64_t, int64_t> counts;
  for (const auto& collected : run.collected) {
    if (collected.output != "counts") continue;
    counts.clear();
    for (const auto& pair : collected.records) {
      counts[pair.Items()[0].AsInt()] = pair.Items()[1].AsInt();
    }
  }
  SequenceTally tally;
  if (counts.empty()) return tally;
  tally.first = counts.begin()->first;
  tally.last = counts.rbegin()->first;
  for (int64_t k = tally.first; k <= tally.last; ++k) {
    auto it = counts.find(k);
    if (it == counts.end())
      tally.missing.push_back(k);
    else if (it->second == 1)
      ++tally.once;
    else
      ++tally.more;
  }
  return tally;
}

std::vector<int64_t> SequenceRange(int64_t from, int64_t to) {  // [from, to)
  std::vector<int64_t> range;
  for (int64_t k = from; k < to; ++k) range.push_back(k);
  return range;
}

TEST(CustomUnreliableWorkerCrashScenario, LosesTheTenBufferedRecords) {
  const RunOutcome run = RunFile(Library("custom-unreliable-worker-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1478, 1469, 0, SequenceRange(539, 549)}));
}

TEST(CustomReliableWorkerCrashScenario, CountsEveryRecordOnce) {
  const RunOutcome run = RunFile(Library("custom-reliable-worker-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1478, 1479, 0, {}}));
}

TEST(KafkaReceiverDriverCrashScenario, LosesPastData) {
  const RunOutcome run = RunFile(Library("kafka-receiver-driver-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  // Sequences 0-398 never reach the final count.
  EXPECT_EQ(TallyCounts(run), (SequenceTally{399, 1488, 1090, 0, {}}));
}

TEST(KafkaReceiverWalDriverCrashScenario, CountsEveryRecordOnce) {
  const RunOutcome run = RunFile(Library("kafka-receiver-wal-driver-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1488, 1489, 0, {}}));
}

TEST(CustomUnreliableWalWorkerCrashScenario, StillLosesTheTenBufferedRecords) {
  const RunOutcome run = RunFile(Library("custom-unreliable-wal-worker-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  // The log brings back the blocks held only by worker 0, not the block generator's buffer.
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1478, 1469, 0, SequenceRange(539, 549)}));
}

TEST(CustomReliableWalWorkerCrashScenario, CountsEveryRecordOnce) {
  const RunOutcome run = RunFile(Library("custom-reliable-wal-worker-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1478, 1479, 0, {}}));
}

// The four custom-*-driver-crash scenarios: the driver crashes at 5.5 s and restarts at 7.5 s
// from the checkpoint of 5000 ms; batch 6000 ms holds the blocks of sequences 479-538.
int CountWarnings(const RunOutcome& run, const std::string& text) {
  return static_cast<int>(std::count_if(
      run.warnings.begin(), run.warnings.end(),
      [&](const std::string& warning) { return warning.find(text) != std::string::npos; }));
}

const char kBlocksNotRecovered[] =
    "batch 6000 ms, stream sensors: 3 of 3 blocks could not be recovered as they were not found "
    "in memory";

TEST(CustomReliableDriverCrashScenario, LosesTheAcknowledgedBlocksOfPastData) {
  const RunOutcome run = RunFile(Library("custom-reliable-driver-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  EXPECT_EQ(CountWarnings(run, kBlocksNotRecovered), 1);
  // Past data lost; the unstored records 539-548 were never acknowledged and come again.
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1488, 1429, 0, SequenceRange(479, 539)}));
}

TEST(CustomUnreliableDriverCrashScenario, LosesPastAndBufferedData) {
  const RunOutcome run = RunFile(Library("custom-unreliable-driver-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  EXPECT_EQ(CountWarnings(run, kBlocksNotRecovered), 1);
  // 479-538: the blocks of batch 6000 ms; 539-548: the block generator's buffer.
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1488, 1419, 0, SequenceRange(479, 549)}));
}

TEST(CustomUnreliableWalDriverCrashScenario, LosesOnlyTheBufferedRecords) {
  const RunOutcome run = RunFile(Library("custom-unreliable-wal-driver-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  EXPECT_EQ(CountWarnings(run, "could not be recovered"), 0);
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1488, 1479, 0, SequenceRange(539, 549)}));
}

TEST(CustomReliableWalDriverCrashScenario, CountsEveryRecordOnce) {
  const RunOutcome run = RunFile(Library("custom-reliable-wal-driver-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  EXPECT_EQ(CountWarnings(run, "could not be recovered"), 0);
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1488, 1489, 0, {}}));
}

TEST(KafkaDirectWorkerCrashScenario, CountsEveryRecordOnce) {
  const RunOutcome run = RunFile(Library("kafka-direct-worker-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  for (const auto& batch : run.batches) EXPECT_TRUE(batch.failure.empty()) << batch.failure;
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1498, 1499, 0, {}}));
}

TEST(FileStreamWorkerCrashScenario, CountsEveryLineOnce) {
  const RunOutcome run = RunFile(Library("file-stream-worker-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  for (const auto& batch : run.batches) EXPECT_TRUE(batch.failure.empty()) << batch.failure;
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1489, 1490, 0, {}}));
}

TEST(KafkaReceiverWorkerCrashScenario, ReadsAgainWhatWasFetchedAfterTheLastCommit) {
  const RunOutcome run = RunFile(Library("kafka-receiver-worker-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  // Nothing missing; sequences 399-538 (stored after the commit at 4 s) counted twice.
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1477, 1338, 140, {}}));
}

TEST(KafkaReceiverWalWorkerCrashScenario, CountsEveryRecordOnce) {
  const RunOutcome run = RunFile(Library("kafka-receiver-wal-worker-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1477, 1478, 0, {}}));
}

TEST(FlumePullDriverCrashScenario, LosesTheAckedBlocksThatLivedInMemory) {
  const RunOutcome run = RunFile(Library("flume-pull-driver-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 30 batches");
  // Sequences 0-532 (the blocks of batches 1-6) never reach the final count; the rest once each.
  EXPECT_EQ(TallyCounts(run), (SequenceTally{533, 2983, 2451, 0, {}}));
}

TEST(KinesisWorkerCrashScenario, ReadsAgainWhatWasStoredAfterTheLastCheckpoint) {
  const RunOutcome run = RunFile(Library("kinesis-worker-crash.yaml"));
  EXPECT_EQ(run.stop_reason, "stopped after 15 batches");
  // Nothing missing; sequences 200-299 counted twice.
  EXPECT_EQ(TallyCounts(run), (SequenceTally{0, 1460, 1361, 100, {}}));
}

TEST(KafkaDirectTransactionalSinkScenario, WritesEachBatchOnceAndSkipsTheRetriedCommit) {
  std::string directory =
      (std::filesystem::temp_directory_path() / "library_test_sink.XXXXXX").string();
  ASSERT_NE(mkdtemp(directory.data()), nullptr);
  harness::RunOptions options;
  options.sink_database_path = directory + "/sinks.sqlite";
  const RunOutcome run = RunFile(Library("kafka-direct-transactional-sink.yaml"), options);
  EXPECT_EQ(run.stop_reason, "stopped after 10 batches");
  ASSERT_EQ(run.batches.size(), 10u);
  for (const auto& batch : run.batches) EXPECT_TRUE(batch.failure.empty()) << batch.failure;
  Result<checker::SinkContents> sink = checker::SinkContents::Open(options.sink_database_path);
  ASSERT_TRUE(sink.ok()) << sink.status().message();
  const Result<std::string> kind = sink.value().TableKind("word_counts");
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(kind.value(), "transactional");
  // Each batch's four words once, counting every word of its lines (3 a line).
  const auto rows = sink.value().Rows("word_counts", "sink:word_counts");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows.value().size(), 10u);
  for (const auto& batch : run.batches) {
    const records::Values& counts = rows.value().at(batch.batch_time.millis());
    EXPECT_EQ(counts.size(), 4u) << batch.batch_time.millis();
    int64_t words = 0;
    for (const records::Value& count : counts) words += count.Items()[1].AsInt();
    EXPECT_EQ(words, 3 * batch.input_records) << batch.batch_time.millis();
  }
  auto word = [](const std::string& text, int64_t count) {
    return records::Value::Pair(records::Value::String(text), records::Value::Int(count));
  };
  // Partition 0, then partition 1 (written once, though its task ran twice).
  EXPECT_EQ(rows.value().at(4000), (records::Values{word("batch", 163), word("spark", 128),
                                                    word("stream", 145), word("kafka", 164)}));
  // One call per batch and partition, and the retried partition's second call skipped.
  const auto writes = sink.value().Writes("sink:word_counts");
  ASSERT_TRUE(writes.ok()) << writes.status().message();
  ASSERT_EQ(writes.value().size(), 21u);
  int skipped = 0;
  for (const checker::SinkWriteRow& write : writes.value()) {
    if (write.outcome == "written") continue;
    ++skipped;
    EXPECT_EQ(write.outcome, "skipped-already-committed");
    EXPECT_EQ(write.batch_time_ms, 4000);
    EXPECT_EQ(write.partition, 1);
    EXPECT_EQ(write.record_count, 1);
    EXPECT_TRUE(write.records.empty());
  }
  EXPECT_EQ(skipped, 1);
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace streamsim::scenarios
