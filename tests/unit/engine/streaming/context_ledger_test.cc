// Tests of the run's ledger as the engine fills it (ledger/ledger.h): for each kind of source, the
// records produced, delivered and acknowledged under their ids; the allocation of every batch (one
// per driver life, batch time and input stream, recovered batches included); batch outcomes; and
// output emissions. The ledger is what the checker trusts least and reads most, so the values are
// pinned exactly.
//
// Timing used throughout: a source of 100 records a second makes record k at about (k + 1) x 10 ms;
// the receiver cuts a block every 200 ms; a batch every second.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/connectors/flume_polling_source.h"
#include "engine/connectors/kinesis_source.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Harness;
using testing::I;

externals::SocketServerConfig Lines() {
  externals::SocketServerConfig config;
  config.name = "lines";
  config.port = 7777;
  config.rate_per_second = 100;
  config.generator.kind = "log_lines";
  return config;
}

StreamingConfig Supervised(int64_t batches, bool receiver_wal) {
  StreamingConfig config = Batches(batches);
  config.checkpoint_dir = "checkpoints/app";
  config.receiver_wal = receiver_wal;
  config.supervise = true;
  return config;
}

void At(Harness& harness, int64_t ms, std::function<void()> action) {
  harness.world->ScheduleGlobal(sim::Duration::Millis(ms), std::move(action));
}

// "1:2000 r" for an allocation of driver life 1 at 2000 ms, recovered; with its record count and,
// when some were unavailable, how many.
std::string Describe(const BatchAllocation& allocation) {
  std::string text = std::to_string(allocation.driver_life) + ":" +
                     std::to_string(allocation.batch_time.millis()) +
                     (allocation.recovered ? " r" : "") +
                     " n=" + std::to_string(allocation.records.size());
  if (allocation.unavailable > 0) text += " unavailable=" + std::to_string(allocation.unavailable);
  return text;
}

std::vector<std::string> Allocations(const Ledger& ledger) {
  std::vector<std::string> all;
  for (const BatchAllocation& allocation : ledger.allocations())
    all.push_back(Describe(allocation));
  return all;
}

// The allocation of (life, batch time ms); fails the test when there is none.
const BatchAllocation& AllocationOf(const Ledger& ledger, int life, int64_t ms) {
  for (const BatchAllocation& allocation : ledger.allocations()) {
    if (allocation.driver_life == life && allocation.batch_time.millis() == ms) return allocation;
  }
  ADD_FAILURE() << "no allocation " << life << ":" << ms;
  static const BatchAllocation kNone;
  return kNone;
}

// Per record id, the distinct batch times whose allocations hold it, and how many allocations.
struct Placement {
  std::set<int64_t> batch_ms;
  int allocations = 0;
};
std::map<RecordId, Placement> Placements(const Ledger& ledger) {
  std::map<RecordId, Placement> placed;
  for (const BatchAllocation& allocation : ledger.allocations()) {
    for (const RecordId& id : allocation.records) {
      placed[id].batch_ms.insert(allocation.batch_time.millis());
      ++placed[id].allocations;
    }
  }
  return placed;
}

// Sequences of one (source, partition) whose entry satisfies `keep`.
template <typename Keep>
std::vector<int64_t> Sequences(const Ledger& ledger, int32_t source, int32_t partition, Keep keep) {
  std::vector<int64_t> sequences;
  auto it = ledger.partitions().find({source, partition});
  if (it == ledger.partitions().end()) return sequences;
  const ledger::RecordEntries& entries = it->second.entries;  // nothing retired in these runs
  for (size_t k = 0; k < entries.size(); ++k) {
    if (entries[k].produced_us >= 0 && keep(entries[k])) {
      sequences.push_back(static_cast<int64_t>(k));
    }
  }
  return sequences;
}
std::vector<int64_t> Delivered(const Ledger& ledger, int32_t source, int32_t partition) {
  return Sequences(ledger, source, partition,
                   [](const RecordEntry& entry) { return entry.first_delivered_us >= 0; });
}
std::vector<int64_t> Acknowledged(const Ledger& ledger, int32_t source, int32_t partition) {
  return Sequences(ledger, source, partition,
                   [](const RecordEntry& entry) { return entry.acknowledged_us >= 0; });
}
RecordIds Ids(int32_t source, int32_t partition, int64_t from, int64_t until) {
  RecordIds ids;
  for (int64_t k = from; k < until; ++k) ids.push_back({source, partition, k});
  return ids;
}
RecordIds Join(RecordIds a, const RecordIds& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
Values ValuesOf(const Ledger& ledger, const RecordIds& ids) {
  Values values;
  for (const RecordId& id : ids) values.push_back(ledger.ValueOf(id));
  return values;
}

// "20-498 500": sequences as runs, for exact and readable comparisons.
std::string Runs(const std::vector<int64_t>& sequences) {
  std::string text;
  for (size_t i = 0; i < sequences.size();) {
    size_t j = i;
    while (j + 1 < sequences.size() && sequences[j + 1] == sequences[j] + 1) ++j;
    if (!text.empty()) text += " ";
    text += std::to_string(sequences[i]);
    if (j > i) text += "-" + std::to_string(sequences[j]);
    i = j + 1;
  }
  return text;
}

// The delivered records of (source, partition) that no allocation holds (those still in the
// receiver when the run ended); every one an allocation holds must be in one batch time only.
std::string DeliveredNotAllocated(const Ledger& ledger, int32_t source, int32_t partition) {
  const std::map<RecordId, Placement> placed = Placements(ledger);
  std::vector<int64_t> missing;
  for (int64_t k : Delivered(ledger, source, partition)) {
    auto it = placed.find({source, partition, k});
    if (it == placed.end()) {
      missing.push_back(k);
      continue;
    }
    EXPECT_EQ(it->second.batch_ms.size(), 1u) << partition << "/" << k;
  }
  return Runs(missing);
}

TEST(LedgerTest, ASocketSourcesLinesAreAllocatedOnceEachInLineOrder) {
  Harness harness(Batches(5));
  harness.Collect(harness.SocketTextStream(Lines()), "lines");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  EXPECT_EQ(ledger.sources(), std::vector<std::string>{"lines"});
  // The server ran until batch 5 s completed: every line it made is in the ledger.
  const ledger::RecordEntries& lines = ledger.partitions().at({0, 0}).entries;
  EXPECT_EQ(static_cast<int64_t>(lines.size()),
            harness.externals.socket_servers[0]->lines_produced());
  EXPECT_EQ(lines.size(), 500u);
  EXPECT_EQ(lines[0].produced_us, 10000);
  EXPECT_EQ(ledger.ValueOf({0, 0, 0}).AsString().substr(0, 2), "0 ");
  // Every line was sent; the last ones were still in the block generator when the run ended.
  EXPECT_EQ(Runs(Delivered(ledger, 0, 0)), "0-499");
  EXPECT_EQ(DeliveredNotAllocated(ledger, 0, 0), "479-499");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 0)), "");  // a socket never acknowledges
  // Batch k takes the blocks cut up to k s, in line order.
  EXPECT_EQ(Allocations(ledger),
            (std::vector<std::string>{"1:1000 n=79", "1:2000 n=100", "1:3000 n=100", "1:4000 n=100",
                                      "1:5000 n=100"}));
  RecordIds all;
  for (const BatchAllocation& allocation : ledger.allocations()) {
    EXPECT_EQ(allocation.input, "lines");
    all = Join(all, allocation.records);
  }
  EXPECT_EQ(all, Ids(0, 0, 0, 479));
  // Every batch succeeded; the collect emitted exactly its allocation's records, in order.
  ASSERT_EQ(ledger.outcomes().size(), 5u);
  ASSERT_EQ(ledger.emissions().size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(ledger.outcomes()[i].failure, "");
    EXPECT_EQ(ledger.outcomes()[i].batch_time.millis(), 1000 * static_cast<int64_t>(i + 1));
    const OutputEmission& emission = ledger.emissions()[i];
    EXPECT_EQ(emission.output, "lines");
    EXPECT_EQ(emission.driver_life, 1);
    EXPECT_EQ(emission.records, ValuesOf(ledger, ledger.allocations()[i].records)) << i;
  }
}

TEST(LedgerTest, APrintEmitsWhatItPrintedAndAFailedJobIsTheBatchsOutcome) {
  Harness harness(Batches(2));
  std::vector<Values> queue = {{I(1), I(0)}, {I(2)}};
  DStream* numbers = harness.context->QueueStream("numbers", queue, 1, true);
  harness.Print(numbers, 10);
  // 1 / 0 fails every attempt of batch 1 s's task: the job, and the batch, fail.
  harness.TransformAndCollect({numbers}, {testing::Op(OperatorKind::kMap, "10 / x")}, "tenths");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  ASSERT_EQ(ledger.outcomes().size(), 2u);
  EXPECT_NE(ledger.outcomes()[0].failure, "");
  EXPECT_EQ(ledger.outcomes()[0].failure, harness.context->batches()[0].failure);
  EXPECT_EQ(ledger.outcomes()[1].failure, "");
  // Batch 1 s: the print only (the collect failed); batch 2 s: both. A print emits the records it
  // printed (for the faults-off twin to compare).
  std::vector<std::string> emitted;
  for (const OutputEmission& emission : ledger.emissions()) {
    emitted.push_back(emission.output + "@" + std::to_string(emission.batch_time.millis()) + " " +
                      std::to_string(emission.records.size()));
  }
  EXPECT_EQ(emitted, (std::vector<std::string>{"print@1000 2", "print@2000 1", "tenths@2000 1"}));
}

TEST(LedgerTest, QueueBatchesArePartitionsProducedAtTheStart) {
  Harness harness(Batches(4));
  std::vector<Values> queue = {{I(1), I(2)}, {I(3), I(4), I(5)}, {I(6)}};
  harness.Collect(harness.context->QueueStream("numbers", queue, 2, true), "numbers");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  EXPECT_EQ(ledger.sources(), std::vector<std::string>{"numbers"});
  EXPECT_EQ(ledger.partitions().size(), 3u);
  EXPECT_EQ(ledger.ValueOf({0, 1, 2}), I(5));
  EXPECT_EQ(ledger.Entry({0, 1, 2}).produced_us, 0);
  // The i-th batch time takes queue batch i, handed over when its RDD is made.
  EXPECT_EQ(Allocations(ledger),
            (std::vector<std::string>{"1:1000 n=2", "1:2000 n=3", "1:3000 n=1", "1:4000 n=0"}));
  EXPECT_EQ(AllocationOf(ledger, 1, 2000).records, Ids(0, 1, 0, 3));
  EXPECT_EQ(ledger.Entry({0, 1, 0}).first_delivered_us, 2000000);
  EXPECT_EQ(ledger.Entry({0, 1, 0}).deliveries, 1);
  for (int32_t batch = 0; batch < 3; ++batch) {
    EXPECT_EQ(DeliveredNotAllocated(ledger, 0, batch), "") << batch;
  }
}

TEST(LedgerTest, AQueueNotOneAtATimeGivesEverythingToTheFirstBatch) {
  Harness harness(Batches(2));
  std::vector<Values> queue = {{I(1), I(2)}, {I(3)}};
  harness.Collect(harness.context->QueueStream("numbers", queue, 1, false), "numbers");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  EXPECT_EQ(AllocationOf(ledger, 1, 1000).records, Join(Ids(0, 0, 0, 2), Ids(0, 1, 0, 1)));
  EXPECT_EQ(AllocationOf(ledger, 1, 2000).records, RecordIds{});
}

externals::KafkaBrokerConfig OrdersTopic() {
  externals::KafkaBrokerConfig topic;
  topic.topic = "orders";
  topic.source_name = "orders";
  topic.partitions = 2;
  topic.rate_per_second = 100;
  topic.generator.kind = "log_lines";
  return topic;
}

KafkaDirectConfig Orders() {
  KafkaDirectConfig config;
  config.name = "orders";
  return config;
}

TEST(LedgerTest, AKafkaDirectBatchIsItsOffsetRanges) {
  Harness harness(Batches(3));
  harness.Collect(harness.KafkaDirectStream(OrdersTopic(), Orders()), "out");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  EXPECT_EQ(ledger.sources(), std::vector<std::string>{"orders"});
  // The ranges of kafka_direct_test: 0:[0,50) 1:[0,49), then 0:[50,100) 1:[49,99), ...
  EXPECT_EQ(AllocationOf(ledger, 1, 1000).records, Join(Ids(0, 0, 0, 50), Ids(0, 1, 0, 49)));
  EXPECT_EQ(AllocationOf(ledger, 1, 2000).records, Join(Ids(0, 0, 50, 100), Ids(0, 1, 49, 99)));
  EXPECT_EQ(AllocationOf(ledger, 1, 3000).records, Join(Ids(0, 0, 100, 150), Ids(0, 1, 99, 149)));
  // A record is its partition's message at that offset; it is handed over with its batch.
  EXPECT_EQ(ledger.ValueOf({0, 1, 0}).AsString().substr(0, 2), "1 ");
  EXPECT_EQ(ledger.Entry({0, 1, 0}).first_delivered_us, 1000000);
  EXPECT_EQ(Runs(Delivered(ledger, 0, 0)), "0-149");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 0)), "");
  EXPECT_EQ(harness.listener.collected["out"][1].records,
            ValuesOf(ledger, AllocationOf(ledger, 1, 2000).records));
}

TEST(LedgerTest, AKafkaDirectBatchReRunAfterADriverRestartHasTheSameRecords) {
  Harness harness(Supervised(6, /*receiver_wal=*/false));
  harness.Collect(harness.KafkaDirectStream(OrdersTopic(), Orders()), "out");
  At(harness, 3500, [&harness]() { harness.context->CrashDriver(sim::Duration::Seconds(3)); });
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  // Life 2 (from 6.5 s) re-runs 3 s from the checkpoint, takes the backlog at 4 s, and finds
  // nothing new at 5 s and 6 s (kafka_direct_test).
  EXPECT_EQ(
      Allocations(ledger),
      (std::vector<std::string>{"1:1000 n=99", "1:2000 n=100", "1:3000 n=100", "2:3000 r n=100",
                                "2:4000 r n=350", "2:5000 r n=0", "2:6000 r n=0"}));
  EXPECT_EQ(AllocationOf(ledger, 2, 3000).records, AllocationOf(ledger, 1, 3000).records);
  EXPECT_EQ(ledger.Entry({0, 0, 100}).deliveries, 2);
}

KafkaReceiverConfig Events(sim::Duration auto_commit) {
  KafkaReceiverConfig config;
  config.name = "events";
  config.start = KafkaStartingOffsets::kEarliest;
  config.auto_commit_interval = auto_commit;
  return config;
}

TEST(LedgerTest, AReliableKafkaReceiverAcknowledgesAPrefixOfWhatItDelivered) {
  StreamingConfig config = Batches(5);
  config.checkpoint_dir = "checkpoints/app";
  config.receiver_wal = true;
  Harness harness(config);
  harness.Collect(harness.KafkaReceiverStream(OrdersTopic(), Events(sim::Duration::Seconds(60))),
                  "events");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  // The receiver is not a source of its own: its records are the broker's.
  EXPECT_EQ(ledger.sources(), std::vector<std::string>{"orders"});
  // Each block's offsets are committed once it is stored: acknowledged, after being delivered.
  // The last block (stored and committed after batch 5 s took its blocks) is acknowledged but
  // in no batch: the run ended first.
  EXPECT_EQ(Runs(Delivered(ledger, 0, 0)), "0-249");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 0)), "0-249");
  EXPECT_EQ(DeliveredNotAllocated(ledger, 0, 0), "240-249");
  EXPECT_EQ(Runs(Delivered(ledger, 0, 1)), "0-248");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 1)), "0-248");
  EXPECT_EQ(DeliveredNotAllocated(ledger, 0, 1), "239-248");
  for (int32_t p = 0; p < 2; ++p) {
    for (int64_t k : Acknowledged(ledger, 0, p)) {
      EXPECT_GT(ledger.Entry({0, p, k}).acknowledged_us,
                ledger.Entry({0, p, k}).first_delivered_us);
    }
  }
}

TEST(LedgerTest, AnUnreliableKafkaReceiverAcknowledgesWhatItsAutoCommitCovers) {
  Harness harness(Batches(5));
  harness.Collect(harness.KafkaReceiverStream(OrdersTopic(), Events(sim::Duration::Seconds(2))),
                  "events");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  // Commits of the fetch positions at 2 s and 4 s, applied when they reach ZooKeeper (the one
  // sent as the receiver stops at the end is still on its way when the run ends).
  EXPECT_EQ(Runs(Delivered(ledger, 0, 0)), "0-249");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 0)), "0-199");
  EXPECT_EQ(ledger.Entry({0, 0, 0}).acknowledged_us, 2000688);
  EXPECT_EQ(DeliveredNotAllocated(ledger, 0, 0), "240-249");
}

TEST(LedgerTest, ADriverRestartWithTheReceiverLogReallocatesTheSameRecords) {
  Harness harness(Supervised(8, /*receiver_wal=*/true));
  harness.Collect(harness.SocketTextStream(Lines()), "lines");
  At(harness, 3500, [&harness]() { harness.context->CrashDriver(sim::Duration::Seconds(1)); });
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  // Restarted at 4.5 s from the checkpoint of 3 s: batch 3 s again, then 4 s with the blocks the
  // receiver log holds; from 5 s on, new batches.
  EXPECT_EQ(Allocations(ledger),
            (std::vector<std::string>{"1:1000 n=79", "1:2000 n=100", "1:3000 n=100",
                                      "2:3000 r n=100", "2:4000 r n=60", "2:5000 n=39",
                                      "2:6000 n=100", "2:7000 n=100", "2:8000 n=100"}));
  // The re-run batch holds what the first driver allocated to it.
  EXPECT_EQ(AllocationOf(ledger, 2, 3000).records, AllocationOf(ledger, 1, 3000).records);
  // A line is allocated to one batch time only (3 s: by both lives). Never allocated: the lines
  // buffered in the block generator when the driver (and the executors) died, and the last ones.
  EXPECT_EQ(DeliveredNotAllocated(ledger, 0, 0), "339-348 789-799");
}

TEST(LedgerTest, ADriverRestartWithoutTheReceiverLogFindsTheBlocksUnavailable) {
  Harness harness(Supervised(8, /*receiver_wal=*/false));
  harness.Collect(harness.SocketTextStream(Lines()), "lines");
  At(harness, 3500, [&harness]() { harness.context->CrashDriver(sim::Duration::Seconds(1)); });
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  // The allocations are the checkpoint's and the block tracker log's; the blocks died with the
  // executors.
  EXPECT_EQ(
      Allocations(ledger),
      (std::vector<std::string>{"1:1000 n=79", "1:2000 n=100", "1:3000 n=100",
                                "2:3000 r n=100 unavailable=100", "2:4000 r n=60 unavailable=60",
                                "2:5000 n=39", "2:6000 n=100", "2:7000 n=100", "2:8000 n=100"}));
  EXPECT_EQ(AllocationOf(ledger, 2, 3000).records, AllocationOf(ledger, 1, 3000).records);
}

TEST(LedgerTest, AFileIsAPartitionAndItsLinesItsRecords) {
  Harness harness(Batches(3));
  externals::FileProducerConfig producer{"logs", "in", 2, 3, {}};
  producer.generator.kind = "log_lines";
  harness.AddFileProducer(producer);
  harness.Collect(harness.context->TextFileStream("logs", "in"), "logs");
  // A file no producer announced: known (and produced) when the stream first takes it.
  At(harness, 1700, [&harness]() { harness.WriteFile("in/outside.txt", "a\nb"); });
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  EXPECT_EQ(ledger.sources(), std::vector<std::string>{"logs"});  // producer and stream: one
  // Files every 500 ms from 0.5 s; a batch at k s is made before the file of k s is in place.
  EXPECT_EQ(Allocations(ledger),
            (std::vector<std::string>{"1:1000 n=3", "1:2000 n=8", "1:3000 n=6"}));
  EXPECT_EQ(AllocationOf(ledger, 1, 1000).records, Ids(0, 0, 0, 3));
  EXPECT_EQ(ledger.ValueOf({0, 0, 2}).AsString().substr(0, 2), "2 ");
  // Batch 2 s: the files of 1 s and 1.5 s, then the outside one, made known as file 3 (so the
  // producer's file of 2 s is file 4).
  EXPECT_EQ(AllocationOf(ledger, 1, 2000).records,
            Join(Join(Ids(0, 1, 0, 3), Ids(0, 2, 0, 3)), Ids(0, 3, 0, 2)));
  EXPECT_EQ(ledger.ValueOf({0, 3, 1}).AsString(), "b");
  EXPECT_EQ(ledger.Entry({0, 3, 1}).produced_us, 2000000);
  EXPECT_EQ(AllocationOf(ledger, 1, 3000).records, Join(Ids(0, 4, 0, 3), Ids(0, 5, 0, 3)));
  for (int32_t file = 0; file < 6; ++file) {
    EXPECT_EQ(DeliveredNotAllocated(ledger, 0, file), "") << file;
  }
}

externals::CustomDeviceConfig Device() {
  externals::CustomDeviceConfig config;
  config.name = "device";
  config.rate_per_second = 100;
  config.generator.kind = "log_lines";
  return config;
}

TEST(LedgerTest, AReliableCustomDeviceAcknowledgesWhatWasStored) {
  Harness harness(Batches(5));
  harness.Collect(
      harness.externals.CustomReceiverStream(harness.world.get(), *harness.context, Device(),
                                             /*reliable=*/true),
      "device");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  // Acknowledged once stored and accepted; the last blocks, after batch 5 s took its blocks.
  EXPECT_EQ(Runs(Delivered(ledger, 0, 0)), "0-498");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 0)), "0-498");
  EXPECT_EQ(DeliveredNotAllocated(ledger, 0, 0), "479-498");
}

// Sequences of source 0, partition 0 acknowledged to their source but never delivered.
std::vector<int64_t> AcknowledgedNeverDelivered(const Ledger& ledger) {
  std::vector<int64_t> never_delivered;
  for (int64_t k : Acknowledged(ledger, 0, 0)) {
    if (ledger.Entry({0, 0, k}).first_delivered_us < 0) never_delivered.push_back(k);
  }
  return never_delivered;
}

// Found with the ledger: the device's acknowledgement is cumulative (up to the block's last
// sequence), and the record of a message lost on its way — here with the device's crash, which
// drops what it had in flight — used to be acknowledged by the next block's acknowledgement
// without ever having been delivered (record 199, lost). Now the restarted device sends again
// from its oldest unacknowledged record and the receiver gathers only a contiguous run:
// everything acknowledged was delivered, once.
TEST(LedgerTest, ACustomDeviceCrashAcknowledgesOnlyWhatWasDelivered) {
  Harness harness(Batches(6));
  harness.KeepTrace();
  harness.Collect(
      harness.externals.CustomReceiverStream(harness.world.get(), *harness.context, Device(),
                                             /*reliable=*/true),
      "device");
  const externals::CustomDevice& device = *harness.externals.custom_devices.at(0);
  // Just after the device's send at 2 s: that message (record 199) is dropped.
  harness.world->ScheduleGlobal(sim::Duration::Micros(2000001),
                                [&harness, &device]() { harness.world->Crash(device.node()); });
  At(harness, 3000, [&harness, &device]() { harness.world->Start(device.node()); });
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  EXPECT_EQ(Runs(AcknowledgedNeverDelivered(ledger)), "");
  EXPECT_EQ(ledger.Entry({0, 0, 199}).deliveries, 1);
  EXPECT_EQ(Runs(Delivered(ledger, 0, 0)), "0-598");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 0)), "0-598");
  EXPECT_EQ(device.records_acknowledged(), 599);
  // The block of 179-198 was stored at 2 s but its acknowledgement found the device down, so the
  // restarted device sends 179-199 again; the receiver still holds 179-198 and takes only 199.
  EXPECT_EQ(harness.TraceLinesContaining(
                "3000000 custom device re-sends from sequence 179 (21 records): device restarted"),
            1u);
  EXPECT_EQ(device.records_produced(), 600);
  EXPECT_EQ(device.records_sent(), 621);
  EXPECT_EQ(
      Runs(Sequences(ledger, 0, 0, [](const RecordEntry& entry) { return entry.deliveries > 1; })),
      "");
}

// A cut that drops what crosses it (Network::Partition; the faults' partition holds messages
// instead) between the device and worker/0, where the receiver runs, from 2.001 s to 2.5 s: the
// records sent meanwhile (200-248) and two acknowledgements are lost. The receiver takes no record
// past the gap and asks the device to send again from 200; everything acknowledged was delivered,
// once. (Before the fix 200-248 were acknowledged and never delivered.)
TEST(LedgerTest, ACustomDeviceCutOffFromItsReceiverSendsAgainWhatWasLost) {
  Harness harness(Batches(6));
  harness.KeepTrace();
  harness.Collect(
      harness.externals.CustomReceiverStream(harness.world.get(), *harness.context, Device(),
                                             /*reliable=*/true),
      "device");
  const externals::CustomDevice& device = *harness.externals.custom_devices.at(0);
  int cut = 0;
  At(harness, 2001, [&harness, &device, &cut]() {
    cut =
        harness.world->network().Partition({device.node()}, {harness.world->FindNode("worker/0")});
  });
  At(harness, 2500, [&harness, &cut]() { harness.world->network().Heal(cut); });
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  EXPECT_EQ(Runs(AcknowledgedNeverDelivered(ledger)), "");
  EXPECT_EQ(Runs(Delivered(ledger, 0, 0)), "0-598");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 0)), "0-598");
  EXPECT_EQ(device.records_acknowledged(), 599);
  // The first message after the cut holds 249: the receiver drops it and asks for 200 on, once.
  EXPECT_EQ(harness.TraceLinesContaining(" custom device re-sends from"), 1u);
  EXPECT_EQ(harness.TraceLinesContaining(
                "2502275 custom device re-sends from sequence 200 (50 records): the receiver "
                "missed it"),
            1u);
  EXPECT_EQ(device.records_produced(), 601);
  EXPECT_EQ(device.records_sent(), 651);
  EXPECT_EQ(
      Runs(Sequences(ledger, 0, 0, [](const RecordEntry& entry) { return entry.deliveries > 1; })),
      "");
}

TEST(LedgerTest, FlumePollingAcknowledgesEventsWhenTheirTransactionCommits) {
  Harness harness(Batches(5));
  externals::FlumeAgentConfig agent;
  agent.source_name = "clicks";
  agent.rate_per_second = 100;
  agent.generator.kind = "log_lines";
  harness.Collect(harness.externals.FlumePollingStream(harness.world.get(), *harness.context, agent,
                                                       FlumePollingConfig{}),
                  "clicks");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  // Each batch polled is acked once stored: the agent commits its transaction.
  EXPECT_EQ(Runs(Delivered(ledger, 0, 0)), "0-481");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 0)), "0-481");
  EXPECT_EQ(DeliveredNotAllocated(ledger, 0, 0), "");
}

TEST(LedgerTest, KinesisAcknowledgesUpToEachShardsCheckpoint) {
  Harness harness(Batches(5));
  externals::KinesisStreamConfig stream;
  stream.source_name = "taps";
  stream.shards = 2;
  stream.rate_per_second = 100;
  stream.generator.kind = "log_lines";
  KinesisSourceConfig config;
  config.application = "taps";
  config.initial_position_latest = false;
  harness.Collect(
      harness.externals.KinesisStream(harness.world.get(), *harness.context, stream, config),
      "taps");
  harness.Run();
  const Ledger& ledger = harness.context->ledger();
  // Read from the trim horizon every second; checkpointed every second up to what was stored.
  EXPECT_EQ(Runs(Delivered(ledger, 0, 0)), "0-200");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 0)), "0-200");
  EXPECT_EQ(Runs(Delivered(ledger, 0, 1)), "0-199");
  EXPECT_EQ(Runs(Acknowledged(ledger, 0, 1)), "0-199");
  for (int32_t shard = 0; shard < 2; ++shard) {
    EXPECT_EQ(DeliveredNotAllocated(ledger, 0, shard), "") << shard;
    EXPECT_GT(ledger.Entry({0, shard, 0}).acknowledged_us,
              ledger.Entry({0, shard, 0}).first_delivered_us);
  }
}

}  // namespace
}  // namespace streamsim::engine
