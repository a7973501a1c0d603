// The guarantee calculator against Spark's fault-tolerance table, cell by cell, and against each
// source kind and sink kind that changes a prediction: the exact guarantee, and the words of the
// reason that name what decides it.
#include "checker/guarantee_calculator.h"

#include <gtest/gtest.h>

namespace streamsim::checker {
namespace {

// Whether `text` contains `part`; on failure, says what the text was.
::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

SourceConfiguration Source(SourceKind kind, bool reliable = false) {
  const bool receiver =
      kind != SourceKind::kFile && kind != SourceKind::kQueue && kind != SourceKind::kKafkaDirect;
  return {"in", kind, receiver, reliable, false};
}

struct Deployment {
  bool checkpoint = true;
  bool write_ahead_log = false;
  bool supervise = true;
};

GuaranteeConfiguration Pipeline(SourceConfiguration source, SinkKind sink, Deployment deployment) {
  GuaranteeConfiguration config;
  config.sources = {std::move(source)};
  config.checkpoint = deployment.checkpoint;
  config.write_ahead_log = deployment.write_ahead_log;
  config.supervise = deployment.supervise;
  config.outputs = {{"out", sink, {}}};
  return config;
}

// Fault kinds by their scenario names (REQUIRES: known names).
std::vector<faults::FaultKind> Kinds(const std::vector<std::string>& names) {
  std::vector<faults::FaultKind> kinds;
  for (const std::string& name : names) kinds.push_back(*faults::FaultKindFromName(name));
  return kinds;
}

// The prediction for one fault kind (the line after "no fault").
Prediction Under(const GuaranteeConfiguration& config, const std::string& fault) {
  const std::vector<Prediction> predictions = PredictGuarantees(config, Kinds({fault}));
  EXPECT_EQ(predictions.size(), 2u);
  EXPECT_EQ(predictions[1].fault, fault);
  return predictions[1];
}

constexpr Deployment kNoWal{true, false, true};
constexpr Deployment kWal{true, true, true};
// Idempotent output, so that the input alone decides.
constexpr SinkKind kNeutral = SinkKind::kIdempotent;

TEST(GuaranteeCalculatorTest, NoFaultLineComesFirstAndEachKindOnce) {
  const auto config = Pipeline(Source(SourceKind::kSocket), SinkKind::kAppend, kNoWal);
  const std::vector<Prediction> predictions =
      PredictGuarantees(config, Kinds({"pause", "worker_crash", "pause"}));
  ASSERT_EQ(predictions.size(), 3u);
  EXPECT_EQ(predictions[0].fault, "no fault");
  EXPECT_EQ(predictions[0].guarantee, Guarantee::kExactlyOnce);
  EXPECT_EQ(predictions[0].reason,
            "nothing fails: every record is received, computed and output once");
  EXPECT_EQ(predictions[1].fault, "pause");
  EXPECT_EQ(predictions[2].fault, "worker_crash");
  EXPECT_EQ(PredictGuarantees(config, {}).size(), 1u);
}

// Spark's table, no receiver WAL, worker failure: "unreliable receivers: buffered data lost".
TEST(GuaranteeCalculatorTest, WorkerFailureWithoutWalLosesUnreliableBuffers) {
  const Prediction socket =
      Under(Pipeline(Source(SourceKind::kSocket), kNeutral, kNoWal), "worker_crash");
  EXPECT_EQ(socket.guarantee, Guarantee::kAtMostOnce);
  EXPECT_EQ(socket.reason,
            "socket is an unreliable receiver: records buffered in the block generator are lost "
            "with the executor, and lines the server sends while no receiver is connected are "
            "gone (Spark: 'buffered data lost'), with or without the WAL; use a reliable receiver "
            "or Kafka direct");
  for (SourceKind kind : {SourceKind::kCustom, SourceKind::kFlumePush}) {
    const Prediction prediction = Under(Pipeline(Source(kind), kNeutral, kNoWal), "executor_crash");
    EXPECT_EQ(prediction.guarantee, Guarantee::kAtMostOnce) << SourceKindName(kind);
    EXPECT_TRUE(Contains(prediction.reason, "is an unreliable receiver"));
    EXPECT_TRUE(Contains(prediction.reason, "(Spark: 'buffered data lost')"));
    EXPECT_FALSE(Contains(prediction.reason, "lines the server sends"));
  }
}

// Same cell: "reliable receivers: zero data loss; at-least-once".
TEST(GuaranteeCalculatorTest, WorkerFailureWithoutWalKeepsReliableReceiversAtLeastOnce) {
  for (SourceKind kind : {SourceKind::kCustom, SourceKind::kFlumePull, SourceKind::kKinesis}) {
    const Prediction prediction =
        Under(Pipeline(Source(kind, true), kNeutral, kNoWal), "worker_crash");
    EXPECT_EQ(prediction.guarantee, Guarantee::kAtLeastOnce) << SourceKindName(kind);
    EXPECT_TRUE(Contains(prediction.reason,
                         "is a reliable receiver: a block is acknowledged only once stored"));
    EXPECT_TRUE(Contains(prediction.reason, "(Spark: 'zero data loss', at-least-once)"));
  }
}

// Spark's table, receiver WAL on, worker failure: reliable receivers zero data loss; the WAL does
// not save an unreliable receiver's buffer.
TEST(GuaranteeCalculatorTest, WorkerFailureWithWal) {
  const Prediction reliable =
      Under(Pipeline(Source(SourceKind::kCustom, true), kNeutral, kWal), "worker_crash");
  EXPECT_EQ(reliable.guarantee, Guarantee::kAtLeastOnce);
  EXPECT_EQ(reliable.reason,
            "custom receiver (reliable: true) is a reliable receiver: a block is acknowledged only "
            "once stored, so the source sends again what was not (Spark: 'zero data loss', "
            "at-least-once)");
  const Prediction unreliable =
      Under(Pipeline(Source(SourceKind::kCustom), kNeutral, kWal), "worker_crash");
  EXPECT_EQ(unreliable.guarantee, Guarantee::kAtMostOnce);
  EXPECT_TRUE(Contains(unreliable.reason, "with or without the WAL"));
}

// KafkaReceiver (no WAL) auto-commits: docs/sources.md observes duplicates and loss.
TEST(GuaranteeCalculatorTest, AutoCommitKafkaReceiverHasNoGuaranteeUnderReceiverFailures) {
  const auto config = Pipeline(Source(SourceKind::kKafkaReceiver), kNeutral, kNoWal);
  for (const std::string fault : {"worker_crash", "executor_crash", "receiver_crash"}) {
    const Prediction prediction = Under(config, fault);
    EXPECT_EQ(prediction.guarantee, Guarantee::kNone) << fault;
    EXPECT_TRUE(
        Contains(prediction.reason, "Kafka receiver (KafkaReceiver) auto-commits fetched offsets"));
    EXPECT_TRUE(Contains(prediction.reason, "enable the WAL (ReliableKafkaReceiver)"));
  }
  const auto with_wal = Pipeline(Source(SourceKind::kKafkaReceiver, true), kNeutral, kWal);
  const Prediction reliable = Under(with_wal, "worker_crash");
  EXPECT_EQ(reliable.guarantee, Guarantee::kAtLeastOnce);
  EXPECT_TRUE(
      Contains(reliable.reason, "Kafka receiver (ReliableKafkaReceiver) is a reliable receiver"));
}

// Spark's table, no receiver WAL, driver failure: buffered data lost, past data lost, undefined
// semantics once the re-run batch's output is counted.
TEST(GuaranteeCalculatorTest, DriverFailureWithoutWalLosesPastDataAndIsUndefinedEndToEnd) {
  const Prediction socket =
      Under(Pipeline(Source(SourceKind::kSocket), kNeutral, kNoWal), "driver_crash");
  EXPECT_EQ(socket.guarantee, Guarantee::kAtMostOnce);
  EXPECT_TRUE(Contains(socket.reason, "socket is an unreliable receiver and the WAL is off"));
  EXPECT_TRUE(Contains(socket.reason, "(Spark: 'buffered data lost; past data lost')"));
  const Prediction reliable =
      Under(Pipeline(Source(SourceKind::kFlumePull, true), kNeutral, kNoWal), "driver_crash");
  EXPECT_EQ(reliable.guarantee, Guarantee::kAtMostOnce);
  EXPECT_EQ(reliable.reason,
            "Flume pull is a reliable receiver but the WAL is off: acknowledged blocks of "
            "unfinished batches lived only in executor memory and are lost with the driver "
            "(Spark: 'past data lost'); enable the receiver WAL");
  const Prediction printed =
      Under(Pipeline(Source(SourceKind::kSocket), SinkKind::kPrint, kNoWal), "driver_crash");
  EXPECT_EQ(printed.guarantee, Guarantee::kNone);
  EXPECT_TRUE(Contains(printed.reason, "(Spark: 'buffered data lost; past data lost')"));
  EXPECT_TRUE(Contains(printed.reason,
                       "; print: the batch of the checkpoint's time runs again after the "
                       "restart and shows again (an at-least-once observer)"));
}

// Spark's table, receiver WAL on, driver failure: reliable receivers and files zero data loss,
// at-least-once; an unreliable receiver still loses its buffer.
TEST(GuaranteeCalculatorTest, DriverFailureWithWal) {
  const Prediction reliable =
      Under(Pipeline(Source(SourceKind::kKinesis, true), kNeutral, kWal), "driver_crash");
  EXPECT_EQ(reliable.guarantee, Guarantee::kAtLeastOnce);
  EXPECT_EQ(reliable.reason,
            "Kinesis is a reliable receiver and the WAL is on: every stored block replays from "
            "the log after the restart, and the source sends again what was not acknowledged "
            "(Spark: 'zero data loss', at-least-once)");
  const Prediction socket =
      Under(Pipeline(Source(SourceKind::kSocket), kNeutral, kWal), "driver_crash");
  EXPECT_EQ(socket.guarantee, Guarantee::kAtMostOnce);
  EXPECT_TRUE(Contains(socket.reason,
                       "the WAL keeps only stored blocks (Spark: 'buffered data "
                       "lost')"));
  const Prediction files =
      Under(Pipeline(Source(SourceKind::kFile), SinkKind::kPrint, kWal), "driver_crash");
  EXPECT_EQ(files.guarantee, Guarantee::kAtLeastOnce);
  EXPECT_EQ(files.reason,
            "print: the batch of the checkpoint's time runs again after the restart and shows "
            "again (an at-least-once observer)");
}

// "File sources and Kafka direct receive every record exactly once"; with an idempotent output
// the pipeline is exactly-once end to end.
TEST(GuaranteeCalculatorTest, ReplayableSourcesAreExactlyOnceWithIdempotentOutput) {
  const auto kafka = Pipeline(Source(SourceKind::kKafkaDirect), SinkKind::kSaveAsTextFiles, kNoWal);
  const Prediction worker = Under(kafka, "worker_crash");
  EXPECT_EQ(worker.guarantee, Guarantee::kExactlyOnce);
  EXPECT_EQ(worker.reason,
            "Kafka direct: a lost task reads its offset range from the broker again (Spark: "
            "exactly once, no receiver); saveAsTextFiles: a retried task replaces the same part "
            "files (Spark: saveAs***Files is idempotent)");
  const Prediction driver = Under(kafka, "driver_crash");
  EXPECT_EQ(driver.guarantee, Guarantee::kExactlyOnce);
  EXPECT_TRUE(Contains(driver.reason, "the checkpoint keeps each batch's offset ranges"));
  const auto files = Pipeline(Source(SourceKind::kFile), SinkKind::kTransactional, kNoWal);
  EXPECT_EQ(Under(files, "driver_crash").guarantee, Guarantee::kExactlyOnce);
  EXPECT_TRUE(Contains(Under(files, "worker_crash").reason,
                       "file stream: a lost task reads its files again"));
  const auto queue = Pipeline(Source(SourceKind::kQueue), kNeutral, kNoWal);
  EXPECT_EQ(Under(queue, "driver_crash").guarantee, Guarantee::kExactlyOnce);
  EXPECT_TRUE(Contains(Under(queue, "driver_crash").reason,
                       "Spark's own queueStream cannot be checkpointed"));
}

TEST(GuaranteeCalculatorTest, DriverCrashWithoutSuperviseStaysDown) {
  const Prediction prediction = Under(
      Pipeline(Source(SourceKind::kKafkaDirect), kNeutral, {true, false, false}), "driver_crash");
  EXPECT_EQ(prediction.guarantee, Guarantee::kAtMostOnce);
  EXPECT_EQ(prediction.reason,
            "without supervise the application stays down after a driver crash: nothing after it "
            "is processed; set supervise (spark-submit --supervise) and a checkpoint directory");
}

TEST(GuaranteeCalculatorTest, DriverRestartWithoutCheckpointStartsFromScratch) {
  const Deployment no_checkpoint{false, false, true};
  const Prediction files =
      Under(Pipeline(Source(SourceKind::kFile), kNeutral, no_checkpoint), "driver_crash");
  EXPECT_EQ(files.guarantee, Guarantee::kAtMostOnce);
  EXPECT_TRUE(Contains(files.reason,
                       "no checkpoint directory: the restarted driver starts "
                       "from scratch (state and pending batches are gone)"));
  EXPECT_TRUE(Contains(files.reason, "set a checkpoint directory"));
  SourceConfiguration earliest = Source(SourceKind::kKafkaDirect);
  EXPECT_EQ(Under(Pipeline(earliest, kNeutral, no_checkpoint), "driver_crash").guarantee,
            Guarantee::kAtMostOnce);
  earliest.reads_from_earliest = true;
  const Prediction replayed = Under(Pipeline(earliest, kNeutral, no_checkpoint), "driver_crash");
  EXPECT_EQ(replayed.guarantee, Guarantee::kAtLeastOnce);
  EXPECT_TRUE(Contains(replayed.reason, "starts again at the earliest offsets"));
  EXPECT_EQ(Under(Pipeline(Source(SourceKind::kQueue), kNeutral, no_checkpoint), "driver_crash")
                .guarantee,
            Guarantee::kAtLeastOnce);
  EXPECT_EQ(
      Under(Pipeline(Source(SourceKind::kCustom, true), kNeutral, no_checkpoint), "driver_crash")
          .guarantee,
      Guarantee::kAtMostOnce);
  EXPECT_EQ(
      Under(Pipeline(Source(SourceKind::kKafkaReceiver), kNeutral, no_checkpoint), "driver_crash")
          .guarantee,
      Guarantee::kNone);
  // No batch runs again, so an append sink does not write twice.
  EXPECT_EQ(
      Under(Pipeline(Source(SourceKind::kFile), SinkKind::kAppend, no_checkpoint), "driver_crash")
          .guarantee,
      Guarantee::kAtMostOnce);
}

// "Output operations are at least once" unless idempotent or transactional.
TEST(GuaranteeCalculatorTest, SinksUnderWorkerFailure) {
  const auto with = [](SinkKind sink) {
    return Under(Pipeline(Source(SourceKind::kFile), sink, kNoWal), "worker_crash");
  };
  EXPECT_EQ(with(SinkKind::kAppend).guarantee, Guarantee::kAtLeastOnce);
  EXPECT_EQ(with(SinkKind::kAppend).reason,
            "append sink: a retried output task writes again; make the sink idempotent or "
            "transactional");
  EXPECT_EQ(with(SinkKind::kFile).guarantee, Guarantee::kAtLeastOnce);
  EXPECT_EQ(with(SinkKind::kFile).reason,
            "file sink: a retried output task appends its records again; make the sink "
            "idempotent or transactional");
  EXPECT_EQ(with(SinkKind::kIdempotent).guarantee, Guarantee::kExactlyOnce);
  EXPECT_TRUE(Contains(with(SinkKind::kIdempotent).reason,
                       "idempotent sink: a retried task overwrites the same keys"));
  EXPECT_EQ(with(SinkKind::kTransactional).guarantee, Guarantee::kExactlyOnce);
  EXPECT_TRUE(Contains(with(SinkKind::kTransactional).reason,
                       "finds its (batch time, partition) commit and skips"));
  EXPECT_EQ(with(SinkKind::kPrint).guarantee, Guarantee::kExactlyOnce);
  EXPECT_TRUE(Contains(with(SinkKind::kCollect).reason,
                       "collect gathers a batch on the driver once its job is done"));
}

TEST(GuaranteeCalculatorTest, SinksUnderDriverRecovery) {
  const auto with = [](SinkKind sink) {
    return Under(Pipeline(Source(SourceKind::kKafkaDirect), sink, kNoWal), "driver_crash");
  };
  EXPECT_EQ(with(SinkKind::kCollect).guarantee, Guarantee::kAtLeastOnce);
  EXPECT_TRUE(Contains(with(SinkKind::kCollect).reason, "(an at-least-once observer)"));
  EXPECT_EQ(with(SinkKind::kAppend).guarantee, Guarantee::kAtLeastOnce);
  EXPECT_EQ(with(SinkKind::kAppend).reason,
            "append sink: the batch of the checkpoint's time runs again after the restart and "
            "writes again; make the sink idempotent or transactional");
  EXPECT_EQ(with(SinkKind::kFile).guarantee, Guarantee::kAtLeastOnce);
  EXPECT_EQ(with(SinkKind::kSaveAsTextFiles).guarantee, Guarantee::kExactlyOnce);
  EXPECT_EQ(with(SinkKind::kIdempotent).guarantee, Guarantee::kExactlyOnce);
  EXPECT_EQ(with(SinkKind::kTransactional).guarantee, Guarantee::kExactlyOnce);
  EXPECT_TRUE(Contains(with(SinkKind::kTransactional).reason,
                       "transactional sink: a re-run batch finds its (batch time, partition) "
                       "commit and skips"));
}

TEST(GuaranteeCalculatorTest, DelaysAndTornWritesLoseNothing) {
  const auto config = Pipeline(Source(SourceKind::kSocket), SinkKind::kAppend, kNoWal);
  const std::vector<Prediction> predictions = PredictGuarantees(
      config, Kinds({"pause", "partition", "network", "slow_storage", "torn_writes"}));
  ASSERT_EQ(predictions.size(), 6u);
  for (const Prediction& prediction : predictions) {
    EXPECT_EQ(prediction.guarantee, Guarantee::kExactlyOnce) << prediction.fault;
  }
  EXPECT_TRUE(Contains(predictions[1].reason, "a pause only delays"));
  EXPECT_TRUE(Contains(predictions[2].reason, "spark.network.timeout (120 s)"));
  EXPECT_TRUE(Contains(predictions[3].reason, "TCP retransmits lost segments"));
  EXPECT_EQ(predictions[4].reason, "a slow store only delays: every write still succeeds, later");
  EXPECT_TRUE(Contains(predictions[5].reason, "they matter only with a crash"));
}

TEST(GuaranteeCalculatorTest, RefusedWrites) {
  const Prediction no_logs = Under(
      Pipeline(Source(SourceKind::kSocket), kNeutral, {false, false, false}), "refuse_writes");
  EXPECT_EQ(no_logs.guarantee, Guarantee::kExactlyOnce);
  EXPECT_TRUE(Contains(no_logs.reason, "writes nothing durable without a checkpoint directory"));
  const Prediction tracker_log =
      Under(Pipeline(Source(SourceKind::kSocket), kNeutral, kNoWal), "refuse_writes");
  EXPECT_EQ(tracker_log.guarantee, Guarantee::kAtMostOnce);
  EXPECT_TRUE(Contains(tracker_log.reason, "a block the block tracker's log refuses is dropped"));
  const Prediction both_logs =
      Under(Pipeline(Source(SourceKind::kSocket), kNeutral, kWal), "refuse_writes");
  EXPECT_TRUE(Contains(both_logs.reason, "the receiver log or the block tracker's log"));
  const Prediction reliable =
      Under(Pipeline(Source(SourceKind::kCustom, true), kNeutral, kWal), "refuse_writes");
  EXPECT_EQ(reliable.guarantee, Guarantee::kAtLeastOnce);
  EXPECT_TRUE(Contains(reliable.reason, "a refused store stops the receiver"));
  const Prediction saved = Under(
      Pipeline(Source(SourceKind::kFile), SinkKind::kSaveAsTextFiles, kNoWal), "refuse_writes");
  EXPECT_EQ(saved.guarantee, Guarantee::kAtMostOnce);
  EXPECT_TRUE(Contains(saved.reason,
                       "saveAsTextFiles: the store refuses the output task's "
                       "writes; after 4 attempts (spark.task.maxFailures)"));
  EXPECT_EQ(Under(Pipeline(Source(SourceKind::kFile), SinkKind::kFile, kNoWal), "refuse_writes")
                .guarantee,
            Guarantee::kAtMostOnce);
  const Prediction database =
      Under(Pipeline(Source(SourceKind::kKafkaDirect), SinkKind::kAppend, kNoWal), "refuse_writes");
  EXPECT_EQ(database.guarantee, Guarantee::kExactlyOnce);
  EXPECT_TRUE(Contains(database.reason, "Kafka direct keeps no input data in the store"));
}

TEST(GuaranteeCalculatorTest, ExternalSystemDown) {
  const auto down = [](SourceConfiguration source) {
    return Under(Pipeline(std::move(source), kNeutral, kNoWal), "external_down");
  };
  EXPECT_EQ(down(Source(SourceKind::kKafkaDirect)).guarantee, Guarantee::kExactlyOnce);
  EXPECT_EQ(down(Source(SourceKind::kKafkaReceiver)).guarantee, Guarantee::kExactlyOnce);
  EXPECT_EQ(down(Source(SourceKind::kKinesis, true)).guarantee, Guarantee::kExactlyOnce);
  EXPECT_EQ(down(Source(SourceKind::kFlumePush)).guarantee, Guarantee::kAtLeastOnce);
  EXPECT_TRUE(Contains(down(Source(SourceKind::kFlumePull, true)).reason,
                       "Flume pull: the agent's file channel rolls back the transactions"));
  EXPECT_EQ(down(Source(SourceKind::kCustom)).guarantee, Guarantee::kAtMostOnce);
  EXPECT_EQ(down(Source(SourceKind::kCustom, true)).guarantee, Guarantee::kAtLeastOnce);
  const Prediction nothing = down(Source(SourceKind::kSocket));
  EXPECT_EQ(nothing.guarantee, Guarantee::kExactlyOnce);
  EXPECT_EQ(nothing.reason,
            "no source reads an external system (Kafka, Flume, Kinesis or a custom device) that "
            "can go down");
}

TEST(GuaranteeCalculatorTest, ReceiverCrash) {
  const Prediction none =
      Under(Pipeline(Source(SourceKind::kFile), SinkKind::kAppend, kNoWal), "receiver_crash");
  EXPECT_EQ(none.guarantee, Guarantee::kExactlyOnce);
  EXPECT_EQ(none.reason, "no source is read by a receiver: a receiver crash has nothing to hit");
  const Prediction socket =
      Under(Pipeline(Source(SourceKind::kSocket), SinkKind::kAppend, kNoWal), "receiver_crash");
  EXPECT_EQ(socket.guarantee, Guarantee::kAtMostOnce);  // no output task is retried
  EXPECT_TRUE(Contains(socket.reason, "are lost with the receiver task"));
  // An unreplicated storage level does not matter: the executor keeps its blocks.
  GuaranteeConfiguration reliable = Pipeline(Source(SourceKind::kCustom, true), kNeutral, kNoWal);
  reliable.replicated_blocks = false;
  EXPECT_EQ(Under(reliable, "receiver_crash").guarantee, Guarantee::kAtLeastOnce);
}

TEST(GuaranteeCalculatorTest, UnreplicatedBlocksWithoutWalAreLostWithTheirExecutor) {
  GuaranteeConfiguration config = Pipeline(Source(SourceKind::kCustom, true), kNeutral, kNoWal);
  config.replicated_blocks = false;
  const Prediction prediction = Under(config, "worker_crash");
  EXPECT_EQ(prediction.guarantee, Guarantee::kAtMostOnce);
  EXPECT_TRUE(Contains(prediction.reason,
                       "keeps one copy of each block (a storage level "
                       "without _2) and the WAL is off"));
  config.write_ahead_log = true;
  EXPECT_EQ(Under(config, "worker_crash").guarantee, Guarantee::kAtLeastOnce);
}

TEST(GuaranteeCalculatorTest, CleanerTtlLosesReceivedBlocksEvenWithoutFaults) {
  GuaranteeConfiguration config = Pipeline(Source(SourceKind::kSocket), kNeutral, kNoWal);
  config.cleaner_ttl = true;
  const std::vector<Prediction> predictions = PredictGuarantees(config, Kinds({"pause"}));
  EXPECT_EQ(predictions[0].guarantee, Guarantee::kAtMostOnce);
  EXPECT_TRUE(Contains(predictions[0].reason, "spark.cleaner.ttl is set"));
  EXPECT_EQ(predictions[1].guarantee, Guarantee::kAtMostOnce);
  GuaranteeConfiguration files = Pipeline(Source(SourceKind::kFile), kNeutral, kNoWal);
  files.cleaner_ttl = true;  // a file stream's partitions are recomputed from the files
  EXPECT_EQ(PredictGuarantees(files, {})[0].guarantee, Guarantee::kExactlyOnce);
}

// Only sources an output reads count; reasons name each deciding rule once.
TEST(GuaranteeCalculatorTest, CombinesOutputsAndTheirSources) {
  GuaranteeConfiguration config;
  config.checkpoint = config.supervise = true;
  SourceConfiguration east = Source(SourceKind::kSocket);
  east.name = "east";
  SourceConfiguration west = east;
  west.name = "west";
  SourceConfiguration files = Source(SourceKind::kFile);
  files.name = "files";
  config.sources = {east, west, files};
  config.outputs = {{"saved", SinkKind::kSaveAsTextFiles, {"files"}}};
  EXPECT_EQ(Under(config, "worker_crash").guarantee, Guarantee::kExactlyOnce);
  config.outputs.push_back({"both", SinkKind::kIdempotent, {"east", "west"}});
  const Prediction sockets = Under(config, "worker_crash");
  EXPECT_EQ(sockets.guarantee, Guarantee::kAtMostOnce);
  EXPECT_EQ(sockets.reason.find("socket is an unreliable receiver"), 0u);
  EXPECT_EQ(sockets.reason.find("socket", 1), std::string::npos);  // once for both sockets
  config.outputs.push_back({"appended", SinkKind::kAppend, {"files"}});
  const Prediction both = Under(config, "worker_crash");
  EXPECT_EQ(both.guarantee, Guarantee::kNone);  // loss from the sockets, duplicates from append
  EXPECT_TRUE(Contains(both.reason, "(Spark: 'buffered data lost')"));
  EXPECT_TRUE(Contains(both.reason, "; append sink: a retried output task writes again"));
  EXPECT_FALSE(Contains(both.reason, "saveAsTextFiles"));  // not deciding
}

// Kinds are values: every one has a rule, and its prediction is named after it.
TEST(GuaranteeCalculatorTest, EveryKindIsPredictedUnderItsName) {
  const auto config = Pipeline(Source(SourceKind::kFile), kNeutral, kNoWal);
  const std::vector<Prediction> predictions = PredictGuarantees(config, faults::AllFaultKinds());
  ASSERT_EQ(predictions.size(), 12u);
  for (size_t i = 1; i < predictions.size(); ++i) {
    EXPECT_EQ(predictions[i].fault, faults::FaultKindName(faults::AllFaultKinds()[i - 1]));
    EXPECT_FALSE(predictions[i].reason.empty()) << predictions[i].fault;
  }
}

TEST(GuaranteeCalculatorTest, KindNames) {
  EXPECT_EQ(SourceKindName(SourceKind::kKafkaReceiver), "kafka-receiver");
  EXPECT_EQ(SourceKindName(SourceKind::kFlumePull), "flume-pull");
  EXPECT_EQ(SinkKindName(SinkKind::kSaveAsTextFiles), "saveAsTextFiles");
  EXPECT_EQ(SinkKindName(SinkKind::kTransactional), "transactional");
}

// Faults together: the weaker guarantee, named after the faults that ran. Before, a fault that
// predicted as much as "no fault" left the combination named "no fault", and a contradiction said
// "predicts exactly-once for no fault" of a run that had a driver crash.
TEST(GuaranteeCalculatorTest, FaultsTogetherAreNamedAfterTheFaultsThatRan) {
  const Prediction none{std::string(kNoFault), Guarantee::kExactlyOnce, "nothing fails"};
  const Prediction crash{"driver_crash", Guarantee::kExactlyOnce, "offsets in the checkpoint"};
  const Prediction refused{"refuse_writes", Guarantee::kExactlyOnce, "the next checkpoint"};
  const Prediction worker{"worker_crash", Guarantee::kAtLeastOnce, "re-run tasks"};
  const Prediction lost{"receiver_crash", Guarantee::kAtMostOnce, "unreliable receiver"};
  const Prediction crash_alone = PredictTogether(none, crash);
  EXPECT_EQ(crash_alone.fault, "driver_crash");
  EXPECT_EQ(crash_alone.guarantee, Guarantee::kExactlyOnce);
  const Prediction both = PredictTogether(crash_alone, refused);
  EXPECT_EQ(both.fault, "driver_crash and refuse_writes");
  EXPECT_EQ(both.reason, "offsets in the checkpoint; the next checkpoint");
  EXPECT_EQ(PredictTogether(both, worker).fault, "worker_crash");
  EXPECT_EQ(PredictTogether(worker, both).fault, "worker_crash");
  const Prediction neither = PredictTogether(worker, lost);
  EXPECT_EQ(neither.fault, "worker_crash and receiver_crash");
  EXPECT_EQ(neither.guarantee, Guarantee::kNone);
  EXPECT_EQ(PredictTogether(none, none).fault, kNoFault);
}

// A Flume channel smaller than a batch interval's events drops events without any fault; one
// with room for a batch does not.
TEST(GuaranteeCalculatorTest, AFlumeChannelSmallerThanABatchDropsEvents) {
  SourceConfiguration flume = Source(SourceKind::kFlumePull, true);
  flume.channel_capacity = 1;
  flume.rate_per_second = 1000;
  GuaranteeConfiguration config = Pipeline(flume, kNeutral, kNoWal);
  const std::vector<Prediction> predictions = PredictGuarantees(config, {});
  ASSERT_EQ(predictions.size(), 1u);
  EXPECT_EQ(predictions[0].guarantee, Guarantee::kAtMostOnce);
  EXPECT_EQ(predictions[0].reason,
            "the Flume channel of in holds 1 event, fewer than arrive in one batch interval "
            "(1000): a full channel drops events before Spark sees them; set channel_capacity "
            "to at least 1000");
  config.sources[0].channel_capacity = 1000;
  EXPECT_EQ(PredictGuarantees(config, {})[0].guarantee, Guarantee::kExactlyOnce);
  config.batch_interval = sim::Duration::Seconds(2);
  EXPECT_EQ(PredictGuarantees(config, {})[0].guarantee, Guarantee::kAtMostOnce);
}

// Refused writes and a driver crash harm together: the recovered driver starts from the last
// checkpoint written before the refusal and generates the batches since again.
TEST(GuaranteeCalculatorTest, RefusedWritesAndADriverCrashTogetherRereadInput) {
  const GuaranteeConfiguration config =
      Pipeline(Source(SourceKind::kKafkaDirect), kNeutral, kNoWal);
  const std::optional<Prediction> together =
      PredictInteraction(config, Kinds({"driver_crash", "refuse_writes"}));
  ASSERT_TRUE(together.has_value());
  EXPECT_EQ(together->fault, "driver_crash and refuse_writes");
  EXPECT_EQ(together->guarantee, Guarantee::kAtLeastOnce);
  EXPECT_EQ(together->reason,
            "a driver that crashes after checkpoint writes were refused recovers from the last "
            "checkpoint written before: the batches generated since are generated again and "
            "their records read again, so what the first driver output for them is output again "
            "under other batch times");
  EXPECT_FALSE(PredictInteraction(config, Kinds({"driver_crash"})).has_value());
  EXPECT_FALSE(PredictInteraction(config, Kinds({"refuse_writes", "worker_crash"})).has_value());
  const GuaranteeConfiguration unsupervised =
      Pipeline(Source(SourceKind::kKafkaDirect), kNeutral, Deployment{true, false, false});
  EXPECT_FALSE(
      PredictInteraction(unsupervised, Kinds({"driver_crash", "refuse_writes"})).has_value());
}

}  // namespace
}  // namespace streamsim::checker
