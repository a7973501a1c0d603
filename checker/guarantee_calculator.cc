// The guarantee calculator's rules. Each fault kind falls in a class (delays only, worker failure,
// receiver failure, driver failure, refused writes, external system down); under it each source an
// output reads gives a finding about its input and each sink one about its output, and the
// prediction is the weakest of them, explained by the findings that decide it. The sentences name
// Spark's own wording where the programming guide has one (docs/guarantees.md lists every rule).
#include "checker/guarantee_calculator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "base/assert.h"
#include "faults/fault_kind.h"

namespace streamsim::checker {
namespace {

enum class FaultClass {
  kNoFault,
  kDelay,         // pause, partition, network, slow_storage, torn_writes: nothing is lost
  kWorker,        // worker_crash, executor_crash: Spark's "worker failure"
  kReceiver,      // receiver_crash: the receiver task alone
  kDriver,        // driver_crash: Spark's "driver failure"
  kRefuseWrites,  // the durable store refuses writes
  kExternalDown,  // a source's external system down and back
};

struct Finding {
  Guarantee guarantee = Guarantee::kExactlyOnce;
  std::string reason;
};

constexpr std::string_view kTryReliable = "use a reliable receiver or Kafka direct";
constexpr std::string_view kMakeIdempotent = "make the sink idempotent or transactional";

// No fault (nullopt) or the class of rule a fault kind falls under.
FaultClass ClassOf(std::optional<faults::FaultKind> fault) {
  if (!fault) return FaultClass::kNoFault;
  switch (*fault) {
    case faults::FaultKind::kWorkerCrash:
    case faults::FaultKind::kExecutorCrash:
      return FaultClass::kWorker;
    case faults::FaultKind::kReceiverCrash:
      return FaultClass::kReceiver;
    case faults::FaultKind::kDriverCrash:
      return FaultClass::kDriver;
    case faults::FaultKind::kRefuseWrites:
      return FaultClass::kRefuseWrites;
    case faults::FaultKind::kExternalDown:
      return FaultClass::kExternalDown;
    case faults::FaultKind::kPause:
    case faults::FaultKind::kPartition:
    case faults::FaultKind::kNetwork:
    case faults::FaultKind::kSlowStorage:
    case faults::FaultKind::kTornWrites:
      return FaultClass::kDelay;
  }
  STREAMSIM_ASSERT(false, "a fault kind without a rule");
  return FaultClass::kNoFault;
}

// Why a fault that loses nothing keeps exactly-once (or why nothing failed at all).
std::string HarmlessReason(std::optional<faults::FaultKind> fault) {
  if (fault == faults::FaultKind::kPause) {
    return "a pause only delays: the node keeps its state and runs what waited when it resumes "
           "(far below spark.network.timeout, 120 s)";
  }
  if (fault == faults::FaultKind::kPartition) {
    return "a partition only delays: Spark's RPC runs over TCP, so a cut shorter than "
           "spark.network.timeout (120 s) holds messages and delivers them when it heals";
  }
  if (fault == faults::FaultKind::kNetwork) {
    return "network loss and latency only delay: TCP retransmits lost segments and the batches "
           "catch up after the window";
  }
  if (fault == faults::FaultKind::kSlowStorage)
    return "a slow store only delays: every write still succeeds, later";
  if (fault == faults::FaultKind::kTornWrites) {
    return "torn writes alone lose nothing: they matter only with a crash, and recovery skips a "
           "torn checkpoint or log tail as Spark does";
  }
  return "nothing fails: every record is received, computed and output once";
}

Guarantee Weaker(Guarantee a, Guarantee b) {
  if (a == b || b == Guarantee::kExactlyOnce) return a;
  if (a == Guarantee::kExactlyOnce) return b;
  return Guarantee::kNone;  // loss from one side, duplicates from the other (or kNone already)
}

std::string Label(const SourceConfiguration& source) {
  switch (source.kind) {
    case SourceKind::kSocket:
      return "socket";
    case SourceKind::kFile:
      return "file stream";
    case SourceKind::kQueue:
      return "queue";
    case SourceKind::kKafkaDirect:
      return "Kafka direct";
    case SourceKind::kKafkaReceiver:
      return source.reliable ? "Kafka receiver (ReliableKafkaReceiver)"
                             : "Kafka receiver (KafkaReceiver)";
    case SourceKind::kCustom:
      return source.reliable ? "custom receiver (reliable: true)"
                             : "custom receiver (reliable: false)";
    case SourceKind::kFlumePush:
      return "Flume push";
    case SourceKind::kFlumePull:
      return "Flume pull";
    case SourceKind::kKinesis:
      return "Kinesis";
  }
  return "source";
}

std::string SinkLabel(SinkKind sink) {
  switch (sink) {
    case SinkKind::kFile:
      return "file sink";
    case SinkKind::kIdempotent:
    case SinkKind::kTransactional:
    case SinkKind::kAppend:
      return std::string(SinkKindName(sink)) + " sink";
    default:
      return std::string(SinkKindName(sink));
  }
}

// KafkaReceiver without the WAL commits what it fetched, stored or not: Spark's "unreliable"
// receiver that also reads again.
bool IsAutoCommitKafka(const SourceConfiguration& source) {
  return source.kind == SourceKind::kKafkaReceiver && !source.reliable;
}

std::string SocketClause(const SourceConfiguration& source) {
  return source.kind == SourceKind::kSocket
             ? ", and lines the server sends while no receiver is connected are gone"
             : "";
}

Finding NoReceiverUnderWorkerFailure(const SourceConfiguration& source) {
  switch (source.kind) {
    case SourceKind::kFile:
      return {Guarantee::kExactlyOnce,
              "file stream: a lost task reads its files again (Spark: file sources receive every "
              "record exactly once)"};
    case SourceKind::kKafkaDirect:
      return {Guarantee::kExactlyOnce,
              "Kafka direct: a lost task reads its offset range from the broker again (Spark: "
              "exactly once, no receiver)"};
    default:
      return {Guarantee::kExactlyOnce, Label(source) +
                                           ": a lost task recomputes its batch from "
                                           "the queue's records"};
  }
}

// A worker or executor failure (lost_with "the executor"), or the receiver task alone (lost_with
// "the receiver task", whose executor keeps its blocks).
Finding ReceiverFailure(const SourceConfiguration& source, const GuaranteeConfiguration& config,
                        std::string_view lost_with) {
  const std::string label = Label(source);
  if (IsAutoCommitKafka(source)) {
    return {Guarantee::kNone,
            label +
                " auto-commits fetched offsets: the relaunched consumer reads again what it "
                "fetched after the last commit (duplicates) and loses records committed while "
                "still buffered; enable the WAL (ReliableKafkaReceiver) or use Kafka direct"};
  }
  if (!source.reliable) {
    return {Guarantee::kAtMostOnce,
            label + " is an unreliable receiver: records buffered in the block generator are " +
                "lost with " + std::string(lost_with) + SocketClause(source) +
                " (Spark: 'buffered data lost'), with or without the WAL; " +
                std::string(kTryReliable)};
  }
  const bool executor_lost = lost_with != "the receiver task";
  if (executor_lost && !config.replicated_blocks && !config.write_ahead_log) {
    return {Guarantee::kAtMostOnce,
            label +
                " keeps one copy of each block (a storage level without _2) and the WAL is "
                "off: acknowledged blocks on the lost executor are gone; use a replicated "
                "storage level or the WAL"};
  }
  return {Guarantee::kAtLeastOnce,
          label +
              " is a reliable receiver: a block is acknowledged only once stored, so the "
              "source sends again what was not (Spark: 'zero data loss', at-least-once)"};
}

Finding WorkerFailure(const SourceConfiguration& source, const GuaranteeConfiguration& config) {
  if (!source.receiver_based) return NoReceiverUnderWorkerFailure(source);
  return ReceiverFailure(source, config, "the executor");
}

Finding ReceiverTaskFailure(const SourceConfiguration& source,
                            const GuaranteeConfiguration& config) {
  if (!source.receiver_based) {
    return {Guarantee::kExactlyOnce,
            Label(source) + " has no receiver: a receiver crash does not touch it"};
  }
  return ReceiverFailure(source, config, "the receiver task");
}

// A supervised driver restarted from its checkpoint (getOrCreate).
Finding ReplayableUnderDriverRecovery(const SourceConfiguration& source) {
  switch (source.kind) {
    case SourceKind::kFile:
      return {Guarantee::kExactlyOnce,
              "file stream: the checkpoint keeps each batch's files, so a re-run batch reads the "
              "same files (Spark: exactly once)"};
    case SourceKind::kKafkaDirect:
      return {Guarantee::kExactlyOnce,
              "Kafka direct: the checkpoint keeps each batch's offset ranges, so a re-run batch "
              "reads the same records (Spark: exactly once)"};
    default:
      return {Guarantee::kExactlyOnce,
              Label(source) +
                  ": a re-run batch gets its records again by its time, as Spark's "
                  "test input streams do (Spark's own queueStream cannot be "
                  "checkpointed)"};
  }
}

Finding ReceiverUnderDriverRecovery(const SourceConfiguration& source,
                                    const GuaranteeConfiguration& config) {
  const std::string label = Label(source);
  if (IsAutoCommitKafka(source)) {
    return {Guarantee::kNone,
            label +
                " auto-commits fetched offsets: after the restart the consumer reads again "
                "what it fetched after the last commit (duplicates), and the committed blocks "
                "of unfinished batches are lost with the executors (Spark: 'past data lost'); "
                "enable the WAL or use Kafka direct"};
  }
  if (!source.reliable && !config.write_ahead_log) {
    return {Guarantee::kAtMostOnce,
            label +
                " is an unreliable receiver and the WAL is off: records buffered in the block "
                "generator and the blocks of unfinished batches, held only in executor "
                "memory, are lost with the driver" +
                SocketClause(source) +
                " (Spark: 'buffered data lost; past data lost'); enable the WAL and " +
                std::string(kTryReliable)};
  }
  if (!source.reliable) {
    return {Guarantee::kAtMostOnce,
            label +
                " is an unreliable receiver: records buffered in the block generator are lost "
                "with the driver's executors" +
                SocketClause(source) +
                "; the WAL keeps only stored blocks (Spark: 'buffered data lost'); " +
                std::string(kTryReliable)};
  }
  if (!config.write_ahead_log) {
    return {Guarantee::kAtMostOnce,
            label +
                " is a reliable receiver but the WAL is off: acknowledged blocks of "
                "unfinished batches lived only in executor memory and are lost with the "
                "driver (Spark: 'past data lost'); enable the receiver WAL"};
  }
  return {Guarantee::kAtLeastOnce,
          label +
              " is a reliable receiver and the WAL is on: every stored block replays from the "
              "log after the restart, and the source sends again what was not acknowledged "
              "(Spark: 'zero data loss', at-least-once)"};
}

// A supervised driver restarted without a checkpoint directory: a new application.
Finding DriverFromScratch(const SourceConfiguration& source) {
  const std::string prefix =
      "no checkpoint directory: the restarted driver starts from scratch (state and pending "
      "batches are gone)";
  const std::string fix = "; set a checkpoint directory";
  switch (source.kind) {
    case SourceKind::kFile:
      return {Guarantee::kAtMostOnce,
              prefix +
                  " and the file stream ignores the files already there, so files of "
                  "unfinished batches and of the down time are never read" +
                  fix};
    case SourceKind::kKafkaDirect:
      if (source.reads_from_earliest) {
        return {Guarantee::kAtLeastOnce,
                prefix +
                    " and Kafka direct starts again at the earliest offsets, so records "
                    "already processed are read again" +
                    fix};
      }
      return {Guarantee::kAtMostOnce,
              prefix +
                  " and Kafka direct starts at the latest offsets, so records of unfinished "
                  "batches and of the down time are never read" +
                  fix};
    case SourceKind::kQueue:
      return {Guarantee::kAtLeastOnce,
              prefix + " and the queue is read again from its first batch" + fix};
    default:
      break;
  }
  if (IsAutoCommitKafka(source)) {
    return {Guarantee::kNone,
            prefix + ": the blocks of unfinished batches died with the executors, and " +
                Label(source) + " reads again what it fetched after its group's last commit" + fix +
                " and the WAL"};
  }
  return {Guarantee::kAtMostOnce,
          prefix + ": " + Label(source) +
              " loses the blocks of unfinished batches, which died with the executors" + fix};
}

Finding DriverFailure(const SourceConfiguration& source, const GuaranteeConfiguration& config) {
  if (!config.checkpoint) return DriverFromScratch(source);
  if (!source.receiver_based) return ReplayableUnderDriverRecovery(source);
  return ReceiverUnderDriverRecovery(source, config);
}

Finding RefusedWrites(const SourceConfiguration& source, const GuaranteeConfiguration& config) {
  const std::string label = Label(source);
  if (!source.receiver_based) {
    return {Guarantee::kExactlyOnce,
            label +
                " keeps no input data in the store; a refused metadata checkpoint is a "
                "warning and the next one tries again"};
  }
  if (!config.checkpoint && !config.write_ahead_log) {
    return {Guarantee::kExactlyOnce,
            label +
                " writes nothing durable without a checkpoint directory (no block-tracker "
                "log, no receiver log)"};
  }
  if (!source.reliable) {
    const std::string logs = config.write_ahead_log ? "the receiver log or the block tracker's log"
                                                    : "the block tracker's log";
    return {Guarantee::kAtMostOnce,
            label + " is an unreliable receiver: a block " + logs +
                " refuses is dropped with Spark's block-pushing error, and the source never sends "
                "it again; " +
                std::string(kTryReliable)};
  }
  return {Guarantee::kAtLeastOnce,
          label +
              " is a reliable receiver: a refused store stops the receiver, which is "
              "relaunched, and the source sends again from its last acknowledgement"};
}

Finding ExternalDown(const SourceConfiguration& source) {
  const std::string label = Label(source);
  switch (source.kind) {
    case SourceKind::kKafkaDirect:
      return {Guarantee::kExactlyOnce,
              "Kafka direct: the broker keeps its log; batches read nothing new while it is down "
              "and go on from where they stopped"};
    case SourceKind::kKafkaReceiver:
      return {Guarantee::kExactlyOnce,
              label +
                  ": the consumer gets nothing while the broker is down and resumes where it "
                  "was"};
    case SourceKind::kKinesis:
      return {Guarantee::kExactlyOnce,
              "Kinesis: the stream keeps its shards; the KCL retries its reads from where it was"};
    case SourceKind::kFlumePush:
    case SourceKind::kFlumePull:
      return {Guarantee::kAtLeastOnce,
              label +
                  ": the agent's file channel rolls back the transactions open when it went "
                  "down and hands their events out again, so an event already received can "
                  "come twice"};
    case SourceKind::kCustom:
      if (source.reliable) {
        return {Guarantee::kAtLeastOnce,
                label + ": the device keeps what is not acknowledged and sends it again"};
      }
      return {Guarantee::kAtMostOnce,
              label +
                  ": records the device sent and forgot are lost in flight when it goes "
                  "down; use a reliable receiver"};
    default:
      return {Guarantee::kExactlyOnce, label + " reads no external system that can go down"};
  }
}

Finding InputUnder(FaultClass fault, const SourceConfiguration& source,
                   const GuaranteeConfiguration& config) {
  switch (fault) {
    case FaultClass::kWorker:
      return WorkerFailure(source, config);
    case FaultClass::kReceiver:
      return ReceiverTaskFailure(source, config);
    case FaultClass::kDriver:
      return DriverFailure(source, config);
    case FaultClass::kRefuseWrites:
      return RefusedWrites(source, config);
    case FaultClass::kExternalDown:
      return ExternalDown(source);
    default:
      STREAMSIM_ASSERT(false && "harmless and unknown faults have no per-source finding");
      return {};
  }
}

bool IsIdempotentOrTransactional(SinkKind sink) {
  return sink == SinkKind::kSaveAsTextFiles || sink == SinkKind::kIdempotent ||
         sink == SinkKind::kTransactional;
}

std::string IdempotentSinkReason(SinkKind sink, std::string_view again) {
  switch (sink) {
    case SinkKind::kSaveAsTextFiles:
      return "saveAsTextFiles: " + std::string(again) +
             " replaces the same part files (Spark: saveAs***Files is idempotent)";
    case SinkKind::kIdempotent:
      return "idempotent sink: " + std::string(again) + " overwrites the same keys";
    default:
      return "transactional sink: " + std::string(again) +
             " finds its (batch time, partition) commit and skips";
  }
}

// A worker failure retries output tasks; the driver gathers print and collect results itself.
Finding SinkUnderWorkerFailure(SinkKind sink) {
  if (IsIdempotentOrTransactional(sink)) {
    return {Guarantee::kExactlyOnce, IdempotentSinkReason(sink, "a retried task")};
  }
  if (sink == SinkKind::kPrint || sink == SinkKind::kCollect) {
    return {Guarantee::kExactlyOnce,
            SinkLabel(sink) +
                " gathers a batch on the driver once its job is done: a retried "
                "task does not count twice"};
  }
  const std::string what = sink == SinkKind::kFile ? "appends its records again" : "writes again";
  return {Guarantee::kAtLeastOnce, SinkLabel(sink) + ": a retried output task " + what + "; " +
                                       std::string(kMakeIdempotent)};
}

// A driver restarted from its checkpoint runs the batch of the checkpoint's time again.
Finding SinkUnderDriverRecovery(SinkKind sink) {
  if (IsIdempotentOrTransactional(sink)) {
    return {Guarantee::kExactlyOnce, IdempotentSinkReason(sink, "a re-run batch")};
  }
  const std::string rerun =
      ": the batch of the checkpoint's time runs again after the restart and ";
  if (sink == SinkKind::kPrint || sink == SinkKind::kCollect) {
    return {Guarantee::kAtLeastOnce,
            SinkLabel(sink) + rerun + "shows again (an at-least-once observer)"};
  }
  return {Guarantee::kAtLeastOnce,
          SinkLabel(sink) + rerun + "writes again; " + std::string(kMakeIdempotent)};
}

std::optional<Finding> SinkUnder(FaultClass fault, SinkKind sink,
                                 const GuaranteeConfiguration& config) {
  if (fault == FaultClass::kWorker) return SinkUnderWorkerFailure(sink);
  if (fault == FaultClass::kDriver && config.checkpoint) return SinkUnderDriverRecovery(sink);
  if (fault == FaultClass::kRefuseWrites &&
      (sink == SinkKind::kSaveAsTextFiles || sink == SinkKind::kFile)) {
    return Finding{Guarantee::kAtMostOnce,
                   SinkLabel(sink) +
                       ": the store refuses the output task's writes; after 4 "
                       "attempts (spark.task.maxFailures) the batch fails and its "
                       "output is never written"};
  }
  return std::nullopt;  // the fault does not touch this output, or no batch runs again
}

Finding CleanerFinding() {
  return {Guarantee::kAtMostOnce,
          "spark.cleaner.ttl is set: the cleaner drops received blocks older than the TTL even "
          "while a window still needs them, and the batch that needs one fails (Spark 1.x); unset "
          "it or make it longer than every window"};
}

// A Flume channel smaller than what arrives in one batch interval fills between two polls (or
// pushes) and drops the events that find it full, with or without a fault.
std::optional<Finding> ChannelOverflow(const SourceConfiguration& source,
                                       const GuaranteeConfiguration& config) {
  if (source.channel_capacity <= 0) return std::nullopt;
  const double per_batch = source.rate_per_second * config.batch_interval.seconds();
  if (static_cast<double>(source.channel_capacity) >= per_batch) return std::nullopt;
  return Finding{
      Guarantee::kAtMostOnce,
      fmt::format("the Flume channel of {} holds {} event{}, fewer than arrive in one "
                  "batch interval ({:.0f}): a full channel drops events before Spark "
                  "sees them; set channel_capacity to at least {:.0f}",
                  source.name, source.channel_capacity, source.channel_capacity == 1 ? "" : "s",
                  per_batch, std::ceil(per_batch))};
}

std::vector<const SourceConfiguration*> SourcesOf(const GuaranteeConfiguration& config,
                                                  const OutputConfiguration& output) {
  std::vector<const SourceConfiguration*> sources;
  for (const SourceConfiguration& source : config.sources) {
    const bool read = output.sources.empty() ||
                      std::find(output.sources.begin(), output.sources.end(), source.name) !=
                          output.sources.end();
    if (read) sources.push_back(&source);
  }
  return sources;
}

std::vector<Finding> FindingsUnder(FaultClass fault, std::optional<faults::FaultKind> kind,
                                   const GuaranteeConfiguration& config) {
  std::vector<Finding> findings;
  const bool harmless = fault == FaultClass::kNoFault || fault == FaultClass::kDelay;
  if (harmless) findings.push_back({Guarantee::kExactlyOnce, HarmlessReason(kind)});
  for (const OutputConfiguration& output : config.outputs) {
    for (const SourceConfiguration* source : SourcesOf(config, output)) {
      if (!harmless) findings.push_back(InputUnder(fault, *source, config));
      if (config.cleaner_ttl && source->receiver_based) findings.push_back(CleanerFinding());
      if (auto overflow = ChannelOverflow(*source, config)) findings.push_back(*overflow);
    }
    if (auto sink = SinkUnder(fault, output.sink, config)) findings.push_back(*sink);
  }
  return findings;
}

// Whether a finding helps explain the combined guarantee: the weakest findings (for kNone, both
// the loss and the duplication when no single finding is kNone by itself).
bool Decides(Guarantee finding, Guarantee combined, bool any_none) {
  if (combined == Guarantee::kExactlyOnce) return true;
  if (combined != Guarantee::kNone) return finding == combined;
  return any_none ? finding == Guarantee::kNone : finding != Guarantee::kExactlyOnce;
}

Prediction Summarize(std::string_view fault, const std::vector<Finding>& findings) {
  Prediction prediction{std::string(fault), Guarantee::kExactlyOnce, ""};
  bool any_none = false;
  for (const Finding& finding : findings) {
    prediction.guarantee = Weaker(prediction.guarantee, finding.guarantee);
    any_none = any_none || finding.guarantee == Guarantee::kNone;
  }
  std::vector<std::string> reasons;
  for (const Finding& finding : findings) {
    if (!Decides(finding.guarantee, prediction.guarantee, any_none)) continue;
    if (std::find(reasons.begin(), reasons.end(), finding.reason) != reasons.end()) continue;
    prediction.reason += (reasons.empty() ? "" : "; ") + finding.reason;
    reasons.push_back(finding.reason);
  }
  if (reasons.empty()) prediction.reason = "no output: nothing is delivered";
  return prediction;
}

bool AnySource(const GuaranteeConfiguration& config, bool (*matches)(const SourceConfiguration&)) {
  return std::any_of(config.sources.begin(), config.sources.end(), matches);
}

bool RunsExternalSystem(const SourceConfiguration& source) {
  return source.kind != SourceKind::kSocket && source.kind != SourceKind::kFile &&
         source.kind != SourceKind::kQueue;
}

// Predictions that do not depend on the sources and sinks: an unknown kind, an application that
// stays down, a kind with nothing to hit.
std::optional<Prediction> WholeApplication(FaultClass fault, std::string_view name,
                                           const GuaranteeConfiguration& config) {
  const std::string kind(name);
  if (fault == FaultClass::kDriver && !config.supervise) {
    return Prediction{kind, Guarantee::kAtMostOnce,
                      "without supervise the application stays down after a driver crash: "
                      "nothing after it is processed; set supervise (spark-submit --supervise) "
                      "and a checkpoint directory"};
  }
  if (fault == FaultClass::kReceiver &&
      !AnySource(config, [](const SourceConfiguration& s) { return s.receiver_based; })) {
    return Prediction{kind, Guarantee::kExactlyOnce,
                      "no source is read by a receiver: a receiver crash has nothing to hit"};
  }
  if (fault == FaultClass::kExternalDown && !AnySource(config, RunsExternalSystem)) {
    return Prediction{kind, Guarantee::kExactlyOnce,
                      "no source reads an external system (Kafka, Flume, Kinesis or a custom "
                      "device) that can go down"};
  }
  return std::nullopt;
}

// Under no fault (nullopt) or one kind of fault.
Prediction Predict(std::optional<faults::FaultKind> kind, const GuaranteeConfiguration& config) {
  const std::string_view name = kind ? faults::FaultKindName(*kind) : kNoFault;
  const FaultClass fault_class = ClassOf(kind);
  if (auto whole = WholeApplication(fault_class, name, config)) return *whole;
  return Summarize(name, FindingsUnder(fault_class, kind, config));
}

}  // namespace

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kSocket:
      return "socket";
    case SourceKind::kFile:
      return "file";
    case SourceKind::kQueue:
      return "queue";
    case SourceKind::kKafkaDirect:
      return "kafka-direct";
    case SourceKind::kKafkaReceiver:
      return "kafka-receiver";
    case SourceKind::kCustom:
      return "custom";
    case SourceKind::kFlumePush:
      return "flume-push";
    case SourceKind::kFlumePull:
      return "flume-pull";
    case SourceKind::kKinesis:
      return "kinesis";
  }
  return "unknown";
}

std::string_view SinkKindName(SinkKind kind) {
  switch (kind) {
    case SinkKind::kPrint:
      return "print";
    case SinkKind::kCollect:
      return "collect";
    case SinkKind::kSaveAsTextFiles:
      return "saveAsTextFiles";
    case SinkKind::kFile:
      return "file";
    case SinkKind::kIdempotent:
      return "idempotent";
    case SinkKind::kTransactional:
      return "transactional";
    case SinkKind::kAppend:
      return "append";
  }
  return "unknown";
}

std::vector<Prediction> PredictGuarantees(const GuaranteeConfiguration& configuration,
                                          const std::vector<faults::FaultKind>& fault_kinds) {
  std::vector<Prediction> predictions = {Predict(std::nullopt, configuration)};
  std::vector<faults::FaultKind> seen;
  for (faults::FaultKind kind : fault_kinds) {
    if (std::find(seen.begin(), seen.end(), kind) != seen.end()) continue;
    seen.push_back(kind);
    predictions.push_back(Predict(kind, configuration));
  }
  STREAMSIM_ASSERT(predictions.size() == seen.size() + 1);
  return predictions;
}

// What holds when faults of both predictions happen in one run: the weaker guarantee, and none
// when one risks duplicates and the other loss.
std::optional<Prediction> PredictInteraction(const GuaranteeConfiguration& configuration,
                                             const std::vector<faults::FaultKind>& fault_kinds) {
  auto has = [&fault_kinds](faults::FaultKind kind) {
    return std::find(fault_kinds.begin(), fault_kinds.end(), kind) != fault_kinds.end();
  };
  if (!configuration.checkpoint || !configuration.supervise || configuration.outputs.empty() ||
      !has(faults::FaultKind::kRefuseWrites) || !has(faults::FaultKind::kDriverCrash)) {
    return std::nullopt;
  }
  return Prediction{
      std::string(faults::FaultKindName(faults::FaultKind::kDriverCrash)) + " and " +
          std::string(faults::FaultKindName(faults::FaultKind::kRefuseWrites)),
      Guarantee::kAtLeastOnce,
      "a driver that crashes after checkpoint writes were refused recovers from the last "
      "checkpoint written before: the batches generated since are generated again and their "
      "records read again, so what the first driver output for them is output again under other "
      "batch times"};
}

Prediction PredictTogether(const Prediction& a, const Prediction& b) {
  // A fault that ran keeps its name over "no fault" when it predicts as much: a contradiction
  // then names the fault the run had.
  if (a.guarantee == b.guarantee && a.fault == kNoFault) return b;
  if (a.guarantee == b.guarantee && a.fault != b.fault) {
    return {a.fault + " and " + b.fault, a.guarantee, a.reason + "; " + b.reason};
  }
  if (a.guarantee == b.guarantee || b.guarantee == Guarantee::kExactlyOnce) return a;
  if (a.guarantee == Guarantee::kExactlyOnce || a.guarantee == Guarantee::kNone) {
    return a.guarantee == Guarantee::kNone ? a : b;
  }
  if (b.guarantee == Guarantee::kNone) return b;
  return {a.fault + " and " + b.fault, Guarantee::kNone, a.reason + "; " + b.reason};
}

}  // namespace streamsim::checker
