// The receiver-based Kafka stream (engine/connectors/kafka_receiver.h) under worker, receiver and
// driver crashes, without the receiver write-ahead log (KafkaReceiver: auto-commit) and with it
// (ReliableKafkaReceiver: commit after store), and with the broker down: exactly which records are
// lost or counted twice. The topic "events" has 2 partitions and a producer of 100 records a
// second (sequence k, appended at about (k + 1) x 10 ms to partition k % 2 at offset k / 2); the
// consumer starts at the earliest offsets when its group has none, and fetches every 10 ms.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/unit/engine/sequence_count.h"

namespace streamsim::engine {
namespace {

using testing::Delivery;
using testing::DuplicateRuns;
using testing::Runs;
using testing::SequenceRun;

enum class Fault { kNone, kWorker, kReceiver, kDriver, kBrokerDown };

struct KafkaOutcome {
  Delivery delivery;
  int64_t produced = 0;
  int64_t not_produced = 0;
  int64_t fetched = 0;
  int64_t commits = 0;
  int driver_life = 0;
  std::string stop_reason;
};

KafkaOutcome RunKafka(bool receiver_wal, Fault fault, int64_t crash_us = 5'500'000,
                      sim::Duration auto_commit = sim::Duration::Seconds(1),
                      std::vector<std::string>* trace = nullptr) {
  SequenceRun run(receiver_wal);
  externals::KafkaBrokerConfig topic;
  topic.topic = "events";
  topic.source_name = "events";
  topic.partitions = 2;
  topic.rate_per_second = 100;
  topic.generator.kind = "log_lines";
  KafkaReceiverConfig config;
  config.name = "events";
  config.start = KafkaStartingOffsets::kEarliest;
  config.auto_commit_interval = auto_commit;
  run.CountSequences(run.KafkaReceiverStream(topic, config));
  StreamingContext& context = *run.context;
  run.world->ScheduleGlobal(sim::Duration::Micros(crash_us), [&context, &run, fault]() {
    if (fault == Fault::kWorker) context.CrashWorker(0, std::nullopt);
    if (fault == Fault::kReceiver) context.CrashReceiver("events");
    if (fault == Fault::kDriver) context.CrashDriver(sim::Duration::Seconds(1));
    if (fault == Fault::kBrokerDown) run.externals.kafka_brokers[0]->Down();
  });
  if (fault == Fault::kBrokerDown) {
    run.world->ScheduleGlobal(sim::Duration::Micros(crash_us + 2'000'000),
                              [&run]() { run.externals.kafka_brokers[0]->Up(); });
  }
  run.Run();
  if (trace) *trace = run.trace;
  const auto& source = static_cast<const KafkaReceiverSource&>(*context.receiver_sources().at(0));
  const externals::KafkaBroker& broker = *run.externals.kafka_brokers.at(0);
  return {run.Counted(),
          broker.records_produced(),
          broker.records_not_produced(),
          source.records_fetched(),
          run.externals.zookeeper->commits(),
          context.driver_life(),
          context.stop_reason()};
}

TEST(KafkaReceiverTest, WithoutFaultsEveryRecordIsCountedOnceWithAndWithoutTheLog) {
  for (bool receiver_wal : {false, true}) {
    const KafkaOutcome run = RunKafka(receiver_wal, Fault::kNone);
    EXPECT_EQ(run.stop_reason, "stopped after 10 batches");
    EXPECT_EQ(Runs(run.delivery.lost), "") << receiver_wal;
    EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "") << receiver_wal;
    EXPECT_EQ(run.delivery.last, 978) << receiver_wal;
    EXPECT_EQ(run.fetched, run.produced) << receiver_wal;  // nothing read twice
  }
  // Auto-commit every second (10 commits in 10 s) versus a commit after every block.
  EXPECT_EQ(RunKafka(false, Fault::kNone).commits, 10);
  EXPECT_EQ(RunKafka(true, Fault::kNone).commits, 50);
}

// KafkaReceiver, worker/0 dies at 5.5 s. The last auto-commit (5.0 s) covered sequences 0-498;
// the relaunched consumer fetches again from there, so what the dead receiver had buffered
// (539-548) is read again — not lost — and the blocks stored after the commit (499-538), which
// survived on their replicas, are counted twice.
TEST(KafkaReceiverTest, WithoutTheLogAWorkerCrashReReadsSinceTheLastCommit) {
  const KafkaOutcome run = RunKafka(false, Fault::kWorker);
  EXPECT_EQ(Runs(run.delivery.lost), "");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "499-538");
  EXPECT_EQ(run.delivery.last, 977);
  EXPECT_EQ(run.fetched - run.produced, 49);
}

// The old consumer's default auto.commit.interval.ms, 60 s: nothing was ever committed, so the
// relaunched consumer starts again at the earliest offsets and everything is counted twice.
TEST(KafkaReceiverTest, WithTheDefaultAutoCommitIntervalAWorkerCrashReReadsEverything) {
  const KafkaOutcome run = RunKafka(false, Fault::kWorker, 5'500'000, sim::Duration::Seconds(60));
  EXPECT_EQ(run.commits, 0);
  EXPECT_EQ(Runs(run.delivery.lost), "");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "0-538");
}

// Auto-commit every 1.1 s: a commit at 5.5 s takes the positions past sequence 548, while the last
// block was cut at 5.4 s. The worker dies at 5.52 s: the buffered records 539-548 are committed
// but never stored — lost.
TEST(KafkaReceiverTest, WithoutTheLogACommitAfterTheLastBlockLosesTheBuffer) {
  const KafkaOutcome run = RunKafka(false, Fault::kWorker, 5'520'000, sim::Duration::Millis(1100));
  EXPECT_EQ(Runs(run.delivery.lost), "539-548");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
}

// A receiver that dies shuts its consumer down, which commits its positions: the buffered
// records 539-548 are lost.
TEST(KafkaReceiverTest, WithoutTheLogAReceiverCrashLosesTheBuffer) {
  const KafkaOutcome run = RunKafka(false, Fault::kReceiver);
  EXPECT_EQ(Runs(run.delivery.lost), "539-548");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 987);
}

// A driver crash takes the executors: the blocks of 379-538 die in memory. 499-548 were fetched
// after the last commit and are read again; 379-498 were committed: lost.
TEST(KafkaReceiverTest, WithoutTheLogADriverCrashLosesTheCommittedBlocks) {
  const KafkaOutcome run = RunKafka(false, Fault::kDriver);
  EXPECT_EQ(run.driver_life, 2);
  EXPECT_EQ(Runs(run.delivery.lost), "379-498");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
}

// ReliableKafkaReceiver: offsets are committed only once a block is stored in the log, so no crash
// loses anything, and with these timings nothing is read twice.
TEST(KafkaReceiverTest, WithTheLogNoCrashLosesAnything) {
  for (Fault fault : {Fault::kWorker, Fault::kReceiver, Fault::kDriver}) {
    const KafkaOutcome run = RunKafka(true, fault);
    EXPECT_EQ(Runs(run.delivery.lost), "") << static_cast<int>(fault);
    EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "") << static_cast<int>(fault);
    EXPECT_EQ(run.stop_reason, "stopped after 10 batches");
  }
  EXPECT_EQ(RunKafka(true, Fault::kDriver).driver_life, 2);
}

// Block input-0-26 (519-538) is stored at 5.4 s; its commit reaches ZooKeeper at 5.408 s. A
// receiver crash at 5.403 s: the block still reaches the driver, its commit is never sent, and
// the next consumer reads 519-538 again: the one window where the reliable receiver duplicates.
TEST(KafkaReceiverTest, WithTheLogACrashBetweenStoreAndCommitDuplicatesThatBlock) {
  const KafkaOutcome run = RunKafka(true, Fault::kReceiver, 5'403'000);
  EXPECT_EQ(Runs(run.delivery.lost), "");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "519-538");
}

// The broker is down from 3 s to 5 s: the consumer gets nothing meanwhile and resumes after. The
// only gap is the 201 records the producer could not write (299-499, never in the topic).
TEST(KafkaReceiverTest, ABrokerDownLosesNothingThatWasProduced) {
  for (bool receiver_wal : {false, true}) {
    const KafkaOutcome run = RunKafka(receiver_wal, Fault::kBrokerDown, 3'000'000);
    EXPECT_EQ(run.not_produced, 201) << receiver_wal;
    EXPECT_EQ(Runs(run.delivery.lost), "299-499") << receiver_wal;
    EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "") << receiver_wal;
    EXPECT_EQ(run.fetched, run.produced) << receiver_wal;
  }
}

}  // namespace
}  // namespace streamsim::engine
