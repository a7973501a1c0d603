// Tests of the Kafka direct stream (engine/connectors/kafka_direct_dstream.cc) over the simulated
// broker: the offset ranges of each batch with and without maxRatePerPartition, the starting
// offsets, the backlog after a supervised driver restart (one batch takes all of it without a
// limit; capped batches with one), a re-run batch reading the same range, every produced record
// processed exactly once, and what happens when the broker is down or retention outruns the stream.
//
// Timing used throughout: the producer appends every 10 ms; a batch at time T is generated before
// the producer's tick at T (its timer was set earlier), so it sees the records due by T - 10 ms.
// At 100 records/s that is 99 records at 1 s, 199 at 2 s, ...; record n goes to partition
// n % partitions.
#include "engine/connectors/kafka_direct_dstream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Harness;
using testing::I;
using testing::Op;
using testing::S;
using testing::Sorted;

struct KafkaOptions {
  int partitions = 2;
  double rate = 100;
  double max_rate_per_partition = 0;
  int64_t retention = 1000000;
  KafkaStartingOffsets start = KafkaStartingOffsets::kLatest;
};

externals::KafkaBrokerConfig OrdersTopic(const KafkaOptions& options) {
  externals::KafkaBrokerConfig topic;
  topic.topic = "orders";
  topic.source_name = "orders";
  topic.partitions = options.partitions;
  topic.rate_per_second = options.rate;
  topic.retention_records = options.retention;
  topic.generator.kind = "log_lines";  // "<sequence> <component> <text>": all distinct
  return topic;
}

KafkaDirectConfig OrdersConfig(const KafkaOptions& options) {
  KafkaDirectConfig config;
  config.name = "orders";
  config.max_rate_per_partition = options.max_rate_per_partition;
  config.start = options.start;
  return config;
}

// A harness with the "orders" direct stream collected as "out" and its records per RDD partition
// as "sizes"; the trace is kept.
struct KafkaHarness {
  KafkaHarness(StreamingConfig config, const KafkaOptions& options)
      : harness(std::make_unique<Harness>(config)) {
    harness->KeepTrace();
    DStream* orders = harness->KafkaDirectStream(OrdersTopic(options), OrdersConfig(options));
    stream = dynamic_cast<DirectKafkaInputDStream*>(orders);
    broker = harness->externals.kafka_brokers.at(0).get();
    harness->Collect(orders, "out");
    harness->TransformAndCollect({orders}, {Op(OperatorKind::kMapPartitions, "[len(xs)]")},
                                 "sizes");
  }
  // At `at_ms` from the start of the run, call `action`.
  void At(int64_t at_ms, std::function<void()> action) {
    harness->world->ScheduleGlobal(sim::Duration::Millis(at_ms), std::move(action));
  }
  void CrashDriverAt(int64_t at_ms, int64_t restart_after_ms) {
    At(at_ms, [this, restart_after_ms]() {
      harness->context->CrashDriver(sim::Duration::Millis(restart_after_ms));
    });
  }
  // The stream's "reads"/"re-reads" trace lines, without the trace's time and category.
  std::vector<std::string> Reads() const {
    std::vector<std::string> reads;
    for (const std::string& line : harness->trace) {
      const size_t at = line.find(" kafka orders batch ");
      if (at == std::string::npos) continue;
      reads.push_back(line.substr(at + 7, line.size() - at - 8));  // drop " kafka " and "\n"
    }
    return reads;
  }
  // The collected batches of `name` as (batch time ms, records).
  std::vector<std::pair<int64_t, Values>> Timed(const std::string& name) {
    std::vector<std::pair<int64_t, Values>> timed;
    for (const auto& batch : harness->listener.collected[name]) {
      timed.emplace_back(batch.batch_time_ms, batch.records);
    }
    return timed;
  }
  std::vector<int64_t> InputRecords() const {
    std::vector<int64_t> records;
    for (const BatchInfo& batch : harness->context->batches())
      records.push_back(batch.input_records);
    return records;
  }
  // Every record the broker holds below the offsets the stream will read from next.
  Values BrokerRecordsBelowCurrent() const {
    Values all;
    for (int p = 0; p < broker->partitions(); ++p) {
      auto read = broker->Read(p, broker->LogStartOffset(p), stream->current_offsets()[p]);
      EXPECT_TRUE(read.ok());
      for (const protocols::KafkaRecord& record : read.value()) all.push_back(S(record.value));
    }
    return all;
  }

  std::unique_ptr<Harness> harness;
  DirectKafkaInputDStream* stream = nullptr;
  externals::KafkaBroker* broker = nullptr;
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

StreamingConfig Supervised(int64_t batches) {
  StreamingConfig config = Batches(batches);
  config.checkpoint_dir = "checkpoints/app";
  config.supervise = true;
  return config;
}

TEST(KafkaDirectTest, WithoutALimitEachBatchReadsUpToTheLatestOffsets) {
  KafkaHarness run(Batches(3), {});
  run.harness->Run();
  EXPECT_EQ(run.Reads(), (std::vector<std::string>{
                             "orders batch 1000 ms reads 0:[0,50) 1:[0,49) records=99",
                             "orders batch 2000 ms reads 0:[50,100) 1:[49,99) records=100",
                             "orders batch 3000 ms reads 0:[100,150) 1:[99,149) records=100"}));
  // One RDD partition per Kafka partition.
  EXPECT_EQ(run.harness->Batches("sizes"),
            (std::vector<Values>{{I(50), I(49)}, {I(50), I(50)}, {I(50), I(50)}}));
  EXPECT_EQ(run.InputRecords(), (std::vector<int64_t>{99, 100, 100}));
  // Partition 0 holds records 0, 2, 4, ... in offset order; partition 1 records 1, 3, ...
  const Values first = run.harness->Batches("out").at(0);
  ASSERT_EQ(first.size(), 99u);
  EXPECT_EQ(first[0].AsString().substr(0, 2), "0 ");
  EXPECT_EQ(first[1].AsString().substr(0, 2), "2 ");
  EXPECT_EQ(first[50].AsString().substr(0, 2), "1 ");
}

TEST(KafkaDirectTest, MaxRatePerPartitionCapsEachPartitionPerBatch) {
  KafkaOptions options;
  options.max_rate_per_partition = 30;
  KafkaHarness run(Batches(3), options);
  run.harness->Run();
  EXPECT_EQ(run.Reads(), (std::vector<std::string>{
                             "orders batch 1000 ms reads 0:[0,30) 1:[0,30) records=60",
                             "orders batch 2000 ms reads 0:[30,60) 1:[30,60) records=60",
                             "orders batch 3000 ms reads 0:[60,90) 1:[60,90) records=60"}));
  EXPECT_EQ(run.InputRecords(), (std::vector<int64_t>{60, 60, 60}));
}

TEST(KafkaDirectTest, ALimitBelowOneRecordPerBatchStillReadsOnePerPartition) {
  KafkaOptions options;
  options.max_rate_per_partition = 0.5;  // 0.5 per 1 s batch truncates to 0: Spark reads 1
  KafkaHarness run(Batches(2), options);
  run.harness->Run();
  EXPECT_EQ(run.Reads(),
            (std::vector<std::string>{"orders batch 1000 ms reads 0:[0,1) 1:[0,1) records=2",
                                      "orders batch 2000 ms reads 0:[1,2) 1:[1,2) records=2"}));
}

TEST(KafkaDirectTest, ALimitAboveTheBacklogReadsOnlyWhatThereIs) {
  KafkaOptions options;
  options.max_rate_per_partition = 1000;
  KafkaHarness run(Batches(1), options);
  run.harness->Run();
  EXPECT_EQ(run.Reads(),
            (std::vector<std::string>{"orders batch 1000 ms reads 0:[0,50) 1:[0,49) records=99"}));
}

TEST(KafkaDirectTest, StartingOffsetsAreTheLatestUnlessEarliestIsAsked) {
  for (KafkaStartingOffsets start :
       {KafkaStartingOffsets::kLatest, KafkaStartingOffsets::kEarliest}) {
    KafkaOptions options;
    options.start = start;
    KafkaHarness run(Batches(1), options);
    // Three records already in partition 0 before the application starts.
    for (int i = 0; i < 3; ++i) run.broker->Append(0, "old " + std::to_string(i));
    run.harness->Run();
    const bool latest = start == KafkaStartingOffsets::kLatest;
    EXPECT_EQ(run.Reads(),
              (std::vector<std::string>{
                  latest ? "orders batch 1000 ms reads 0:[3,53) 1:[0,49) records=99"
                         : "orders batch 1000 ms reads 0:[0,53) 1:[0,49) records=102"}));
    const std::string first = run.harness->Batches("out").at(0).at(0).AsString();
    EXPECT_EQ(first.substr(0, latest ? 2 : 5), latest ? "0 " : "old 0") << first;
  }
}

TEST(KafkaDirectTest, AfterADriverRestartTheFirstNewBatchTakesTheWholeBacklog) {
  // Crash at 3.5 s, restart at 6.5 s from the checkpoint written when batch 3 s completed: batch
  // 3 s re-reads its checkpointed ranges; batch 4 s reads everything produced until 6.49 s;
  // batches 5 s and 6 s, generated at the same instant, find nothing new.
  KafkaHarness run(Supervised(8), {});
  run.CrashDriverAt(3500, 3000);
  run.harness->Run();
  EXPECT_EQ(run.Reads(), (std::vector<std::string>{
                             "orders batch 1000 ms reads 0:[0,50) 1:[0,49) records=99",
                             "orders batch 2000 ms reads 0:[50,100) 1:[49,99) records=100",
                             "orders batch 3000 ms reads 0:[100,150) 1:[99,149) records=100",
                             "orders batch 3000 ms re-reads 0:[100,150) 1:[99,149) records=100",
                             "orders batch 4000 ms reads 0:[150,325) 1:[149,324) records=350",
                             "orders batch 5000 ms reads 0:[325,325) 1:[324,324) records=0",
                             "orders batch 6000 ms reads 0:[325,325) 1:[324,324) records=0",
                             "orders batch 7000 ms reads 0:[325,350) 1:[324,349) records=50",
                             "orders batch 8000 ms reads 0:[350,400) 1:[349,399) records=100"}));
  EXPECT_EQ(run.harness->context->driver_life(), 2);
  EXPECT_EQ(run.harness->context->stop_reason(), "stopped after 8 batches");
}

TEST(KafkaDirectTest, AfterADriverRestartALimitedStreamWorksOffTheBacklogInCappedBatches) {
  KafkaOptions options;
  options.max_rate_per_partition = 30;
  KafkaHarness run(Supervised(8), options);
  run.CrashDriverAt(3500, 3000);
  run.harness->Run();
  EXPECT_EQ(run.Reads(), (std::vector<std::string>{
                             "orders batch 1000 ms reads 0:[0,30) 1:[0,30) records=60",
                             "orders batch 2000 ms reads 0:[30,60) 1:[30,60) records=60",
                             "orders batch 3000 ms reads 0:[60,90) 1:[60,90) records=60",
                             "orders batch 3000 ms re-reads 0:[60,90) 1:[60,90) records=60",
                             "orders batch 4000 ms reads 0:[90,120) 1:[90,120) records=60",
                             "orders batch 5000 ms reads 0:[120,150) 1:[120,150) records=60",
                             "orders batch 6000 ms reads 0:[150,180) 1:[150,180) records=60",
                             "orders batch 7000 ms reads 0:[180,210) 1:[180,210) records=60",
                             "orders batch 8000 ms reads 0:[210,240) 1:[210,240) records=60"}));
}

TEST(KafkaDirectTest, AReRunBatchReadsTheSameRecordsAndEveryRecordIsProcessedOnce) {
  KafkaHarness run(Supervised(8), {});
  run.CrashDriverAt(3500, 3000);
  run.harness->Run();
  const auto out = run.Timed("out");
  std::vector<int64_t> times;
  for (const auto& [time, records] : out) times.push_back(time);
  EXPECT_EQ(times, (std::vector<int64_t>{1000, 2000, 3000, 3000, 4000, 5000, 6000, 7000, 8000}));
  // The re-run of batch 3 s collected exactly what its first run did.
  EXPECT_EQ(out[2].second.size(), 100u);
  EXPECT_EQ(out[3].second, out[2].second);
  // One run per batch time: together, exactly the records the broker holds below the offsets
  // the next batch would start from — nothing lost, nothing twice.
  Values once;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i == 3) continue;  // the re-run
    once.insert(once.end(), out[i].second.begin(), out[i].second.end());
  }
  EXPECT_EQ(once.size(), 799u);
  EXPECT_EQ(Sorted(once), Sorted(run.BrokerRecordsBelowCurrent()));
  EXPECT_EQ(run.stream->current_offsets(), (std::vector<int64_t>{400, 399}));
}

TEST(KafkaDirectTest, EveryRecordIsProcessedOnceWhenAWorkerCrashes) {
  StreamingConfig config = Batches(5);
  KafkaHarness run(config, {});
  // Worker 0 dies while it runs a task of batch 2 s (launched at 2.0025 s) and comes back 1 s
  // later: the task is run again elsewhere, reading its range from the broker again.
  run.harness->world->ScheduleGlobal(sim::Duration::Micros(2003500), [&run]() {
    run.harness->context->CrashWorker(0, sim::Duration::Seconds(1));
  });
  run.harness->Run();
  // Two jobs per batch ("out" and "sizes") of two tasks each (one per Kafka partition), and one
  // more: the re-run.
  EXPECT_EQ(run.harness->context->scheduler().counters().tasks_launched, 21);
  const Values all = testing::Concatenate(run.harness->Batches("out"));
  EXPECT_EQ(all.size(), 499u);
  EXPECT_EQ(Sorted(all), Sorted(run.BrokerRecordsBelowCurrent()));
  for (const BatchInfo& batch : run.harness->context->batches()) EXPECT_TRUE(batch.failure.empty());
}

TEST(KafkaDirectTest, WithoutACheckpointARestartedDriverStartsAtTheLatestOffsets) {
  StreamingConfig config = Batches(8);
  config.supervise = true;
  KafkaHarness run(config, {});
  run.CrashDriverAt(3500, 3000);
  run.harness->Run();
  // The new driver (zero time 6.5 s) knows nothing of the old offsets: what was produced from
  // 3 s to 6.5 s is never read.
  EXPECT_EQ(run.Reads(), (std::vector<std::string>{
                             "orders batch 1000 ms reads 0:[0,50) 1:[0,49) records=99",
                             "orders batch 2000 ms reads 0:[50,100) 1:[49,99) records=100",
                             "orders batch 3000 ms reads 0:[100,150) 1:[99,149) records=100",
                             "orders batch 7500 ms reads 0:[325,375) 1:[324,374) records=100",
                             "orders batch 8500 ms reads 0:[375,425) 1:[374,424) records=100"}));
}

TEST(KafkaDirectTest, ABatchGeneratedWhileTheBrokerIsDownReadsNothingNew) {
  KafkaOptions options;
  options.partitions = 1;
  KafkaHarness run(Batches(4), options);
  run.At(1500, [&run]() { run.broker->Down(); });
  run.At(2500, [&run]() { run.broker->Up(); });
  run.harness->Run();
  // Records 149 to 249 fell due while the broker was down and were never produced.
  EXPECT_EQ(run.Reads(),
            (std::vector<std::string>{"orders batch 1000 ms reads 0:[0,99) records=99",
                                      "orders batch 2000 ms reads 0:[99,99) records=0",
                                      "orders batch 3000 ms reads 0:[99,198) records=99",
                                      "orders batch 4000 ms reads 0:[198,298) records=100"}));
  EXPECT_EQ(run.broker->records_not_produced(), 101);
  const std::vector<std::string>& warnings = run.harness->listener.warnings;
  EXPECT_NE(std::find(warnings.begin(), warnings.end(),
                      "batch 2000 ms, stream orders: Kafka broker kafka/orders is not available to "
                      "give its latest offsets; the batch reads no new records"),
            warnings.end());
}

TEST(KafkaDirectTest, TasksFailWhenTheBrokerGoesDownAfterGeneration) {
  KafkaOptions options;
  options.partitions = 1;
  KafkaHarness run(Batches(2), options);
  run.At(1001, [&run]() { run.broker->Down(); });
  run.At(1500, [&run]() { run.broker->Up(); });
  run.harness->Run();
  const std::vector<BatchInfo> batches = run.harness->context->batches();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_TRUE(Contains(batches[0].failure,
                       "failed 4 times, most recent failure: Couldn't connect to leader for topic "
                       "orders 0: broker kafka/orders is down"))
      << batches[0].failure;
  // The failed batch's offsets are not read again: the next batch goes on from where it ended.
  EXPECT_TRUE(batches[1].failure.empty());
  EXPECT_EQ(run.Reads()[1], "orders batch 2000 ms reads 0:[99,149) records=50");
}

TEST(KafkaDirectTest, RetentionOutrunningALimitedStreamFailsItsBatches) {
  KafkaOptions options;
  options.partitions = 1;
  options.retention = 50;
  options.max_rate_per_partition = 10;
  KafkaHarness run(Batches(1), options);
  // When the batch of 1 s is generated, the log holds offsets [49, 99); the batch wants [0, 10).
  int64_t log_start_at_generation = -1;
  run.At(1000, [&]() { log_start_at_generation = run.broker->LogStartOffset(0); });
  run.harness->Run();
  EXPECT_EQ(log_start_at_generation, 49);
  EXPECT_EQ(run.Reads(),
            (std::vector<std::string>{"orders batch 1000 ms reads 0:[0,10) records=10"}));
  const std::vector<BatchInfo> batches = run.harness->context->batches();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_TRUE(Contains(batches[0].failure,
                       "Offsets out of range with no configured reset policy for partitions: "
                       "{orders-0=0}"))
      << batches[0].failure;
}

TEST(KafkaDirectTest, ThePositionRoundTripsThroughTheCheckpointAndACrashClearsIt) {
  KafkaHarness run(Batches(3), {});
  run.harness->Run();
  DirectKafkaInputDStream& stream = *run.stream;
  // Only the last batch is still remembered (remember = one slide).
  ASSERT_EQ(stream.ranges().size(), 1u);
  EXPECT_EQ(stream.ranges().begin()->first, sim::Instant{3000000});
  const auto ranges = stream.ranges();
  const nlohmann::json position = stream.SavePosition();
  EXPECT_EQ(position.dump(),
            R"({"batches":[{"ranges":[[0,100,150],[1,99,149]],"time_us":3000000}],)"
            R"("current":[150,149],"topic":"orders"})");
  stream.ClearVolatileState();
  EXPECT_TRUE(stream.current_offsets().empty());
  EXPECT_TRUE(stream.ranges().empty());
  EXPECT_EQ(stream.InputRecords(sim::Instant{3000000}), 0);
  stream.RestorePosition(position);
  EXPECT_EQ(stream.current_offsets(), (std::vector<int64_t>{150, 149}));
  EXPECT_EQ(stream.ranges(), ranges);
  EXPECT_EQ(stream.InputRecords(sim::Instant{3000000}), 100);
}

}  // namespace
}  // namespace streamsim::engine
