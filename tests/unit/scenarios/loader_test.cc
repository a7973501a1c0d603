// Tests scenarios/loader: every class of error with its exact "file:line:col: message", the full
// format loading into exact model values, defaults, and every shipped scenario in
// scenarios/library/ loading cleanly.
#include "scenarios/loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace streamsim::scenarios {
namespace {

using records::Value;

// The error LoadScenarioText reports for `yaml` (loaded as "t.yaml"), or "loaded" when it loads.
std::string ErrorOf(const std::string& yaml) {
  const LoadResult<Scenario> loaded = LoadScenarioText(yaml, "t.yaml");
  return loaded.ok() ? "loaded" : loaded.error().ToString();
}

// Loads `yaml`, failing the test with the error when it does not load.
Scenario Loaded(const std::string& yaml, const std::string& file_name = "t.yaml") {
  LoadResult<Scenario> loaded = LoadScenarioText(yaml, file_name);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
  return loaded.ok() ? std::move(loaded.value()) : Scenario{};
}

// A valid tail for tests of the earlier sections: one queue source and one output.
constexpr char kMinimalPipeline[] = R"(
sources:
  numbers: {kind: queue, batches: [[1]]}
outputs:
  - {stream: numbers, print: true}
)";

// ---------------------------------------------------------------------------------------------
// The document.

TEST(LoaderDocumentTest, InvalidYamlIsReportedWithItsMark) {
  EXPECT_EQ(ErrorOf("cluster: {workers: 2\nseed: 1\n"),
            "t.yaml:2:5: invalid YAML: end of map flow not found");
}

TEST(LoaderDocumentTest, SecondDocumentIsAnError) {
  EXPECT_EQ(ErrorOf("seed: 1\n---\nseed: 2\n"),
            "t.yaml:3:1: a scenario file holds one YAML document; a second one starts here");
}

TEST(LoaderDocumentTest, EmptyFileIsAnError) {
  EXPECT_EQ(ErrorOf(""), "t.yaml:1:1: expected a mapping for the scenario, got nothing");
}

TEST(LoaderDocumentTest, TopLevelMustBeAMapping) {
  EXPECT_EQ(ErrorOf("- seed\n"), "t.yaml:1:1: expected a mapping for the scenario, got a sequence");
}

TEST(LoaderDocumentTest, UnknownTopLevelKeySuggestsTheClosest) {
  EXPECT_EQ(ErrorOf("seed: 1\nsourcs: {}\n"),
            "t.yaml:2:1: unknown key 'sourcs' in the scenario; did you mean 'sources'?");
}

TEST(LoaderDocumentTest, UnknownKeyFarFromAnyHasNoSuggestion) {
  EXPECT_EQ(ErrorOf("zebra: 1\n"), "t.yaml:1:1: unknown key 'zebra' in the scenario");
}

TEST(LoaderDocumentTest, DuplicateKeyIsAnError) {
  EXPECT_EQ(ErrorOf("cluster:\n  workers: 2\n  workers: 3\n"),
            "t.yaml:3:3: duplicate key 'workers' in cluster");
}

TEST(LoaderDocumentTest, UnreadableFile) {
  const LoadResult<Scenario> loaded = LoadScenarioFile("/nonexistent/x.yaml");
  ASSERT_FALSE(loaded.ok());
  const LoadError& error = loaded.error();
  EXPECT_EQ(error.position.file, "/nonexistent/x.yaml");
  EXPECT_EQ(error.position.line, 0);
  EXPECT_EQ(error.position.column, 0);
  EXPECT_EQ(error.ToString(), "/nonexistent/x.yaml: cannot read file");
}

TEST(LoaderDocumentTest, ToStringIsCompilerStyle) {
  EXPECT_EQ((LoadError{Position{"a.yaml", 3, 7}, "boom"}.ToString()), "a.yaml:3:7: boom");
}

// ---------------------------------------------------------------------------------------------
// Scalars and settings.

TEST(LoaderSettingsTest, ExpectedAnInteger) {
  EXPECT_EQ(ErrorOf("cluster: {workers: two}\n"), "t.yaml:1:20: expected an integer, got 'two'");
}

TEST(LoaderSettingsTest, QuotedNumberIsAString) {
  EXPECT_EQ(ErrorOf("cluster: {workers: \"2\"}\n"), "t.yaml:1:20: expected an integer, got \"2\"");
}

TEST(LoaderSettingsTest, IntegerOutOfRange) {
  EXPECT_EQ(ErrorOf("cluster: {workers: 0}\n"),
            "t.yaml:1:20: 'workers' must be between 1 and 1000, got 0");
  EXPECT_EQ(ErrorOf("cluster: {cores: 1001}\n"),
            "t.yaml:1:18: 'cores' must be between 1 and 1000, got 1001");
}

TEST(LoaderSettingsTest, ExpectedAMapping) {
  EXPECT_EQ(ErrorOf("cluster: 3\n"), "t.yaml:1:10: expected a mapping for cluster, got '3'");
}

TEST(LoaderSettingsTest, EmptyValuePointsAtItsKey) {
  EXPECT_EQ(ErrorOf("seed: 1\ncluster:\nstop: {batches: 1}\n"),
            "t.yaml:2:1: expected a mapping for cluster, got nothing");
}

TEST(LoaderSettingsTest, SeedMustBeANonNegativeInteger) {
  EXPECT_EQ(ErrorOf("seed: one\n"), "t.yaml:1:7: expected a non-negative integer, got 'one'");
  EXPECT_EQ(ErrorOf("seed: -1\n"),
            "t.yaml:1:7: 'seed' must be between 0 and 18446744073709551615, got -1");
  EXPECT_EQ(ErrorOf("seed: 18446744073709551616\n"),
            "t.yaml:1:7: 'seed' must be between 0 and 18446744073709551615, got "
            "18446744073709551616");
}

TEST(LoaderSettingsTest, ExpectedADuration) {
  EXPECT_EQ(ErrorOf("streaming:\n  batch_interval: ten\n"),
            "t.yaml:2:19: expected a duration like 1s or 200ms, got 'ten'");
}

TEST(LoaderSettingsTest, IntervalsMustBePositive) {
  EXPECT_EQ(ErrorOf("streaming: {block_interval: 0ms}\n"),
            "t.yaml:1:29: 'block_interval' must be greater than 0");
}

TEST(LoaderSettingsTest, UnknownStorageLevelSuggestsTheClosest) {
  EXPECT_EQ(ErrorOf("streaming: {storage_level: MEMORY_AND_DISC_SER_2}\n"),
            "t.yaml:1:28: unknown storage level 'MEMORY_AND_DISC_SER_2'; expected one of "
            "MEMORY_ONLY, MEMORY_ONLY_2, MEMORY_ONLY_SER, MEMORY_ONLY_SER_2, MEMORY_AND_DISK, "
            "MEMORY_AND_DISK_2, MEMORY_AND_DISK_SER, MEMORY_AND_DISK_SER_2, DISK_ONLY, "
            "DISK_ONLY_2, OFF_HEAP; did you mean 'MEMORY_AND_DISK_SER_2'?");
}

TEST(LoaderSettingsTest, UnknownSerializer) {
  EXPECT_EQ(ErrorOf("streaming: {serializer: avro}\n"),
            "t.yaml:1:25: unknown serializer 'avro'; expected one of java, kryo");
}

TEST(LoaderSettingsTest, StopNeedsBatchesOrAfter) {
  EXPECT_EQ(ErrorOf("stop: {graceful: false}\n"), "t.yaml:1:7: stop needs 'batches' or 'after'");
}

TEST(LoaderSettingsTest, ExpectedABool) {
  EXPECT_EQ(ErrorOf("stop: {batches: 2, graceful: yes}\n"),
            "t.yaml:1:30: expected true or false, got 'yes'");
}

TEST(LoaderSettingsTest, LatencyMustBeOrdered) {
  EXPECT_EQ(ErrorOf("network:\n  latency: {min: 1ms, mean: 500us, max: 5ms}\n"),
            "t.yaml:2:12: latency needs min <= mean <= max, got min 1ms, mean 500us, max 5ms");
}

TEST(LoaderSettingsTest, ExpectedABandwidth) {
  EXPECT_EQ(ErrorOf("network: {bandwidth: fast}\n"),
            "t.yaml:1:22: expected a bandwidth like 1Gbit/s, 125MB/s or a number of bytes per "
            "second, got 'fast'");
  EXPECT_EQ(ErrorOf("network: {bandwidth: 1Tbit/s}\n"),
            "t.yaml:1:22: expected a bandwidth like 1Gbit/s, 125MB/s or a number of bytes per "
            "second, got '1Tbit/s'");
}

TEST(LoaderSettingsTest, ExpectedANumberInRange) {
  EXPECT_EQ(ErrorOf("network: {loss: lots}\n"), "t.yaml:1:17: expected a number, got 'lots'");
  EXPECT_EQ(ErrorOf("network: {loss: 1.5}\n"),
            "t.yaml:1:17: 'loss' must be between 0 and 1, got 1.5");
}

TEST(LoaderSettingsTest, CostEntriesAreDurationsOrNumbers) {
  EXPECT_EQ(ErrorOf("cost:\n  task_launch: 2ms\n  shuffle: slow\n"),
            "t.yaml:3:12: expected a duration like 2ms or a number, got 'slow'");
}

TEST(LoaderSettingsTest, CheckpointIsADirectoryOrAMapping) {
  EXPECT_EQ(ErrorOf("streaming: {checkpoint: \"\"}\n"),
            "t.yaml:1:25: 'checkpoint' must not be empty");
  EXPECT_EQ(ErrorOf("streaming: {checkpoint: {interval: 10s}}\n"),
            "t.yaml:1:25: missing key 'dir' in checkpoint");
  EXPECT_EQ(ErrorOf("streaming: {checkpoint: {dir: cp, interval: 0s}}\n"),
            "t.yaml:1:45: 'interval' must be greater than 0");
  EXPECT_EQ(ErrorOf("streaming: {checkpoint: {dir: cp, every: 10s}}\n"),
            "t.yaml:1:35: unknown key 'every' in checkpoint");
  EXPECT_EQ(ErrorOf("streaming: {checkpoint: [cp]}\n"),
            "t.yaml:1:25: expected a mapping for checkpoint, got a sequence");
}

TEST(LoaderSettingsTest, RetentionDurationsArePositive) {
  EXPECT_EQ(ErrorOf("streaming: {cleaner_ttl: 0s}\n"),
            "t.yaml:1:26: 'cleaner_ttl' must be greater than 0");
  EXPECT_EQ(ErrorOf("streaming: {remember: 0ms}\n"),
            "t.yaml:1:23: 'remember' must be greater than 0");
  EXPECT_EQ(ErrorOf("streaming: {supervise: yes}\n"),
            "t.yaml:1:24: expected true or false, got 'yes'");
}

// ---------------------------------------------------------------------------------------------
// Faults.

TEST(LoaderFaultTest, CrashTargetsAreTheDriverAWorkerAnExecutorOrAReceiver) {
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, crash: executor}]\n"),
            "t.yaml:1:26: unknown crash target 'executor'; expected driver, worker/N, executor/N "
            "or receiver/NAME; did you mean 'executor/0'?");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, crash: drivr}]\n"),
            "t.yaml:1:26: unknown crash target 'drivr'; expected driver, worker/N, executor/N or "
            "receiver/NAME; did you mean 'driver'?");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, crash: worker/x}]\n"),
            "t.yaml:1:26: unknown crash target 'worker/x'; expected driver, worker/N, executor/N "
            "or receiver/NAME; did you mean 'worker/0'?");
}

TEST(LoaderFaultTest, CrashTargetsMustExist) {
  const std::string base =
      "cluster: {workers: 2, cores: 2}\n"
      "sources:\n"
      "  lines: {kind: socket, port: 7777, rate: 10/s}\n"
      "  q: {kind: queue, batches: [[1]]}\n"
      "outputs:\n"
      "  - {stream: lines, print: 1}\n";
  EXPECT_EQ(ErrorOf(base + "faults: [{at: 1s, crash: worker/2}]\n"),
            "t.yaml:7:10: fault crashes worker/2 but the cluster has 2 worker(s), numbered from 0");
  EXPECT_EQ(ErrorOf(base + "faults: [{at: 1s, crash: receiver/q}]\n"),
            "t.yaml:7:10: fault crashes receiver 'q' but no receiver-based source has that name");
  EXPECT_EQ(ErrorOf(base + "faults: [{at: 1s, crash: receiver/lines}, {at: 2s, crash: "
                           "executor/1}, {at: 3s, crash: worker/0, restart_after: 2s}]\n"),
            "loaded");
  // Spark relaunches a receiver after its own delay: a restart_after there was accepted and
  // ignored before.
  EXPECT_EQ(ErrorOf(base + "faults: [{at: 1s, crash: receiver/lines, restart_after: 5s}]\n"),
            "t.yaml:7:42: 'restart_after' does not apply to a receiver crash: Spark relaunches the "
            "receiver itself after spark.streaming.receiverRestartDelay (2 s)");
}

TEST(LoaderFaultTest, AFaultNeedsATimeAndATarget) {
  EXPECT_EQ(ErrorOf("faults: [{crash: driver}]\n"), "t.yaml:1:10: missing key 'at' in fault 1");
  EXPECT_EQ(ErrorOf("faults:\n  - {at: 1s, crash: driver}\n  - {at: 2s}\n"),
            "t.yaml:3:5: fault 2 needs one of: crash, pause, partition, network, storage, down");
  EXPECT_EQ(ErrorOf("faults: [{at: -1s, crash: driver}]\n"),
            "t.yaml:1:15: expected a duration like 1s or 200ms, got '-1s'");
}

TEST(LoaderFaultTest, RestartAfterIsPositiveAndKeysAreKnown) {
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, crash: driver, restart_after: 0s}]\n"),
            "t.yaml:1:49: 'restart_after' must be greater than 0");
  EXPECT_EQ(ErrorOf("faults: [{at: 1s, crash: driver, restart_aftr: 5s}]\n"),
            "t.yaml:1:34: unknown key 'restart_aftr' in fault 1; did you mean 'restart_after'?");
  EXPECT_EQ(ErrorOf("faults: {at: 1s}\n"), "t.yaml:1:10: unknown key 'at' in faults");
}

// ---------------------------------------------------------------------------------------------
// Sources.

TEST(LoaderSourceTest, MissingKind) {
  EXPECT_EQ(ErrorOf("sources:\n  numbers: {partitions: 2}\n"),
            "t.yaml:2:12: missing key 'kind' in source 'numbers'");
}

TEST(LoaderSourceTest, UnknownKind) {
  EXPECT_EQ(ErrorOf("sources:\n  numbers: {kind: qeue}\n"),
            "t.yaml:2:19: unknown source kind 'qeue'; expected one of queue, socket, file, "
            "kafka, custom, flume, kinesis; did you mean 'queue'?");
}

TEST(LoaderSourceTest, KeyOfAnotherKind) {
  EXPECT_EQ(ErrorOf("sources:\n  numbers: {kind: queue, port: 7}\n"),
            "t.yaml:2:26: unknown key 'port' in source 'numbers'");
}

TEST(LoaderSourceTest, KeyOfNoKindSuggestsTheClosest) {
  EXPECT_EQ(ErrorOf("sources:\n  numbers: {kind: queue, partition: 2}\n"),
            "t.yaml:2:26: unknown key 'partition' in source 'numbers'; did you mean 'partitions'?");
}

TEST(LoaderSourceTest, SocketNeedsAPort) {
  EXPECT_EQ(ErrorOf("sources:\n  lines: {kind: socket, rate: 10/s}\n"),
            "t.yaml:2:10: missing key 'port' in source 'lines'");
}

TEST(LoaderSourceTest, ExpectedARate) {
  EXPECT_EQ(ErrorOf("sources:\n  lines: {kind: socket, port: 9, rate: fast}\n"),
            "t.yaml:2:40: expected a rate like 200/s or 0.5/s, got 'fast'");
  EXPECT_EQ(ErrorOf("sources:\n  lines: {kind: socket, port: 9, rate: 10/week}\n"),
            "t.yaml:2:40: expected a rate like 200/s or 0.5/s, got '10/week'");
}

TEST(LoaderSourceTest, RateMustBePositive) {
  EXPECT_EQ(ErrorOf("sources:\n  files: {kind: file, dir: in, rate: 0/s}\n"),
            "t.yaml:2:38: 'rate' must be greater than 0 and at most 1000000/s, got 0/s");
}

TEST(LoaderSourceTest, FileSourceNeedsADirectory) {
  EXPECT_EQ(ErrorOf("sources:\n  files: {kind: file, dir: \"\", rate: 1/s}\n"),
            "t.yaml:2:28: 'dir' must not be empty");
}

TEST(LoaderSourceTest, UnknownGeneratorKind) {
  EXPECT_EQ(ErrorOf("sources:\n  lines:\n    kind: socket\n    port: 9\n    rate: 1/s\n"
                    "    generator: {kind: word}\n"),
            "t.yaml:6:23: unknown generator kind 'word'; expected one of log_lines, access_log, "
            "words, integers, lines; did you mean 'words'?");
}

TEST(LoaderSourceTest, GeneratorKeyOfAnotherKind) {
  EXPECT_EQ(ErrorOf("sources:\n  lines:\n    kind: socket\n    port: 9\n    rate: 1/s\n"
                    "    generator: {kind: log_lines, ips: 5}\n"),
            "t.yaml:6:34: unknown key 'ips' in generator of source 'lines'");
}

TEST(LoaderSourceTest, ErrorShareIsAShare) {
  EXPECT_EQ(ErrorOf("sources:\n  lines:\n    kind: socket\n    port: 9\n    rate: 1/s\n"
                    "    generator: {kind: log_lines, error_share: 2}\n"),
            "t.yaml:6:47: 'error_share' must be between 0 and 1, got 2");
}

TEST(LoaderSourceTest, IntegersGeneratorNeedsMinAtMostMax) {
  EXPECT_EQ(ErrorOf("sources:\n  files:\n    kind: file\n    dir: in\n    rate: 1/s\n"
                    "    generator: {kind: integers, min: 5, max: 1}\n"),
            "t.yaml:6:46: 'max' (1) must not be less than 'min' (5)");
  // With max left at its default of 100, the error points at min.
  EXPECT_EQ(ErrorOf("sources:\n  files:\n    kind: file\n    dir: in\n    rate: 1/s\n"
                    "    generator: {kind: integers, min: 500}\n"),
            "t.yaml:6:38: 'max' (100) must not be less than 'min' (500)");
}

TEST(LoaderSourceTest, LinesGeneratorNeedsLines) {
  EXPECT_EQ(ErrorOf("sources:\n  files:\n    kind: file\n    dir: in\n    rate: 1/s\n"
                    "    generator: {kind: lines, lines: []}\n"),
            "t.yaml:6:37: 'lines' must not be empty");
}

TEST(LoaderSourceTest, QueueBatchMustBeASequence) {
  EXPECT_EQ(ErrorOf("sources:\n  numbers: {kind: queue, batches: [[1], 2]}\n"),
            "t.yaml:2:41: expected a sequence, got '2'");
}

TEST(LoaderSourceTest, QueueRecordCannotBeAMapping) {
  EXPECT_EQ(ErrorOf("sources:\n  numbers: {kind: queue, batches: [[{a: 1}]]}\n"),
            "t.yaml:2:37: expected a record (a scalar, or a sequence for a tuple), got a mapping");
}

TEST(LoaderSourceTest, QueueIntegerOutOfRange) {
  EXPECT_EQ(ErrorOf("sources:\n  numbers: {kind: queue, batches: [[99999999999999999999]]}\n"),
            "t.yaml:2:37: integer 99999999999999999999 is out of range; quote it for a string or "
            "write 99999999999999999999.0 for a double");
}

TEST(LoaderSourceTest, PartitionsAtLeastOne) {
  EXPECT_EQ(ErrorOf("sources:\n  numbers: {kind: queue, partitions: 0}\n"),
            "t.yaml:2:38: 'partitions' must be between 1 and 10000, got 0");
}

// ---------------------------------------------------------------------------------------------
// Streams and names.

constexpr char kNumbersSource[] = "sources:\n  numbers: {kind: queue}\n";

TEST(LoaderStreamTest, StreamNeedsFrom) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "streams:\n  doubled: {ops: [count]}\n"),
            "t.yaml:4:12: missing key 'from' in stream 'doubled'");
}

TEST(LoaderStreamTest, FromNamesNothing) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "streams:\n  doubled: {from: numbrs}\n"),
            "t.yaml:4:19: stream 'numbrs' names nothing: no source or stream called 'numbrs'; "
            "did you mean 'numbers'?");
}

TEST(LoaderStreamTest, SourcesAndStreamsShareOneNamespace) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "streams:\n  numbers: {from: numbers}\n"),
            "t.yaml:4:3: duplicate name 'numbers': a source is already called 'numbers'");
}

TEST(LoaderStreamTest, CycleIsReportedFromItsFirstStream) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "streams:\n"
                                                  "  a: {from: numbers, ops: [{union: c}]}\n"
                                                  "  b: {from: a}\n"
                                                  "  c: {from: b}\n"),
            "t.yaml:4:3: cycle in streams: a -> c -> b -> a");
}

TEST(LoaderStreamTest, StreamReadingItselfIsACycle) {
  EXPECT_EQ(
      ErrorOf(std::string(kNumbersSource) + "streams:\n  a: {from: numbers}\n  b: {from: b}\n"),
      "t.yaml:5:3: cycle in streams: b -> b");
}

TEST(LoaderStreamTest, UnionNamesNothing) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) +
                    "streams:\n  a: {from: numbers, ops: [{union: zzz}]}\n"),
            "t.yaml:4:36: stream 'zzz' names nothing: no source or stream called 'zzz'");
}

TEST(LoaderStreamTest, StreamNamedInsideTransformMustExist) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) +
                    "streams:\n"
                    "  a:\n"
                    "    from: numbers\n"
                    "    ops:\n"
                    "      - transformWith:\n"
                    "          other: numbers\n"
                    "          ops: [{join: {other: nothing, partitions: 2}}]\n"),
            "t.yaml:9:32: stream 'nothing' names nothing: no source or stream called 'nothing'");
}

// ---------------------------------------------------------------------------------------------
// Operators.

// A scenario whose one stream has `ops` (a YAML flow sequence) on line 4 from column 27, so its
// first operator starts at column 28.
std::string WithOps(const std::string& ops) {
  return std::string(kNumbersSource) + "streams:\n  s: {from: numbers, ops: " + ops + "}\n";
}

TEST(LoaderOperatorTest, UnknownOperatorSuggestsTheClosest) {
  EXPECT_EQ(ErrorOf(WithOps("[{mapp: \"x\"}]")),
            "t.yaml:4:29: unknown operator 'mapp'; did you mean 'map'?");
  EXPECT_EQ(ErrorOf(WithOps("[groupbykey]")),
            "t.yaml:4:28: unknown operator 'groupbykey'; did you mean 'groupByKey'?");
}

TEST(LoaderOperatorTest, OperatorIsAMappingWithOneKey) {
  EXPECT_EQ(ErrorOf(WithOps("[{map: x, filter: x}]")),
            "t.yaml:4:28: expected an operator: a name like count or a mapping with one key like "
            "{map: \"x * 2\"}, got a mapping with keys map, filter");
  EXPECT_EQ(ErrorOf(WithOps("[[map]]")),
            "t.yaml:4:28: expected an operator: a name like count or a mapping with one key like "
            "{map: \"x * 2\"}, got a sequence");
}

TEST(LoaderOperatorTest, BareOperatorThatNeedsAnArgument) {
  EXPECT_EQ(ErrorOf(WithOps("[count, map]")),
            "t.yaml:4:35: 'map' needs an argument: write {map: ...}");
}

TEST(LoaderOperatorTest, OperatorWithoutArguments) {
  EXPECT_EQ(ErrorOf(WithOps("[{count: 3}]")), "t.yaml:4:36: 'count' takes no argument");
}

TEST(LoaderOperatorTest, ArgumentMappingForm) {
  EXPECT_EQ(ErrorOf(WithOps("[{groupByKey: 4}]")),
            "t.yaml:4:41: expected a mapping for groupByKey, got '4'");
  EXPECT_EQ(ErrorOf(WithOps("[{reduceByKey: {fn: \"a + b\"}}]")),
            "t.yaml:4:43: unknown key 'fn' in reduceByKey");
  EXPECT_EQ(ErrorOf(WithOps("[{reduceByKey: {partitions: 2}}]")),
            "t.yaml:4:42: missing key 'func' in reduceByKey");
  EXPECT_EQ(ErrorOf(WithOps("[{join: {partitions: 2}}]")),
            "t.yaml:4:35: missing key 'other' in join");
}

TEST(LoaderOperatorTest, PartitionsAtLeastOne) {
  EXPECT_EQ(ErrorOf(WithOps("[{repartition: 0}]")),
            "t.yaml:4:42: 'repartition' must be between 1 and 10000, got 0");
  EXPECT_EQ(ErrorOf(WithOps("[{join: {other: numbers, partitions: 0}}]")),
            "t.yaml:4:64: 'partitions' must be between 1 and 10000, got 0");
}

TEST(LoaderOperatorTest, ExpressionMustBeAString) {
  EXPECT_EQ(ErrorOf(WithOps("[{map: [x]}]")),
            "t.yaml:4:34: expected an expression string, got a sequence");
}

TEST(LoaderOperatorTest, ExpressionErrorInPlainScalar) {
  // "x * )": the error is at the ')' — column 5 of the expression.
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) +
                    "streams:\n  s:\n    from: numbers\n    ops:\n      - map: x * )\n"),
            "t.yaml:7:18: in expression: expected an expression but found ')'");
}

TEST(LoaderOperatorTest, ExpressionErrorInDoubleQuotedScalarWithEscapes) {
  // The \" escapes take two characters in the file and one in the expression.
  EXPECT_EQ(ErrorOf(WithOps(R"([{flatMap: "split(x, \" \") @"}])")),
            "t.yaml:4:55: in expression: unexpected character '@'");
}

TEST(LoaderOperatorTest, ExpressionErrorInSingleQuotedScalar) {
  EXPECT_EQ(ErrorOf(WithOps("[{filter: 'x == ''a'' ?'}]")),
            "t.yaml:4:49: in expression: unexpected character '?'");
}

TEST(LoaderOperatorTest, ExpressionErrorInBlockScalar) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "streams:\n  s:\n    from: numbers\n    ops:\n"
                                                  "      - map: |\n"
                                                  "          if(x > 1,\n"
                                                  "             x $ 2, 0)\n"),
            "t.yaml:9:16: in expression: unexpected character '$'");
}

TEST(LoaderOperatorTest, ExpressionErrorInFoldedPlainScalar) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "streams:\n  s:\n    from: numbers\n    ops:\n"
                                                  "      - map: if(x > 1,\n"
                                                  "          x $ 2, 0)\n"),
            "t.yaml:8:13: in expression: unexpected character '$'");
}

TEST(LoaderOperatorTest, NameNotAvailableInTheOperator) {
  EXPECT_EQ(ErrorOf(WithOps("[{reduceByKey: \"a + x\"}]")),
            "t.yaml:4:47: 'x' is not available in reduceByKey; it can use a, b");
  EXPECT_EQ(ErrorOf(WithOps("[{map: \"(k, 1)\"}]")),
            "t.yaml:4:36: 'k' is not available in map; it can use x");
  EXPECT_EQ(ErrorOf(WithOps("[{mapPartitions: \"len(x)\"}]")),
            "t.yaml:4:49: 'x' is not available in mapPartitions; it can use xs");
}

TEST(LoaderOperatorTest, NameInsideAStringLiteralIsNotAUse) {
  // "x" inside the quotes is text; the offending name is the a after them.
  EXPECT_EQ(ErrorOf(WithOps("[{filter: 'x == \"a\" || a'}]")),
            "t.yaml:4:50: 'a' is not available in filter; it can use x");
}

TEST(LoaderOperatorTest, TransformsNestAtMostEightDeep) {
  std::string ops = "[count]";
  for (int i = 0; i < 9; ++i) ops = "[{transform: " + ops + "}]";
  EXPECT_EQ(ErrorOf(WithOps(ops)), "t.yaml:4:144: transforms nest more than 8 deep");
}

TEST(LoaderOperatorTest, StreamOperatorsAreNotAllowedInsideTransform) {
  EXPECT_EQ(ErrorOf(WithOps("[{transform: [{window: 3s}]}]")),
            "t.yaml:4:42: 'window' works on a stream, not on one batch's RDD: it cannot be used "
            "inside transform or transformWith");
  EXPECT_EQ(ErrorOf(WithOps("[{transformWith: {other: numbers, ops: [stateSnapshots]}}]")),
            "t.yaml:4:67: 'stateSnapshots' works on a stream, not on one batch's RDD: it cannot "
            "be used inside transform or transformWith");
}

TEST(LoaderOperatorTest, WindowAndSlideArePositiveDurations) {
  EXPECT_EQ(ErrorOf(WithOps("[{window: 0s}]")), "t.yaml:4:37: 'window' must be greater than 0");
  EXPECT_EQ(ErrorOf(WithOps("[{countByWindow: {window: 2s, slide: 0ms}}]")),
            "t.yaml:4:64: 'slide' must be greater than 0");
  EXPECT_EQ(ErrorOf(WithOps("[{groupByKeyAndWindow: {window: long}}]")),
            "t.yaml:4:59: expected a duration like 1s or 200ms, got 'long'");
}

TEST(LoaderOperatorTest, WindowOperatorsNeedAWindow) {
  EXPECT_EQ(ErrorOf(WithOps("[{countByWindow: {slide: 1s}}]")),
            "t.yaml:4:44: missing key 'window' in countByWindow");
  EXPECT_EQ(ErrorOf(WithOps("[{reduceByWindow: {window: 2s}}]")),
            "t.yaml:4:45: missing key 'func' in reduceByWindow");
  EXPECT_EQ(ErrorOf(WithOps("[{countByValueAndWindow: 2s}]")),
            "t.yaml:4:52: expected a mapping for countByValueAndWindow, got '2s'");
}

TEST(LoaderOperatorTest, WindowOperatorsTakeOnlyTheirKeys) {
  EXPECT_EQ(ErrorOf(WithOps("[{reduceByWindow: {func: \"a + b\", window: 2s, partitions: 2}}]")),
            "t.yaml:4:73: unknown key 'partitions' in reduceByWindow");
  EXPECT_EQ(ErrorOf(WithOps("[{countByWindow: {window: 2s, slid: 1s}}]")),
            "t.yaml:4:57: unknown key 'slid' in countByWindow; did you mean 'slide'?");
  EXPECT_EQ(ErrorOf(WithOps("[{updateStateByKey: {func: state, timeout: 1s}}]")),
            "t.yaml:4:61: unknown key 'timeout' in updateStateByKey");
  EXPECT_EQ(ErrorOf(WithOps("[{stateSnapshots: 1}]")),
            "t.yaml:4:45: 'stateSnapshots' takes no argument");
}

TEST(LoaderOperatorTest, NamesTheWindowAndStateFunctionsMayUse) {
  EXPECT_EQ(ErrorOf(WithOps("[{reduceByKeyAndWindow: {func: \"a + b\", inverse: \"a - x\", "
                            "window: 2s}}]")),
            "t.yaml:4:81: 'x' is not available in reduceByKeyAndWindow; it can use a, b");
  EXPECT_EQ(ErrorOf(WithOps("[{reduceByKeyAndWindow: {func: \"a + b\", window: 2s, "
                            "filter: \"v > a\"}}]")),
            "t.yaml:4:92: 'a' is not available in the filter of reduceByKeyAndWindow; it can use "
            "k, v, x");
  EXPECT_EQ(ErrorOf(WithOps("[{updateStateByKey: \"v\"}]")),
            "t.yaml:4:48: 'v' is not available in updateStateByKey; it can use values, state, k");
  EXPECT_EQ(ErrorOf(WithOps("[{mapWithState: \"(k, values)\"}]")),
            "t.yaml:4:48: 'values' is not available in mapWithState; it can use k, v, state, "
            "timing_out");
  EXPECT_EQ(ErrorOf(WithOps("[{reduceByWindow: {func: \"a + k\", window: 2s}}]")),
            "t.yaml:4:57: 'k' is not available in reduceByWindow; it can use a, b");
}

TEST(LoaderOperatorTest, TimeoutIsAPositiveDuration) {
  EXPECT_EQ(ErrorOf(WithOps("[{mapWithState: {func: \"v\", timeout: 0s}}]")),
            "t.yaml:4:64: 'timeout' must be greater than 0");
}

TEST(LoaderOperatorTest, InitialStateIsAListOfPairs) {
  EXPECT_EQ(ErrorOf(WithOps("[{updateStateByKey: {func: state, initial: a}}]")),
            "t.yaml:4:70: expected a sequence, got 'a'");
  EXPECT_EQ(ErrorOf(WithOps("[{updateStateByKey: {func: state, initial: [[a, 1], b]}}]")),
            "t.yaml:4:79: expected a [key, state] pair, got 'b'");
  EXPECT_EQ(ErrorOf(WithOps("[{mapWithState: {func: v, initial: [[a, 1, 2]]}}]")),
            "t.yaml:4:63: expected a [key, state] pair, got a sequence of 3 items");
  EXPECT_EQ(ErrorOf(WithOps("[{mapWithState: {func: v, initial: [[a, {b: 1}]]}}]")),
            "t.yaml:4:67: expected a record (a scalar, or a sequence for a tuple), got a mapping");
}

// ---------------------------------------------------------------------------------------------
// Windows, state and checkpoints across the graph.

// A scenario with `streaming` (a flow mapping) on line 1, the numbers source, and on line 5 one
// stream `s` whose `ops` start at column 27 (so its first operator starts at column 28), printed.
std::string Pipeline(const std::string& streaming, const std::string& ops,
                     const std::string& more_streams = "") {
  return "streaming: " + streaming + "\n" + kNumbersSource +
         "streams:\n  s: {from: numbers, ops: " + ops + "}\n" + more_streams +
         "outputs:\n  - {stream: s, print: 1}\n";
}

constexpr char kWithCheckpoint[] = "{checkpoint: cp}";

TEST(LoaderStateTest, StateSnapshotsMustFollowMapWithState) {
  EXPECT_EQ(ErrorOf(Pipeline(kWithCheckpoint, "[{map: \"(x, 1)\"}, stateSnapshots]")),
            "t.yaml:5:45: stateSnapshots must follow mapWithState");
  EXPECT_EQ(ErrorOf(Pipeline(kWithCheckpoint, "[stateSnapshots]")),
            "t.yaml:5:28: stateSnapshots must follow mapWithState");
  EXPECT_EQ(ErrorOf(Pipeline(kWithCheckpoint, "[{mapWithState: v}, count, stateSnapshots]")),
            "t.yaml:5:54: stateSnapshots must follow mapWithState");
}

TEST(LoaderStateTest, StateSnapshotsMayReadTheMapWithStateOfItsFromStream) {
  const Scenario scenario = Loaded(Pipeline(kWithCheckpoint, "[{mapWithState: v}]",
                                            "  same: {from: s}\n"
                                            "  snapshots: {from: same, ops: [stateSnapshots]}\n"));
  ASSERT_EQ(scenario.streams.size(), 3u);
  EXPECT_EQ(scenario.streams[2].ops.at(0).name, "stateSnapshots");
}

TEST(LoaderSlideTest, WindowMustBeAMultipleOfTheParentsSlide) {
  EXPECT_EQ(ErrorOf(Pipeline("{batch_interval: 2s}", "[{window: 3s}]")),
            "t.yaml:5:37: The window duration of windowed DStream (3000 ms) must be a multiple of "
            "the slide duration of parent DStream (2000 ms)");
}

TEST(LoaderSlideTest, SlideMustBeAMultipleOfTheParentsSlide) {
  EXPECT_EQ(ErrorOf(Pipeline("{batch_interval: 1s}",
                             "[{groupByKeyAndWindow: {window: 3s, slide: 1500ms}}]")),
            "t.yaml:5:70: The slide duration of windowed DStream (1500 ms) must be a multiple of "
            "the slide duration of parent DStream (1000 ms)");
}

TEST(LoaderSlideTest, SubMillisecondDurationsKeepTheirFraction) {
  EXPECT_EQ(ErrorOf(Pipeline("{batch_interval: 1ms}", "[{window: 1500us}]")),
            "t.yaml:5:37: The window duration of windowed DStream (1.5 ms) must be a multiple of "
            "the slide duration of parent DStream (1 ms)");
}

TEST(LoaderSlideTest, AWindowChangesTheSlideForTheRestOfTheChain) {
  EXPECT_EQ(ErrorOf(Pipeline(kWithCheckpoint,
                             "[{window: {window: 4s, slide: 2s}}, "
                             "{countByWindow: {window: 4s, slide: 1s}}]")),
            "t.yaml:5:99: The slide duration of windowed DStream (1000 ms) must be a multiple of "
            "the slide duration of parent DStream (2000 ms)");
  // Without a slide, a window keeps its parent's.
  EXPECT_EQ(ErrorOf(Pipeline("{}",
                             "[{window: {window: 4s, slide: 2s}}, {window: 4s}, "
                             "{reduceByWindow: {func: \"a + b\", window: 3s}}]")),
            "t.yaml:5:118: The window duration of windowed DStream (3000 ms) must be a multiple of "
            "the slide duration of parent DStream (2000 ms)");
}

TEST(LoaderSlideTest, AStreamReadsTheSlideOfItsFrom) {
  EXPECT_EQ(ErrorOf(Pipeline("{}", "[{window: {window: 4s, slide: 2s}}]",
                             "  t: {from: s, ops: [{window: 5s}]}\n")),
            "t.yaml:6:31: The window duration of windowed DStream (5000 ms) must be a multiple of "
            "the slide duration of parent DStream (2000 ms)");
}

TEST(LoaderSlideTest, CombinedStreamsMustHaveTheSameSlide) {
  const std::string windowed = "  w: {from: numbers, ops: [{window: {window: 2s, slide: 2s}}]}\n";
  EXPECT_EQ(ErrorOf(Pipeline("{}", "[{union: w}]", windowed)),
            "t.yaml:5:36: Some of the DStreams have different slide durations");
  EXPECT_EQ(
      ErrorOf(Pipeline("{}", "[{map: \"(x, 1)\"}, {join: {other: w, partitions: 2}}]", windowed)),
      "t.yaml:5:60: Some of the DStreams have different slide durations");
  EXPECT_EQ(ErrorOf(Pipeline("{}", "[{transform: [{cogroup: w}]}]", windowed)),
            "t.yaml:5:51: Some of the DStreams have different slide durations");
  // After a window of the same slide, the union is fine.
  EXPECT_EQ(ErrorOf(Pipeline("{}", "[{window: {window: 4s, slide: 2s}}, {union: w}]", windowed)),
            "loaded");
}

TEST(LoaderCheckpointTest, StatefulOperatorsNeedTheCheckpointDirectory) {
  const std::vector<std::string> stateful = {
      "{updateStateByKey: \"sum(values)\"}",
      "{mapWithState: \"v\"}",
      "{reduceByKeyAndWindow: {func: \"a + b\", inverse: \"a - b\", window: 2s}}",
      "{reduceByWindow: {func: \"a + b\", inverse: \"a - b\", window: 2s}}",
      "{countByWindow: {window: 2s}}",
      "{countByValueAndWindow: {window: 2s}}",
  };
  for (const std::string& op : stateful) {
    EXPECT_EQ(ErrorOf(Pipeline("{}", "[count, " + op + "]")),
              "t.yaml:5:36: The checkpoint directory has not been set. Please set it by "
              "StreamingContext.checkpoint().")
        << op;
    EXPECT_EQ(ErrorOf(Pipeline(kWithCheckpoint, "[count, " + op + "]")), "loaded") << op;
  }
}

TEST(LoaderCheckpointTest, WindowsWithoutStateNeedNoCheckpoint) {
  EXPECT_EQ(ErrorOf(Pipeline("{}",
                             "[{window: 2s}, {groupByKeyAndWindow: {window: 2s}}, "
                             "{reduceByKeyAndWindow: {func: \"a + b\", window: 2s}}, "
                             "{reduceByWindow: {func: \"a + b\", window: 2s}}]")),
            "loaded");
}

TEST(LoaderCheckpointTest, IntervalLowerThanTheSlide) {
  EXPECT_EQ(ErrorOf(Pipeline("{checkpoint: {dir: cp, interval: 500ms}}",
                             "[{updateStateByKey: \"sum(values)\"}]")),
            "t.yaml:1:45: The checkpoint interval for s has been set to 500 ms which is lower than "
            "its slide time (1000 ms). Please set it to at least 1000 ms.");
}

TEST(LoaderCheckpointTest, IntervalNotAMultipleOfTheSlide) {
  EXPECT_EQ(ErrorOf(Pipeline("{checkpoint: {dir: cp, interval: 15s}}",
                             "[{reduceByKeyAndWindow: {func: \"a + b\", inverse: \"a - b\", "
                             "window: 30s, slide: 10s}}]")),
            "t.yaml:1:45: The checkpoint interval for s has been set to 15000 ms which not a "
            "multiple of its slide time (10000 ms). Please set it to a multiple of 10000 ms.");
  // The slide that counts is the stateful stream's own: 15 s is a multiple of the batch's 1 s.
  EXPECT_EQ(ErrorOf(Pipeline("{checkpoint: {dir: cp, interval: 15s}}",
                             "[{mapWithState: v}, {window: {window: 10s, slide: 10s}}]")),
            "loaded");
}

// ---------------------------------------------------------------------------------------------
// Outputs.

TEST(LoaderOutputTest, NoOutputsIsSparksError) {
  EXPECT_EQ(ErrorOf(kNumbersSource),
            "t.yaml:1:1: No output operations registered, so nothing to execute");
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "outputs: []\n"),
            "t.yaml:1:1: No output operations registered, so nothing to execute");
}

TEST(LoaderOutputTest, OutputNeedsAnAction) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "outputs:\n  - stream: numbers\n"),
            "t.yaml:4:5: output 1 needs one of print, collect, saveAsTextFiles, foreachRDD, sink");
}

TEST(LoaderOutputTest, OutputDoesOneThing) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) +
                    "outputs:\n  - {stream: numbers, print: 3, collect: out}\n"),
            "t.yaml:4:33: an output does one thing; this one has both 'print' and 'collect'");
}

TEST(LoaderOutputTest, PrintTakesACountOrTrue) {
  EXPECT_EQ(
      ErrorOf(std::string(kNumbersSource) + "outputs:\n  - {stream: numbers, print: false}\n"),
      "t.yaml:4:30: expected a number of records or true, got 'false'");
}

TEST(LoaderOutputTest, OutputNamesNothing) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "outputs:\n  - {stream: nums, print: 3}\n"),
            "t.yaml:4:14: stream 'nums' names nothing: no source or stream called 'nums'");
}

TEST(LoaderOutputTest, CollectNamesAreUnique) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) + "outputs:\n"
                                                  "  - {stream: numbers, collect: out}\n"
                                                  "  - {stream: numbers, collect: out}\n"),
            "t.yaml:5:5: duplicate collect name 'out'");
}

TEST(LoaderOutputTest, SaveAsTextFilesNeedsAPrefix) {
  EXPECT_EQ(ErrorOf(std::string(kNumbersSource) +
                    "outputs:\n  - {stream: numbers, saveAsTextFiles: {suffix: txt}}\n"),
            "t.yaml:4:40: missing key 'prefix' in saveAsTextFiles");
}

TEST(LoaderOutputTest, UnknownSinkKind) {
  EXPECT_EQ(
      ErrorOf(std::string(kNumbersSource) +
              "outputs:\n  - {stream: numbers, foreachRDD: {sink: {kind: kafka, path: x}}}\n"),
      "t.yaml:4:49: unknown sink kind 'kafka'; expected one of file");
}

// ---------------------------------------------------------------------------------------------
// What loads, and into which values.

constexpr char kFullExample[] = R"yaml(name: doubled
description: "all of the format"
seed: 7
stop: {batches: 3, graceful: false}
streaming: {batch_interval: 1s, block_interval: 200ms, storage_level: MEMORY_ONLY_2, serializer: kryo}
cluster: {workers: 3, cores: 4}
network: {latency: {min: 200us, mean: 500us, max: 5ms}, bandwidth: 1Gbit/s, loss: 0.01}
cost: {task_launch: 2ms, serialization_factor: 1.5}
sources:
  numbers: {kind: queue, batches: [[1, 2], [3], [], ["4", x, 2.5, true, ~, [a, 1], [[1, 2], [3]]]], partitions: 2, one_at_a_time: false}
  lines: {kind: socket, host: example, port: 7777, rate: 200/s, generator: {kind: log_lines, error_share: 0.1}}
  files: {kind: file, dir: incoming, rate: 30/m, lines_per_file: 12, generator: {kind: words, vocabulary: [a, b], words_per_line: 4}}
streams:
  doubled: {from: numbers, ops: [{map: "x * 2"}, {filter: "x > 2"}]}
  words: {from: files, ops: [{flatMap: 'split(x, " ")'}]}
  counts: {from: words, ops: [{map: "(x, 1)"}, {reduceByKey: {func: "a + b", partitions: 4}}, count]}
  both: {from: doubled, ops: [{union: doubled}, {transform: [countByValue, {groupByKey: {partitions: 3}}]}]}
  joined: {from: counts, ops: [{transformWith: {other: counts, ops: [{join: {other: counts, partitions: 5}}]}}, {repartition: 6}]}
outputs:
  - {stream: doubled, collect: doubled_out}
  - {stream: counts, print: 10}
  - {stream: both, saveAsTextFiles: {prefix: out/x, suffix: txt}}
  - {stream: joined, foreachRDD: {sink: {kind: file, path: sinks/x}}}
  - {stream: lines, print: true}
)yaml";

TEST(LoaderFullExampleTest, Settings) {
  const Scenario scenario = Loaded(kFullExample);
  EXPECT_EQ(scenario.file, "t.yaml");
  EXPECT_EQ(scenario.name, "doubled");
  EXPECT_EQ(scenario.description, "all of the format");
  EXPECT_EQ(scenario.seed, 7u);
  EXPECT_EQ(scenario.stop.batches, 3);
  EXPECT_FALSE(scenario.stop.after.has_value());
  EXPECT_FALSE(scenario.stop.graceful);
  EXPECT_EQ(scenario.streaming.batch_interval, sim::Duration::Seconds(1));
  EXPECT_EQ(scenario.streaming.block_interval, sim::Duration::Millis(200));
  EXPECT_EQ(scenario.streaming.storage_level, "MEMORY_ONLY_2");
  EXPECT_EQ(scenario.streaming.serializer, "kryo");
  EXPECT_EQ(scenario.cluster.workers, 3);
  EXPECT_EQ(scenario.cluster.cores_per_worker, 4);
  EXPECT_EQ(scenario.network.latency_min, sim::Duration::Micros(200));
  EXPECT_EQ(scenario.network.latency_mean, sim::Duration::Micros(500));
  EXPECT_EQ(scenario.network.latency_max, sim::Duration::Millis(5));
  EXPECT_EQ(scenario.network.bandwidth_bytes_per_second, 125000000);
  EXPECT_DOUBLE_EQ(scenario.network.loss, 0.01);
  EXPECT_EQ(scenario.cost.durations.at("task_launch"), sim::Duration::Millis(2));
  EXPECT_DOUBLE_EQ(scenario.cost.factors.at("serialization_factor"), 1.5);
  EXPECT_EQ(scenario.cost.positions.at("serialization_factor").column, 26);
}

TEST(LoaderFullExampleTest, QueueSourceRecordsKeepTheirKinds) {
  const Scenario scenario = Loaded(kFullExample);
  const SourceSpec& numbers = scenario.sources.at(0);
  EXPECT_EQ(numbers.name, "numbers");
  EXPECT_EQ(numbers.kind, SourceKind::kQueue);
  EXPECT_EQ(numbers.position.line, 10);
  EXPECT_EQ(numbers.position.column, 3);
  EXPECT_EQ(numbers.partitions, 2);
  EXPECT_FALSE(numbers.one_at_a_time);
  ASSERT_EQ(numbers.batches.size(), 4u);
  EXPECT_EQ(numbers.batches[0], (std::vector<Value>{Value::Int(1), Value::Int(2)}));
  EXPECT_EQ(numbers.batches[1], (std::vector<Value>{Value::Int(3)}));
  EXPECT_TRUE(numbers.batches[2].empty());
  const std::vector<Value> expected = {
      Value::String("4"),
      Value::String("x"),
      Value::Double(2.5),
      Value::Bool(true),
      Value::Null(),
      Value::Pair(Value::String("a"), Value::Int(1)),
      Value::Pair(Value::Pair(Value::Int(1), Value::Int(2)), Value::Tuple({Value::Int(3)})),
  };
  EXPECT_EQ(numbers.batches[3], expected);
  EXPECT_EQ(numbers.batches[3][5].kind(), Value::Kind::kTuple);
}

TEST(LoaderFullExampleTest, SocketAndFileSources) {
  const Scenario scenario = Loaded(kFullExample);
  const SourceSpec& lines = scenario.sources.at(1);
  EXPECT_EQ(lines.kind, SourceKind::kSocket);
  EXPECT_EQ(lines.host, "example");
  EXPECT_EQ(lines.port, 7777);
  EXPECT_DOUBLE_EQ(lines.rate_per_second, 200);
  EXPECT_EQ(lines.generator.kind, "log_lines");
  EXPECT_DOUBLE_EQ(lines.generator.error_share, 0.1);
  const SourceSpec& files = scenario.sources.at(2);
  EXPECT_EQ(files.kind, SourceKind::kFile);
  EXPECT_EQ(files.directory, "incoming");
  EXPECT_DOUBLE_EQ(files.rate_per_second, 0.5);
  EXPECT_EQ(files.lines_per_file, 12);
  EXPECT_EQ(files.generator.kind, "words");
  EXPECT_EQ(files.generator.vocabulary, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(files.generator.words_per_line, 4);
}

TEST(LoaderFullExampleTest, StreamsAndOperators) {
  const Scenario scenario = Loaded(kFullExample);
  ASSERT_EQ(scenario.streams.size(), 5u);
  const StreamSpec& doubled = scenario.streams[0];
  EXPECT_EQ(doubled.name, "doubled");
  EXPECT_EQ(doubled.from, "numbers");
  EXPECT_EQ(doubled.from_position.line, 14);
  EXPECT_EQ(doubled.from_position.column, 19);
  ASSERT_EQ(doubled.ops.size(), 2u);
  EXPECT_EQ(doubled.ops[0].name, "map");
  EXPECT_EQ(doubled.ops[0].position.column, 35);
  ASSERT_TRUE(doubled.ops[0].func.has_value());
  EXPECT_EQ(doubled.ops[0].func->expression.text(), "x * 2");
  EXPECT_EQ(doubled.ops[0].func->position.column, 41);  // the x, inside the quotes
  const Value three = Value::Int(3);
  EXPECT_EQ(doubled.ops[0].func->expression.Evaluate({.x = &three}), Value::Int(6));
  const StreamSpec& counts = scenario.streams[2];
  ASSERT_EQ(counts.ops.size(), 3u);
  EXPECT_EQ(counts.ops[1].name, "reduceByKey");
  EXPECT_EQ(counts.ops[1].partitions, 4);
  EXPECT_EQ(counts.ops[1].func->expression.text(), "a + b");
  EXPECT_EQ(counts.ops[2].name, "count");
  EXPECT_FALSE(counts.ops[2].func.has_value());
}

TEST(LoaderFullExampleTest, NestedOperators) {
  const Scenario scenario = Loaded(kFullExample);
  const StreamSpec& both = scenario.streams[3];
  ASSERT_EQ(both.ops.size(), 2u);
  EXPECT_EQ(both.ops[0].name, "union");
  EXPECT_EQ(both.ops[0].other, "doubled");
  const OperatorSpec& transform = both.ops[1];
  EXPECT_EQ(transform.name, "transform");
  ASSERT_EQ(transform.ops.size(), 2u);
  EXPECT_EQ(transform.ops[0].name, "countByValue");
  EXPECT_FALSE(transform.ops[0].partitions.has_value());
  EXPECT_EQ(transform.ops[1].name, "groupByKey");
  EXPECT_EQ(transform.ops[1].partitions, 3);
  const StreamSpec& joined = scenario.streams[4];
  ASSERT_EQ(joined.ops.size(), 2u);
  const OperatorSpec& transform_with = joined.ops[0];
  EXPECT_EQ(transform_with.name, "transformWith");
  EXPECT_EQ(transform_with.other, "counts");
  ASSERT_EQ(transform_with.ops.size(), 1u);
  EXPECT_EQ(transform_with.ops[0].name, "join");
  EXPECT_EQ(transform_with.ops[0].other, "counts");
  EXPECT_EQ(transform_with.ops[0].partitions, 5);
  EXPECT_EQ(joined.ops[1].name, "repartition");
  EXPECT_EQ(joined.ops[1].partitions, 6);
}

TEST(LoaderFullExampleTest, Outputs) {
  const Scenario scenario = Loaded(kFullExample);
  ASSERT_EQ(scenario.outputs.size(), 5u);
  EXPECT_EQ(scenario.outputs[0].kind, scenarios::OutputKind::kCollect);
  EXPECT_EQ(scenario.outputs[0].collect_name, "doubled_out");
  EXPECT_EQ(scenario.outputs[0].position.line, 20);
  EXPECT_EQ(scenario.outputs[1].kind, scenarios::OutputKind::kPrint);
  EXPECT_EQ(scenario.outputs[1].print_count, 10);
  EXPECT_EQ(scenario.outputs[2].kind, scenarios::OutputKind::kSaveAsTextFiles);
  EXPECT_EQ(scenario.outputs[2].prefix, "out/x");
  EXPECT_EQ(scenario.outputs[2].suffix, "txt");
  EXPECT_EQ(scenario.outputs[3].kind, scenarios::OutputKind::kForeachRdd);
  EXPECT_EQ(scenario.outputs[3].sink_kind, scenarios::SinkKind::kFile);
  EXPECT_EQ(scenario.outputs[3].sink_path, "sinks/x");
  EXPECT_EQ(scenario.outputs[4].stream, "lines");
  EXPECT_EQ(scenario.outputs[4].print_count, 10);
}

// Every window, state, checkpoint and fault spelling of the format.
constexpr char kStatefulExample[] =
    R"yaml(streaming: {batch_interval: 1s, checkpoint: {dir: checkpoints/app, interval: 10s}, supervise: true, cleaner_ttl: 5s, unpersist: false, remember: 60s}
faults: [{at: 45s, crash: driver, restart_after: 5s}, {at: 20s, crash: driver}]
sources:
  pairs: {kind: queue, batches: [[[a, 1], [b, 2]]]}
streams:
  windows:
    from: pairs
    ops:
      - {window: {window: 3s, slide: 1s}}
      - {reduceByWindow: {func: "a + b", window: 3s, slide: 1s}}
      - {reduceByWindow: {func: "a + b", inverse: "a - b", window: 3s, slide: 1s}}
      - {reduceByKeyAndWindow: {func: "a + b", inverse: "a - b", window: 30s, slide: 10s, partitions: 2, filter: "v != 0"}}
  counts:
    from: pairs
    ops: [{countByWindow: {window: 3s, slide: 1s}}, {countByValueAndWindow: {window: 3s, slide: 1s}}, {groupByKeyAndWindow: {window: 3s}}]
  state:
    from: pairs
    ops:
      - {updateStateByKey: "if(len(values) == 0, state, sum(values) + if(state == null, 0, state))"}
      - {updateStateByKey: {func: "state", initial: [["a", 1]], partitions: 2}}
      - {mapWithState: {func: "(v, if(state == null, 0, state) + v)", timeout: 30s, initial: [["a", 0]]}}
      - stateSnapshots
outputs:
  - {stream: windows, print: 1}
  - {stream: counts, print: 1}
  - {stream: state, print: 1}
)yaml";

TEST(LoaderStatefulExampleTest, StreamingSettings) {
  const StreamingSpec streaming = Loaded(kStatefulExample).streaming;
  EXPECT_EQ(streaming.checkpoint_dir, "checkpoints/app");
  EXPECT_EQ(streaming.checkpoint_interval, sim::Duration::Seconds(10));
  EXPECT_EQ(streaming.checkpoint_position.line, 1);
  EXPECT_EQ(streaming.checkpoint_position.column, 45);
  EXPECT_EQ(streaming.checkpoint_interval_position.column, 78);
  EXPECT_TRUE(streaming.supervise);
  EXPECT_EQ(streaming.cleaner_ttl, sim::Duration::Seconds(5));
  EXPECT_EQ(streaming.cleaner_ttl_position.column, 114);
  EXPECT_FALSE(streaming.unpersist);
  EXPECT_EQ(streaming.remember, sim::Duration::Seconds(60));
}

TEST(LoaderStatefulExampleTest, CheckpointMayBeJustADirectory) {
  const StreamingSpec streaming =
      Loaded(std::string("streaming: {checkpoint: checkpoints/app}") + kMinimalPipeline).streaming;
  EXPECT_EQ(streaming.checkpoint_dir, "checkpoints/app");
  EXPECT_FALSE(streaming.checkpoint_interval.has_value());
  EXPECT_EQ(streaming.checkpoint_position.column, 25);
}

TEST(LoaderStatefulExampleTest, DefaultsWithoutCheckpointsOrFaults) {
  const Scenario scenario = Loaded(kMinimalPipeline);
  EXPECT_FALSE(scenario.streaming.checkpoint_dir.has_value());
  EXPECT_FALSE(scenario.streaming.checkpoint_interval.has_value());
  EXPECT_FALSE(scenario.streaming.supervise);
  EXPECT_FALSE(scenario.streaming.cleaner_ttl.has_value());
  EXPECT_TRUE(scenario.streaming.unpersist);
  EXPECT_FALSE(scenario.streaming.remember.has_value());
  EXPECT_TRUE(scenario.faults.empty());
}

TEST(LoaderStatefulExampleTest, FaultsAreSortedByTime) {
  const std::vector<FaultSpec> faults = Loaded(kStatefulExample).faults;
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0].fault.at, sim::Duration::Seconds(20));
  EXPECT_EQ(faults[0].fault.kind, faults::Fault::Kind::kCrashDriver);
  EXPECT_FALSE(faults[0].fault.restart_after.has_value());
  EXPECT_EQ(faults[0].position.column, 55);
  EXPECT_EQ(faults[1].fault.at, sim::Duration::Seconds(45));
  EXPECT_EQ(faults[1].fault.restart_after, sim::Duration::Seconds(5));
  EXPECT_EQ(faults[1].position.line, 2);
  EXPECT_EQ(faults[1].position.column, 10);
}

TEST(LoaderStatefulExampleTest, WindowOperators) {
  const std::vector<OperatorSpec> ops = Loaded(kStatefulExample).streams.at(0).ops;
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0].name, "window");
  EXPECT_EQ(ops[0].window, sim::Duration::Seconds(3));
  EXPECT_EQ(ops[0].window_position.line, 9);
  EXPECT_EQ(ops[0].window_position.column, 27);
  EXPECT_EQ(ops[0].slide, sim::Duration::Seconds(1));
  EXPECT_EQ(ops[0].slide_position.column, 38);
  EXPECT_EQ(ops[1].name, "reduceByWindow");
  EXPECT_EQ(ops[1].func->expression.text(), "a + b");
  EXPECT_FALSE(ops[1].inverse.has_value());
  ASSERT_TRUE(ops[2].inverse.has_value());
  EXPECT_EQ(ops[2].inverse->expression.text(), "a - b");
  EXPECT_EQ(ops[2].inverse->position.column, 52);
  const OperatorSpec& by_key = ops[3];
  EXPECT_EQ(by_key.name, "reduceByKeyAndWindow");
  EXPECT_EQ(by_key.window, sim::Duration::Seconds(30));
  EXPECT_EQ(by_key.slide, sim::Duration::Seconds(10));
  EXPECT_EQ(by_key.partitions, 2);
  ASSERT_TRUE(by_key.filter.has_value());
  EXPECT_EQ(by_key.filter->expression.text(), "v != 0");
  const Value zero = Value::Int(0);
  EXPECT_EQ(by_key.filter->expression.Evaluate({.v = &zero}), Value::Bool(false));
}

TEST(LoaderStatefulExampleTest, CountingAndGroupingWindows) {
  const std::vector<OperatorSpec> ops = Loaded(kStatefulExample).streams.at(1).ops;
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].name, "countByWindow");
  EXPECT_EQ(ops[0].window, sim::Duration::Seconds(3));
  EXPECT_EQ(ops[1].name, "countByValueAndWindow");
  EXPECT_EQ(ops[1].slide, sim::Duration::Seconds(1));
  EXPECT_FALSE(ops[1].partitions.has_value());
  EXPECT_EQ(ops[2].name, "groupByKeyAndWindow");
  EXPECT_FALSE(ops[2].slide.has_value());
  EXPECT_FALSE(ops[2].func.has_value());
}

TEST(LoaderStatefulExampleTest, StateOperators) {
  const std::vector<OperatorSpec> ops = Loaded(kStatefulExample).streams.at(2).ops;
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0].name, "updateStateByKey");
  const Value values = Value::List({Value::Int(2), Value::Int(3)});
  const Value state = Value::Int(10);
  EXPECT_EQ(ops[0].func->expression.Evaluate({.values = &values, .state = &state}), Value::Int(15));
  EXPECT_TRUE(ops[0].initial.empty());
  EXPECT_EQ(ops[1].initial, (std::vector<Value>{Value::Pair(Value::String("a"), Value::Int(1))}));
  EXPECT_EQ(ops[1].partitions, 2);
  EXPECT_EQ(ops[2].name, "mapWithState");
  EXPECT_EQ(ops[2].timeout, sim::Duration::Seconds(30));
  EXPECT_EQ(ops[2].initial, (std::vector<Value>{Value::Pair(Value::String("a"), Value::Int(0))}));
  EXPECT_FALSE(ops[2].partitions.has_value());
  EXPECT_EQ(ops[3].name, "stateSnapshots");
  EXPECT_EQ(ops[3].position.line, 22);
  EXPECT_EQ(ops[3].position.column, 9);
}

TEST(LoaderDefaultsTest, MinimalScenarioTakesTheDefaults) {
  const Scenario scenario = Loaded(kMinimalPipeline, "dir/my_case.yaml");
  EXPECT_EQ(scenario.name, "my_case");
  EXPECT_EQ(scenario.seed, 1u);
  EXPECT_EQ(scenario.stop.batches, 10);
  EXPECT_TRUE(scenario.stop.graceful);
  EXPECT_EQ(scenario.streaming.batch_interval, sim::Duration::Seconds(1));
  EXPECT_EQ(scenario.streaming.storage_level, "MEMORY_AND_DISK_SER_2");
  EXPECT_EQ(scenario.cluster.workers, 2);
  EXPECT_EQ(scenario.network.bandwidth_bytes_per_second, 125000000);
  EXPECT_EQ(scenario.sources.at(0).partitions, 1);
  EXPECT_EQ(scenario.outputs.at(0).print_count, 10);
}

TEST(LoaderDefaultsTest, SocketGetsTheLogLinesGenerator) {
  const Scenario scenario = Loaded(
      "sources:\n  lines: {kind: socket, port: 9999, rate: 5}\n"
      "outputs:\n  - {stream: lines, print: 1}\n");
  EXPECT_EQ(scenario.sources.at(0).generator.kind, "log_lines");
  EXPECT_EQ(scenario.sources.at(0).host, "localhost");
  EXPECT_DOUBLE_EQ(scenario.sources.at(0).rate_per_second, 5);
}

TEST(LoaderValuesTest, RatesBandwidthsAndLatencies) {
  const std::string pipeline = kMinimalPipeline;
  EXPECT_EQ(Loaded("network: {bandwidth: 125MB/s}" + pipeline).network.bandwidth_bytes_per_second,
            125000000);
  EXPECT_EQ(Loaded("network: {bandwidth: 100Mbit/s}" + pipeline).network.bandwidth_bytes_per_second,
            12500000);
  EXPECT_EQ(Loaded("network: {bandwidth: 1000000}" + pipeline).network.bandwidth_bytes_per_second,
            1000000);
  const Scenario fixed_latency = Loaded("network: {latency: 1ms}" + pipeline);
  EXPECT_EQ(fixed_latency.network.latency_min, sim::Duration::Millis(1));
  EXPECT_EQ(fixed_latency.network.latency_max, sim::Duration::Millis(1));
  const Scenario by_time = Loaded("stop: {after: 1.5m}" + pipeline);
  EXPECT_EQ(by_time.stop.after, sim::Duration::Seconds(90));
  EXPECT_FALSE(by_time.stop.batches.has_value());
}

TEST(LoaderValuesTest, GeneratorsOfEveryKind) {
  const Scenario scenario = Loaded(R"yaml(sources:
  a: {kind: socket, port: 1, rate: 0.5/s, generator: {kind: access_log, ips: 7}}
  b: {kind: socket, port: 2, rate: 60/m, generator: {kind: integers, min: -3, max: 3}}
  c: {kind: file, dir: d, rate: 3600/h, generator: {kind: lines, lines: [one, "two"]}}
outputs:
  - {stream: a, print: 1}
)yaml");
  EXPECT_EQ(scenario.sources[0].generator.ip_count, 7);
  EXPECT_DOUBLE_EQ(scenario.sources[0].rate_per_second, 0.5);
  EXPECT_EQ(scenario.sources[1].generator.min, -3);
  EXPECT_EQ(scenario.sources[1].generator.max, 3);
  EXPECT_DOUBLE_EQ(scenario.sources[1].rate_per_second, 1);
  EXPECT_EQ(scenario.sources[2].generator.lines, (std::vector<std::string>{"one", "two"}));
  EXPECT_DOUBLE_EQ(scenario.sources[2].rate_per_second, 1);
}

TEST(LoaderValuesTest, NamesEachOperatorMayUse) {
  const Scenario scenario = Loaded(
      WithOps("[{mapValues: \"(k, v + 1, x)\"}, {flatMapValues: \"[v]\"}, {mapPartitions: \"xs\"}, "
              "{reduce: \"a + b\"}]") +
      "outputs:\n  - {stream: s, print: 1}\n");
  EXPECT_EQ(scenario.streams.at(0).ops.size(), 4u);
}

// ---------------------------------------------------------------------------------------------
// Bad input never crashes.

TEST(LoaderRobustnessTest, EveryPrefixOfAScenarioLoadsOrFailsWithAPosition) {
  for (const std::string full : {kFullExample, kStatefulExample}) {
    for (size_t length = 0; length < full.size(); ++length) {
      const LoadResult<Scenario> loaded = LoadScenarioText(full.substr(0, length), "t.yaml");
      if (loaded.ok()) continue;
      const LoadError& error = loaded.error();
      EXPECT_GE(error.position.line, 1) << "prefix of " << length << ": " << error.ToString();
      EXPECT_GE(error.position.column, 1) << "prefix of " << length << ": " << error.ToString();
      EXPECT_FALSE(error.message.empty());
    }
  }
}

TEST(LoaderRobustnessTest, ByteSoupFailsCleanly) {
  EXPECT_EQ(ErrorOf("\x01\x02: [\xff"), "t.yaml:1:1: invalid YAML: end of sequence flow not found");
  EXPECT_EQ(ErrorOf(std::string(200, '[')),
            "t.yaml:1:1: invalid YAML: end of sequence flow not found");
}

TEST(LoaderRobustnessTest, DeepNestingFailsWithoutExhaustingTheStack) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(ErrorOf("sources:\n  q: {kind: queue, batches: [" + deep + "]}\n"),
            "t.yaml:2:200031: invalid YAML: nested too deeply");
  const std::string nested = std::string(40, '[') + std::string(40, ']');
  EXPECT_EQ(ErrorOf("sources:\n  q: {kind: queue, batches: [[" + nested + "]]}\n"),
            "t.yaml:2:63: records nest more than 32 deep");
}

// ---------------------------------------------------------------------------------------------
// The shipped scenarios.

TEST(LoaderLibraryTest, EveryShippedScenarioLoads) {
  const std::filesystem::path library =
      std::filesystem::path(STREAMSIM_SOURCE_DIR) / "scenarios" / "library";
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(library)) {
    for (const auto& entry : std::filesystem::directory_iterator(library)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& file : files) {
    const LoadResult<Scenario> loaded = LoadScenarioFile(file.string());
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
  }
}

}  // namespace
}  // namespace streamsim::scenarios
