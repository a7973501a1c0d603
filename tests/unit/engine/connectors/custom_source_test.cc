// Custom receivers (engine/connectors/custom_source.h) under worker, receiver and driver crashes,
// with and without the receiver write-ahead log: exactly which of the device's numbered records are
// lost or counted twice. The device "custom/device" produces 100 records a second (sequence k at (k
// + 1) x 10 ms) and sends what is due every 10 ms; blocks are cut (unreliable) or stored (reliable)
// every 200 ms; every fault hits at 5.5 s, on worker/0, where the receiver runs.
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

enum class Fault { kNone, kWorker, kReceiver, kDriver };

struct CustomOutcome {
  Delivery delivery;
  int64_t produced = 0;
  int64_t sent = 0;
  int64_t acknowledged = 0;
  int driver_life = 0;
  std::string stop_reason;
};

CustomOutcome RunCustom(bool reliable, bool receiver_wal, Fault fault, int64_t crash_us = 5'500'000,
                        std::vector<std::string>* trace = nullptr) {
  SequenceRun run(receiver_wal);
  externals::CustomDeviceConfig config;
  config.name = "device";
  config.rate_per_second = 100;
  config.generator.kind = "log_lines";
  run.CountSequences(
      run.externals.CustomReceiverStream(run.world.get(), *run.context, config, reliable));
  StreamingContext& context = *run.context;
  run.world->ScheduleGlobal(sim::Duration::Micros(crash_us), [&context, fault]() {
    if (fault == Fault::kWorker) context.CrashWorker(0, std::nullopt);
    if (fault == Fault::kReceiver) context.CrashReceiver("device");
    if (fault == Fault::kDriver) context.CrashDriver(sim::Duration::Seconds(1));
  });
  run.Run();
  if (trace) *trace = run.trace;
  const externals::CustomDevice& device = *run.externals.custom_devices.at(0);
  return {run.Counted(),         device.records_produced(),
          device.records_sent(), device.records_acknowledged(),
          context.driver_life(), context.stop_reason()};
}

TEST(CustomReceiverTest, WithoutFaultsEveryRecordIsCountedOnceInBothModes) {
  for (bool reliable : {false, true}) {
    const CustomOutcome run = RunCustom(reliable, /*receiver_wal=*/false, Fault::kNone);
    EXPECT_EQ(run.stop_reason, "stopped after 10 batches");
    EXPECT_EQ(Runs(run.delivery.lost), "") << reliable;
    EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "") << reliable;
    // Batch 10 counts up to the block stored at 9.8 s.
    EXPECT_EQ(run.delivery.last, 978) << reliable;
  }
}

// Unreliable, worker/0 dies: the 10 records sent from 5.4 s to 5.49 s were in the block
// generator's buffer and are lost. Unlike a socket server, the device keeps what it produced while
// no receiver was connected and sends it to the relaunched receiver: nothing else is lost. The
// stored blocks survive on their replicas.
TEST(CustomReceiverTest, UnreliableWorkerCrashLosesTheBufferedRecords) {
  const CustomOutcome run = RunCustom(false, false, Fault::kWorker);
  EXPECT_EQ(Runs(run.delivery.lost), "539-548");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 978);
  EXPECT_EQ(run.sent, run.produced);  // each record sent once
}

TEST(CustomReceiverTest, UnreliableReceiverCrashLosesTheBufferedRecords) {
  const CustomOutcome run = RunCustom(false, false, Fault::kReceiver);
  EXPECT_EQ(Runs(run.delivery.lost), "539-548");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 988);
}

// Without the log a driver crash also loses the blocks of the batches the checkpointed state had
// not yet counted (379-538, in the executors' memory) — Spark's "past data lost".
TEST(CustomReceiverTest, UnreliableDriverCrashWithoutTheLogLosesPastDataAndTheBuffer) {
  const CustomOutcome run = RunCustom(false, false, Fault::kDriver);
  EXPECT_EQ(run.driver_life, 2);
  EXPECT_EQ(Runs(run.delivery.lost), "379-548");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 988);
}

// With the log the blocks come back; the buffer is still lost (an unreliable receiver).
TEST(CustomReceiverTest, UnreliableDriverCrashWithTheLogLosesOnlyTheBuffer) {
  const CustomOutcome run = RunCustom(false, true, Fault::kDriver);
  EXPECT_EQ(Runs(run.delivery.lost), "539-548");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 988);
}

// Reliable, worker/0 dies: the records gathered since the last block were never acknowledged, so
// the device sends them again to the relaunched receiver: nothing lost, nothing twice.
TEST(CustomReceiverTest, ReliableWorkerCrashLosesNothing) {
  const CustomOutcome run = RunCustom(true, false, Fault::kWorker);
  EXPECT_EQ(Runs(run.delivery.lost), "");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 978);
  EXPECT_GT(run.sent, run.produced);  // the unacknowledged records went twice
}

TEST(CustomReceiverTest, ReliableWorkerCrashWithTheLogLosesNothing) {
  const CustomOutcome run = RunCustom(true, true, Fault::kWorker);
  EXPECT_EQ(Runs(run.delivery.lost), "");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 978);
}

TEST(CustomReceiverTest, ReliableReceiverCrashLosesNothing) {
  const CustomOutcome run = RunCustom(true, false, Fault::kReceiver);
  EXPECT_EQ(Runs(run.delivery.lost), "");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 988);
}

// Block input-0-26 (records 519-538) is stored at 5.4 s and acknowledged at 5.406 s. A receiver
// crash at 5.403 s: the executor lives, so the block still reaches the driver, but the
// acknowledgement is dropped with the receiver and the device sends the records again: counted
// twice (at-least-once).
TEST(CustomReceiverTest, ReliableReceiverCrashBetweenStoreAndAcknowledgementDuplicates) {
  const CustomOutcome run = RunCustom(true, false, Fault::kReceiver, 5'403'000);
  EXPECT_EQ(Runs(run.delivery.lost), "");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "519-538");
}

// The same moment on the worker: the dead executor never reports the block, so it is only
// counted once, from the re-send.
TEST(CustomReceiverTest, ReliableWorkerCrashBetweenStoreAndAcknowledgementLosesNothing) {
  const CustomOutcome run = RunCustom(true, false, Fault::kWorker, 5'403'000);
  EXPECT_EQ(Runs(run.delivery.lost), "");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
}

// A reliable receiver without the log still loses, with the driver, the acknowledged blocks that
// lived only in the executors' memory (379-538); the unacknowledged ones are sent again.
TEST(CustomReceiverTest, ReliableDriverCrashWithoutTheLogLosesPastData) {
  const CustomOutcome run = RunCustom(true, false, Fault::kDriver);
  EXPECT_EQ(Runs(run.delivery.lost), "379-538");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 988);
}

// Reliable receiver and the log under a driver crash: zero data loss.
TEST(CustomReceiverTest, ReliableDriverCrashWithTheLogLosesNothing) {
  const CustomOutcome run = RunCustom(true, true, Fault::kDriver);
  EXPECT_EQ(run.driver_life, 2);
  EXPECT_EQ(Runs(run.delivery.lost), "");
  EXPECT_EQ(DuplicateRuns(run.delivery.duplicated), "");
  EXPECT_EQ(run.delivery.last, 988);
  EXPECT_EQ(run.acknowledged, 989);
}

}  // namespace
}  // namespace streamsim::engine
