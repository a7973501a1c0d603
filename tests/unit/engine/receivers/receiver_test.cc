// Tests of receivers (engine/receivers/receiver.cc) fed by the simulated socket server: blocks cut
// every block interval, replication, the too-few-cores warning, and conservation of the lines sent.
#include "engine/receivers/receiver.h"

#include <gtest/gtest.h>

#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Concatenate;
using testing::Harness;
using testing::I;
using testing::Op;
using testing::S;

// 100 lines/s in 10 ms segments: one line per segment, the line of segment k (k = 1, 2, ...) sent
// at k x 10 ms and delivered within the link's 5 ms latency bound, so a block cut at time T holds
// the lines sent in [T - 200 ms, T - 10 ms]: 19 lines for the first block, 20 for every other.
externals::SocketServerConfig Lines(int port = 7777) {
  externals::SocketServerConfig config;
  config.name = "lines";
  config.port = port;
  config.rate_per_second = 100;
  config.generator.kind = "lines";
  config.generator.lines = {"a", "b", "c"};
  return config;
}

StreamingConfig Cluster(int workers, int cores, int64_t batches) {
  StreamingConfig config = Batches(batches);
  config.workers = workers;
  config.cores_per_worker = cores;
  return config;
}

// Sends the stream to collect twice: the records as "out", the records per partition as "sizes".
void CollectRecordsAndPartitionSizes(Harness& harness, DStream* stream) {
  harness.Collect(stream, "out");
  harness.TransformAndCollect({stream}, {Op(OperatorKind::kMapPartitions, "[len(xs)]")}, "sizes");
}

int64_t Total(const std::vector<Values>& batches) {
  int64_t total = 0;
  for (const Values& batch : batches) total += static_cast<int64_t>(batch.size());
  return total;
}

TEST(ReceiverTest, BlocksAreCutEveryBlockIntervalAndBecomeOnePartitionEach) {
  Harness harness(Batches(3));
  harness.KeepTrace();
  DStream* lines = harness.SocketTextStream(Lines());
  CollectRecordsAndPartitionSizes(harness, lines);
  harness.Run();
  // Batch 1 gets the blocks cut at 200, 400, 600 and 800 ms (the one cut at 1000 ms is reported
  // after the batch was generated); later batches get five blocks of 20 lines.
  const std::vector<Values> sizes = harness.Batches("sizes");
  EXPECT_EQ(sizes, (std::vector<Values>{{I(19), I(20), I(20), I(20)},
                                        {I(20), I(20), I(20), I(20), I(20)},
                                        {I(20), I(20), I(20), I(20), I(20)}}));
  const auto& batches = harness.context->batches();
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].input_records, 79);
  EXPECT_EQ(batches[1].input_records, 100);
  EXPECT_EQ(batches[2].input_records, 100);
  // The records are the generator's lines in order: a, b, c, a, ...
  const Values all = Concatenate(harness.Batches("out"));
  ASSERT_EQ(all.size(), 279u);
  const char* cycle[] = {"a", "b", "c"};
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], S(cycle[i % 3])) << "record " << i;
  // One block every 200 ms from 200 ms to 3000 ms; the stop came just after 3000 ms.
  EXPECT_EQ(harness.TraceLinesContaining(" block input-0-"), 15u);
  EXPECT_EQ(harness.TraceLinesContaining(" block input-0-0 records=19 on worker/0"), 1u);
  EXPECT_EQ(harness.TraceLinesContaining(" block input-0-14 records=20 on worker/0"), 1u);
  const ReceiverStatus& status = harness.context->receiver_tracker().statuses().at(0);
  EXPECT_EQ(status.name, "lines");
  EXPECT_EQ(status.executor, -1);  // stopped with the context
  EXPECT_GE(status.blocks, 14);    // the 14 blocks of the three batches, perhaps the 15th
  EXPECT_LE(status.blocks, 15);
}

TEST(ReceiverTest, TheBlockIntervalSetsThePartitionsPerBatch) {
  StreamingConfig config = Batches(2);
  config.block_interval = sim::Duration::Millis(500);
  Harness harness(config);
  DStream* lines = harness.SocketTextStream(Lines());
  CollectRecordsAndPartitionSizes(harness, lines);
  harness.Run();
  EXPECT_EQ(harness.Batches("sizes"), (std::vector<Values>{{I(49)}, {I(50), I(50)}}));
}

TEST(ReceiverTest, ReplicationStoresEachBlockOnTwoExecutors) {
  Harness harness(Batches(3));
  DStream* lines = harness.SocketTextStream(Lines());
  harness.Collect(lines, "out");
  std::vector<BlockRdd::BlockInfo> blocks;
  size_t held_by_first = 0;
  size_t held_by_second = 0;
  // While batch 2 runs, its blocks are allocated to it and held by both executors.
  harness.world->ScheduleGlobal(sim::Duration::Micros(2'001'000), [&]() {
    blocks = harness.context->receiver_tracker().BlocksOfBatch(sim::Instant{2'000'000}, 0);
    for (const auto& block : blocks) {
      held_by_first += harness.context->cluster().executors[0].blocks.Get(block.id) ? 1 : 0;
      held_by_second += harness.context->cluster().executors[1].blocks.Get(block.id) ? 1 : 0;
    }
  });
  harness.Run();
  ASSERT_EQ(blocks.size(), 5u);
  for (size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ(blocks[i].id, "input-0-" + std::to_string(4 + i));
    EXPECT_EQ(blocks[i].records, 20);
    EXPECT_EQ(blocks[i].executors, (std::vector<int>{0, 1}));
  }
  EXPECT_EQ(held_by_first, 5u);
  EXPECT_EQ(held_by_second, 5u);
  // Blocks of batches the input stream no longer remembers are removed
  // (spark.streaming.unpersist): once batch 3 completes, batch 2's blocks (up to input-0-8) are
  // gone and batch 3's (input-0-9 to input-0-13) are still remembered, as Spark's clearMetadata
  // removes RDDs at or before time - rememberDuration.
  EXPECT_EQ(harness.context->cluster().executors[0].blocks.Get("input-0-8"), nullptr);
  EXPECT_EQ(harness.context->cluster().executors[1].blocks.Get("input-0-8"), nullptr);
  EXPECT_NE(harness.context->cluster().executors[0].blocks.Get("input-0-13"), nullptr);
  EXPECT_NE(harness.context->cluster().executors[1].blocks.Get("input-0-13"), nullptr);
}

TEST(ReceiverTest, ReplicationOneStoresEachBlockOnce) {
  StreamingConfig config = Batches(2);
  config.replication = 1;
  Harness harness(config);
  DStream* lines = harness.SocketTextStream(Lines());
  harness.Collect(lines, "out");
  std::vector<BlockRdd::BlockInfo> blocks;
  size_t held_by_second = 0;
  harness.world->ScheduleGlobal(sim::Duration::Micros(1'001'000), [&]() {
    blocks = harness.context->receiver_tracker().BlocksOfBatch(sim::Instant{1'000'000}, 0);
    held_by_second = harness.context->cluster().executors[1].blocks.size();
  });
  harness.Run();
  ASSERT_EQ(blocks.size(), 4u);
  for (const auto& block : blocks) EXPECT_EQ(block.executors, (std::vector<int>{0}));
  EXPECT_EQ(held_by_second, 0u);
}

TEST(ReceiverTest, ReplicationTwoOnOneWorkerStoresOneCopy) {
  Harness harness(Cluster(1, 2, 2));
  DStream* lines = harness.SocketTextStream(Lines());
  harness.Collect(lines, "out");
  std::vector<BlockRdd::BlockInfo> blocks;
  harness.world->ScheduleGlobal(sim::Duration::Micros(1'001'000), [&]() {
    blocks = harness.context->receiver_tracker().BlocksOfBatch(sim::Instant{1'000'000}, 0);
  });
  harness.Run();
  ASSERT_EQ(blocks.size(), 4u);
  for (const auto& block : blocks) EXPECT_EQ(block.executors, (std::vector<int>{0}));
  EXPECT_EQ(Total(harness.Batches("out")), 79 + 100);
}

TEST(ReceiverTest, OneCoreForOneReceiverWarnsAndNoBatchCompletes) {
  Harness harness(Cluster(1, 1, 2));
  DStream* lines = harness.SocketTextStream(Lines());
  harness.Collect(lines, "out");
  harness.Run();
  ASSERT_EQ(harness.listener.warnings.size(), 1u);
  EXPECT_NE(harness.listener.warnings[0].find("jobs will not get resources"), std::string::npos)
      << harness.listener.warnings[0];
  EXPECT_EQ(harness.context->warnings(), harness.listener.warnings);
  EXPECT_EQ(harness.context->stop_reason(),
            "batch 2000 ms did not complete within 10 batch intervals of its time");
  // Batches kept being generated until the deadline at 12 s, which was set at start and so fires
  // before that instant's batch: 11 batches. The first one started (its job is submitted) and
  // never finished; the others never started.
  const auto& batches = harness.context->batches();
  ASSERT_EQ(batches.size(), 11u);
  EXPECT_TRUE(batches[0].processing_start.has_value());
  for (const BatchInfo& batch : batches) {
    EXPECT_FALSE(batch.completed()) << batch.batch_time.millis();
    if (batch.batch_time.millis() > 1000) {
      EXPECT_FALSE(batch.processing_start.has_value()) << batch.batch_time.millis();
    }
  }
  // Data was received all along, and none of it processed.
  EXPECT_EQ(harness.context->batches()[0].input_records, 79);
  EXPECT_TRUE(harness.listener.collected["out"].empty());
  EXPECT_EQ(harness.context->scheduler().counters().tasks_launched, 0);
  EXPECT_EQ(harness.context->receiver_tracker().statuses().at(0).executor, -1);
}

TEST(ReceiverTest, TwoCoresForOneReceiverProcessBatches) {
  Harness harness(Cluster(1, 2, 2));
  DStream* lines = harness.SocketTextStream(Lines());
  harness.Collect(lines, "out");
  harness.Run();
  EXPECT_TRUE(harness.listener.warnings.empty());
  EXPECT_EQ(harness.context->stop_reason(), "stopped after 2 batches");
  ASSERT_EQ(harness.context->batches().size(), 2u);
  for (const BatchInfo& batch : harness.context->batches()) EXPECT_TRUE(batch.completed());
  EXPECT_EQ(Total(harness.Batches("out")), 179);
}

TEST(ReceiverTest, TwoReceiversOnTwoCoresLeaveNoneForJobs) {
  // Two receivers, one worker with two cores: both start (one core each) and nothing is left.
  Harness harness(Cluster(1, 2, 1));
  DStream* first = harness.SocketTextStream(Lines(7777));
  DStream* second = harness.SocketTextStream(Lines(7778));
  harness.Collect(first, "first");
  harness.Collect(second, "second");
  harness.Run();
  ASSERT_EQ(harness.listener.warnings.size(), 1u);
  EXPECT_NE(harness.listener.warnings[0].find("2 receiver(s) need 2 core(s) but the cluster has 2"),
            std::string::npos)
      << harness.listener.warnings[0];
  EXPECT_FALSE(harness.context->batches()[0].completed());
}

TEST(ReceiverTest, RecordsAreConservedWhenStoppingAfterBatches) {
  Harness harness(Batches(3));
  DStream* lines = harness.SocketTextStream(Lines());
  harness.Collect(lines, "out");
  harness.Run();
  // The server sent the lines of the segments at 10, 20, ..., 3000 ms (the stop came a few ms
  // after 3000 ms). Processed: the lines in the blocks cut up to 2800 ms. Not processed: the 20
  // lines of the block cut at 3000 ms and the line sent at 3000 ms, still buffered.
  const externals::SocketServer& server = *harness.externals.socket_servers[0];
  EXPECT_EQ(server.lines_sent(), 300);
  EXPECT_EQ(server.lines_produced(), 300);
  EXPECT_EQ(Total(harness.Batches("out")), 300 - 20 - 1);
  int64_t input = 0;
  for (const BatchInfo& batch : harness.context->batches()) input += batch.input_records;
  EXPECT_EQ(input, 279);
}

TEST(ReceiverTest, AGracefulStopProcessesEverythingTheServerSent) {
  StreamingConfig config;
  config.stop_at = sim::Duration::Millis(2500);
  Harness harness(config);
  DStream* lines = harness.SocketTextStream(Lines());
  CollectRecordsAndPartitionSizes(harness, lines);
  harness.Run();
  EXPECT_EQ(harness.context->stop_reason(),
            "stopped gracefully after processing all received data");
  // The stop at 2500 ms runs before that instant's segment: the server sent 249 lines. The
  // receiver's last block holds the 10 lines sent from 2400 ms to 2490 ms; it is replicated and
  // reported after the receiver stopped, and batch 3 processes it.
  const externals::SocketServer& server = *harness.externals.socket_servers[0];
  EXPECT_EQ(server.lines_sent(), 249);
  EXPECT_EQ(Total(harness.Batches("out")), server.lines_sent());
  EXPECT_EQ(harness.Batches("sizes"), (std::vector<Values>{{I(19), I(20), I(20), I(20)},
                                                           {I(20), I(20), I(20), I(20), I(20)},
                                                           {I(20), I(20), I(20), I(10)}}));
  EXPECT_EQ(harness.context->receiver_tracker().statuses().at(0).last_error, "stopped by driver");
}

TEST(ReceiverTest, AGracefulStopOnABatchBoundaryWaitsForTheLastBlock) {
  // The stop at 2000 ms comes before that instant's batch and block cut. Batch 2 takes the five
  // blocks cut from 1000 ms to 1800 ms; the receiver's last block (the 20 lines sent from 1800 ms
  // to 1990 ms) may still be on its way to the driver when batch 2 completes, and batch 3 must
  // take it.
  StreamingConfig config;
  config.stop_at = sim::Duration::Millis(2000);
  Harness harness(config);
  DStream* lines = harness.SocketTextStream(Lines());
  CollectRecordsAndPartitionSizes(harness, lines);
  harness.Run();
  const externals::SocketServer& server = *harness.externals.socket_servers[0];
  EXPECT_EQ(server.lines_sent(), 199);
  EXPECT_EQ(Total(harness.Batches("out")), 199);
  EXPECT_EQ(harness.Batches("sizes"),
            (std::vector<Values>{
                {I(19), I(20), I(20), I(20)}, {I(20), I(20), I(20), I(20), I(20)}, {I(20)}}));
  EXPECT_EQ(harness.context->stop_reason(),
            "stopped gracefully after processing all received data");
}

TEST(ReceiverTest, AGracefulStopWithNothingElsePendingWaitsForTheLastBlock) {
  // Blocks every 300 ms: batch 2 takes the blocks cut at 1200, 1500 and 1800 ms and is done by
  // 2050 ms, when the stop comes. Nothing is unallocated and no batch runs, but the receiver's
  // last block (the 25 lines sent from 1800 ms to 2040 ms) is on its way: the stop must wait for
  // it, and batch 3 processes it.
  StreamingConfig config;
  config.block_interval = sim::Duration::Millis(300);
  config.stop_at = sim::Duration::Millis(2050);
  Harness harness(config);
  DStream* lines = harness.SocketTextStream(Lines());
  CollectRecordsAndPartitionSizes(harness, lines);
  harness.Run();
  const externals::SocketServer& server = *harness.externals.socket_servers[0];
  EXPECT_EQ(server.lines_sent(), 204);
  EXPECT_EQ(harness.Batches("sizes"),
            (std::vector<Values>{{I(29), I(30), I(30)}, {I(30), I(30), I(30)}, {I(25)}}));
  EXPECT_EQ(Total(harness.Batches("out")), 204);
  EXPECT_EQ(harness.context->stop_reason(),
            "stopped gracefully after processing all received data");
}

}  // namespace
}  // namespace streamsim::engine
