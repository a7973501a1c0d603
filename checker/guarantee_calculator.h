// The guarantee calculator: from a pipeline's configuration alone (its sources and how they are
// received, the receiver write-ahead log, the checkpoint directory, supervise, its output sinks)
// it predicts the end-to-end delivery guarantee under each kind of fault, following the Spark
// Streaming programming guide's fault-tolerance table and its rule that output operations are
// at-least-once unless the sink is idempotent or transactional. End to end is the weaker of what
// the input keeps and what the output keeps. Each prediction carries a sentence naming what
// decides it. The rules, each with its Spark source, are in docs/guarantees.md. The model here is
// plain data, independent of scenario files; harness/guarantee_configuration.h fills it from a
// loaded scenario.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/verdict.h"
#include "faults/fault_kind.h"
#include "simulator/time.h"

namespace streamsim::checker {

enum class SourceKind {
  kSocket,         // socketTextStream: an unreliable receiver
  kFile,           // textFileStream: no receiver, files re-readable
  kQueue,          // queueStream (tests): no receiver, records chosen by batch time
  kKafkaDirect,    // createDirectStream: no receiver, offset ranges in the checkpoint
  kKafkaReceiver,  // createStream: KafkaReceiver (auto-commit), or ReliableKafkaReceiver with WAL
  kCustom,         // receiverStream: reliable or not, as the application wrote it
  kFlumePush,      // FlumeUtils.createStream: an unreliable receiver
  kFlumePull,      // FlumeUtils.createPollingStream: a reliable receiver (SparkSink transactions)
  kKinesis,        // KinesisUtils.createStream: a reliable receiver (KCL checkpoints)
};

enum class SinkKind {
  kPrint,            // print(): shown on the driver
  kCollect,          // collect (tests): handed to the driver's listener
  kSaveAsTextFiles,  // one directory per batch, part files replaced atomically
  kFile,             // foreachRDD into a file sink that appends
  kIdempotent,       // upsert keyed by (batch time, key)
  kTransactional,    // write plus commit marker keyed by (batch time, partition)
  kAppend,           // plain insert: a replay adds rows
};

// "socket", "file", "queue", "kafka-direct", "kafka-receiver", "custom", "flume-push",
// "flume-pull", "kinesis".
std::string_view SourceKindName(SourceKind kind);
// "print", "collect", "saveAsTextFiles", "file", "idempotent", "transactional", "append".
std::string_view SinkKindName(SinkKind kind);

struct SourceConfiguration {
  std::string name;
  SourceKind kind = SourceKind::kQueue;
  // Read by a receiver (a long-running task that stores blocks) rather than computed from a
  // replayable source at each batch.
  bool receiver_based = false;
  // A reliable receiver stores whole blocks and acknowledges the source only once a block is
  // stored, so the source sends again what was not. For kKafkaReceiver, Spark uses the reliable
  // receiver exactly when the WAL is on.
  bool reliable = false;
  // kKafkaDirect with `start: earliest`: a driver restarted without a checkpoint reads the topic
  // again from its oldest records instead of the latest.
  bool reads_from_earliest = false;
  // kFlumePull / kFlumePush: the agent's channel capacity (events) and its source's rate; an
  // event that finds the channel full is dropped before Spark sees it. 0: not a Flume source.
  int64_t channel_capacity = 0;
  double rate_per_second = 0;
};

struct OutputConfiguration {
  std::string stream;
  SinkKind sink = SinkKind::kPrint;
  // The sources the output's stream reads, directly or through other streams; empty: every source.
  std::vector<std::string> sources;
};

struct GuaranteeConfiguration {
  std::vector<SourceConfiguration> sources;
  bool write_ahead_log = false;  // spark.streaming.receiver.writeAheadLog.enable
  bool checkpoint = false;       // a checkpoint directory is set
  bool supervise = false;        // the cluster manager restarts a crashed driver
  // The input storage level keeps two copies of each received block (a *_2 level, the default).
  bool replicated_blocks = true;
  bool cleaner_ttl = false;  // Spark 1.x spark.cleaner.ttl is set
  sim::Duration batch_interval = sim::Duration::Seconds(1);
  std::vector<OutputConfiguration> outputs;
};

// The line every prediction list starts with: the run without any fault.
inline constexpr std::string_view kNoFault = "no fault";

struct Prediction {
  std::string fault;  // kNoFault, or the kind's name (faults::FaultKindName)
  Guarantee guarantee = Guarantee::kNone;
  std::string reason;  // what decides the guarantee, and how to strengthen it when it is weak
};

// One prediction for kNoFault, then one per distinct kind of `fault_kinds`, in their order. Every
// kind has a rule. Only sources some output reads count; a configuration without outputs
// predicts exactly-once everywhere, there being nothing to deliver.
std::vector<Prediction> PredictGuarantees(const GuaranteeConfiguration& configuration,
                                          const std::vector<faults::FaultKind>& fault_kinds);

// Faults that harm only together, beyond what each predicts alone: refused writes while the
// driver crashes. With a checkpoint directory and supervise, a driver that crashes while (or
// after) checkpoint writes were refused recovers from the last checkpoint written before the
// refusal; every batch generated since is generated again and its input read again (Kafka direct
// computes new offset ranges, the first taking everything since), so what the first driver
// output for those batches is output again under other batch times: at-least-once. Absent when
// the kinds do not combine so.
std::optional<Prediction> PredictInteraction(const GuaranteeConfiguration& configuration,
                                             const std::vector<faults::FaultKind>& fault_kinds);

// What holds when the faults of both predictions happen in one run: the weaker guarantee (named
// after the faults that give it: a fault that ran is named over "no fault", and faults that
// predict as much as each other are named together), and none when one risks duplicates and the
// other loss.
Prediction PredictTogether(const Prediction& a, const Prediction& b);

}  // namespace streamsim::checker
