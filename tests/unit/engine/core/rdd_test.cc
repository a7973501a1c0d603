// The block RDD's invariant, shown to fire (engine/core/rdd.cc): a block read back from the
// receiver's write-ahead log is the record the receiver wrote there.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Harness;

constexpr char kReceiverLog[] = "checkpoints/app/receivedData/0/log-0-60000";

// A socket of "a" lines into a receiver with the write-ahead log on worker/0; worker/0 crashes at
// 0.9 s, so batch 1000 ms reads its blocks back from the log. `alter_log` runs at 0.95 s.
void RunWithBlocksReadFromTheLog(const std::function<void(Harness&)>& alter_log) {
  StreamingConfig config;
  config.stop_after_batches = 2;
  config.checkpoint_dir = "checkpoints/app";
  config.receiver_wal = true;
  config.replication = 1;
  Harness harness(config);
  externals::SocketServerConfig socket;
  socket.name = "lines";
  socket.port = 7777;
  socket.rate_per_second = 100;
  socket.generator.kind = "lines";
  socket.generator.lines = {"a"};
  harness.Collect(harness.SocketTextStream(socket), "lines");
  harness.world->ScheduleGlobal(sim::Duration::Millis(900),
                                [&harness]() { harness.context->CrashWorker(0, std::nullopt); });
  harness.world->ScheduleGlobal(sim::Duration::Millis(950),
                                [&harness, &alter_log]() { alter_log(harness); });
  harness.Run();
  ASSERT_EQ(harness.context->stop_reason(), "stopped after 2 batches");
  ASSERT_FALSE(harness.Batches("lines").empty());
  EXPECT_FALSE(harness.Batches("lines")[0].empty());
}

TEST(BlockRddTest, BlocksLostFromMemoryAreReadBackFromTheLog) {
  RunWithBlocksReadFromTheLog(
      [](Harness& harness) { EXPECT_TRUE(harness.world->storage().Exists(kReceiverLog)); });
}

TEST(BlockRddDeathTest, ALogRecordThatReadsBackDifferentlyIsABug) {
  EXPECT_DEATH(RunWithBlocksReadFromTheLog([](Harness& harness) {
                 // The same length, one line changed: the framing still holds, the hash does not.
                 Result<std::string> log = harness.world->storage().Read(kReceiverLog);
                 ASSERT_TRUE(log.ok());
                 std::string text = log.value();
                 const size_t line = text.find("\"a\"");
                 ASSERT_NE(line, std::string::npos);
                 text[line + 1] = 'b';
                 harness.WriteFile(kReceiverLog, text);
               }),
               "the write-ahead log record of input-0-0 differs from what was written");
}

}  // namespace
}  // namespace streamsim::engine
