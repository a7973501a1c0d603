// The scenario model: a YAML scenario file after loading and validation, as plain data. Every
// element remembers where it was written (file, line, column) so that errors found later (a
// stream naming nothing, a cycle, an operator applied to the wrong shape) still point at the file.
// The loader (loader.h) fills this model; the builder (builder.h) turns it into a world and an
// engine. Nothing here depends on yaml-cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faults/fault.h"
#include "faults/random_faults.h"
#include "records/expression.h"
#include "records/value.h"
#include "simulator/time.h"

namespace streamsim::scenarios {

struct Position {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

// An expression as written in the scenario, parsed, with the position of its first character.
struct ExpressionSpec {
  records::Expression expression;
  Position position;
};

// One operator in a stream's `ops:` list, e.g. {map: "x * 2"}, {reduceByKey: {func: "a + b",
// partitions: 4}}, {join: other_stream}, {transform: [ ... ]}, or a bare "count".
struct OperatorSpec {
  std::string name;  // Spark's operator name: "map", "reduceByKey", "transformWith", ...
  Position position;
  std::optional<ExpressionSpec> func;  // the element / reduce function, when the operator has one
  std::optional<int> partitions;       // reduceByKey, groupByKey, join..., repartition
  std::string other;                   // union / join / cogroup / transformWith: the other stream
  Position other_position;
  std::vector<OperatorSpec> ops;  // transform / transformWith: the chain applied to each RDD
  // Windowed and stateful operators (issue 3).
  std::optional<sim::Duration> window;  // window length
  Position window_position;
  std::optional<sim::Duration> slide;  // slide; absent means the parent's slide
  Position slide_position;
  std::optional<ExpressionSpec> inverse;  // reduceByKeyAndWindow / reduceByWindow inverse function
  std::optional<ExpressionSpec> filter;   // reduceByKeyAndWindow: keep keys where this holds
  std::optional<sim::Duration> timeout;   // mapWithState idle timeout
  std::vector<records::Value> initial;  // updateStateByKey / mapWithState initial (k, state) pairs
};

struct GeneratorSpec {
  std::string kind = "log_lines";       // log_lines | access_log | words | integers | lines
  double error_share = 0.05;            // log_lines: share of lines containing "error"
  int64_t ip_count = 50;                // access_log: distinct client IPs
  std::vector<std::string> vocabulary;  // words: the words to draw from (default built in)
  int64_t words_per_line = 5;           // words
  int64_t min = 0;                      // integers
  int64_t max = 100;                    // integers
  std::vector<std::string> lines;       // lines: cycled in order
  Position position;
};

// The kinds of a scenario's sources, outputs and sinks: parsed from their names once, in the
// readers; compared as values everywhere else (scenarios/scenario_kinds.cc names them back).
enum class SourceKind { kQueue, kSocket, kFile, kKafka, kCustom, kFlume, kKinesis };
// How a source is read: kafka direct (createDirectStream) or receiver (createStream); flume push
// (createStream) or pull (createPollingStream).
enum class SourceMode { kDirect, kReceiver, kPush, kPull };
enum class OutputKind { kPrint, kCollect, kSaveAsTextFiles, kForeachRdd, kSink };
// foreachRDD writes a file sink; `sink:` an SQLite table, idempotent, transactional or append.
enum class SinkKind { kFile, kIdempotent, kTransactional, kAppend };

std::string_view SourceKindName(SourceKind kind);  // "queue", "socket", ...
std::string_view SourceModeName(SourceMode mode);  // "direct", "receiver", "push", "pull"
std::string_view OutputKindName(OutputKind kind);  // the output's key: "print", ...
std::string_view SinkKindName(SinkKind kind);      // "file", "idempotent", ...
// The kind a name spells. REQUIRES: a name the reader accepted (a choice it offered).
SourceKind SourceKindFromName(std::string_view name);
SourceMode SourceModeFromName(std::string_view name);
OutputKind OutputKindFromName(std::string_view name);
SinkKind SinkKindFromName(std::string_view name);

struct SourceSpec {
  std::string name;
  SourceKind kind = SourceKind::kSocket;
  Position position;
  // socket
  std::string host = "localhost";
  int port = 0;
  double rate_per_second = 0;  // socket: lines/s; file: files/s; kafka: records/s produced
  GeneratorSpec generator;
  // file
  std::string directory;
  int64_t lines_per_file = 10;
  // queue
  std::vector<std::vector<records::Value>> batches;
  int partitions = 1;
  bool one_at_a_time = true;
  // kafka
  SourceMode mode = SourceMode::kDirect;  // kafka: direct | receiver; flume: push | pull
  std::string topic;
  Position topic_position;
  int kafka_partitions = 1;
  double max_rate_per_partition = 0;  // records/s per partition; 0: unlimited
  int64_t retention = 1000000;        // records kept per partition
  std::string start = "latest";       // latest | earliest: where a stream without checkpoint starts
  // kafka, mode receiver: the consumer group (empty: the source's name) and the high-level
  // consumer's auto.commit.interval.ms (ignored with the receiver write-ahead log, which commits
  // after each stored block).
  std::string group;
  sim::Duration auto_commit_interval = sim::Duration::Seconds(60);
  // custom: a reliable receiver (stores whole blocks, acknowledges) or not (record by record)
  bool reliable = false;
  // flume (`mode` push | pull, required): the agent's channel capacity (events), and pull's
  // SparkSink batch size and transaction timeout
  int64_t channel_capacity = 1000000;
  int64_t max_batch_size = 1000;
  sim::Duration transaction_timeout = sim::Duration::Seconds(15);
  // kinesis: shards, the KCL checkpoint interval (default: the batch interval) and where a shard
  // without a checkpoint starts
  int shards = 1;
  std::optional<sim::Duration> kinesis_checkpoint_interval;
  std::string initial_position = "latest";  // latest | trim_horizon
};

struct StreamSpec {
  std::string name;
  Position position;
  std::string from;  // a source or another stream
  Position from_position;
  std::vector<OperatorSpec> ops;
};

struct OutputSpec {
  std::string stream;
  Position position;
  Position stream_position;  // of the `stream:` value
  OutputKind kind = OutputKind::kPrint;
  int print_count = 10;
  std::string collect_name;              // collect
  std::string prefix;                    // saveAsTextFiles
  std::string suffix;                    // saveAsTextFiles (may be empty)
  SinkKind sink_kind = SinkKind::kFile;  // foreachRDD: kFile; sink: the table's kind
  std::string sink_path;                 // foreachRDD file sink: path in durable storage
  // `sink: {kind: idempotent | transactional | append, table: NAME}`: a table of the run's SQLite
  // sink database (sink_kind holds the kind). The loader has checked that NAME is an SQL
  // identifier the sink accepts and that no other output writes that table.
  std::string sink_table;
  Position sink_kind_position;   // of the `kind:` value
  Position sink_table_position;  // of the `table:` value
};

struct ClusterSpec {
  int workers = 2;
  int cores_per_worker = 2;
  Position position;
};

struct NetworkSpec {
  sim::Duration latency_min = sim::Duration::Micros(200);
  sim::Duration latency_mean = sim::Duration::Micros(500);
  sim::Duration latency_max = sim::Duration::Millis(5);
  int64_t bandwidth_bytes_per_second = 125000000;
  double loss = 0.0;
};

struct StreamingSpec {
  sim::Duration batch_interval = sim::Duration::Seconds(1);
  sim::Duration block_interval = sim::Duration::Millis(200);
  std::string storage_level = "MEMORY_AND_DISK_SER_2";
  std::string serializer = "java";  // java | kryo
  Position position;
  // Checkpointing (issue 3): the directory in the durable store, and the data-checkpoint interval
  // of stateful streams (default: the smallest multiple of the slide that is at least 10 s).
  std::optional<std::string> checkpoint_dir;
  std::optional<sim::Duration> checkpoint_interval;
  Position checkpoint_position;
  Position checkpoint_interval_position;
  bool supervise = false;        // restart a crashed driver (spark-submit --supervise)
  bool write_ahead_log = false;  // spark.streaming.receiver.writeAheadLog.enable
  Position write_ahead_log_position;
  std::optional<sim::Duration> cleaner_ttl;  // Spark 1.x spark.cleaner.ttl
  Position cleaner_ttl_position;
  bool unpersist = true;                  // spark.streaming.unpersist
  std::optional<sim::Duration> remember;  // ssc.remember(duration)
};

// One scheduled fault (faults/fault.h) and where it was written.
struct FaultSpec {
  faults::Fault fault;
  Position position;
};

// `faults: {random: {...}}`: a schedule drawn from the run's seed (faults/random_faults.h).
struct RandomFaultsSpec {
  faults::RandomFaults random;
  Position position;
};

struct StopSpec {
  std::optional<int64_t> batches;      // stop once batch N x interval has completed
  std::optional<sim::Duration> after;  // stop at this simulated time
  bool graceful = true;
  Position position;
};

// `expect: {guarantee: exactly-once}`: the guarantee the author claims for the run.
struct ExpectSpec {
  std::optional<std::string> guarantee;  // exactly-once | at-least-once | at-most-once
  Position position;
};

// Overrides of the cost model, by name (see engine/core/cost_model.h and docs/scenarios.md).
struct CostSpec {
  std::map<std::string, sim::Duration> durations;
  std::map<std::string, double> factors;
  std::map<std::string, Position> positions;  // of each name, durations and factors alike
};

struct Scenario {
  std::string file;  // the path it was loaded from
  std::string name;
  std::string description;
  uint64_t seed = 1;
  StopSpec stop;
  StreamingSpec streaming;
  ClusterSpec cluster;
  NetworkSpec network;
  CostSpec cost;
  std::vector<SourceSpec> sources;  // in file order
  std::vector<StreamSpec> streams;  // in file order
  std::vector<OutputSpec> outputs;
  std::vector<FaultSpec> faults;                  // in time order
  std::optional<RandomFaultsSpec> random_faults;  // instead of a list
  ExpectSpec expect;
};

}  // namespace streamsim::scenarios
