// The Kafka direct stream (KafkaUtils.createDirectStream): an input DStream with no receiver. At
// each batch time the driver decides, per Kafka partition, the range of offsets [from, until) the
// batch reads: from the offsets where the previous batch stopped up to the partition's latest
// offset — or, with maxRatePerPartition, at most max(1, rate x batch seconds) records per
// partition. The batch's RDD (KafkaRdd) has one partition per Kafka partition, and its tasks read
// their range from the topic on the executors. The topic is reached through what a Kafka client
// sees of it (protocols/kafka.h).
//
// The decision is made once, at generation, and remembered per batch time; the ranges of every
// remembered batch and the offsets the next batch starts from go into the metadata checkpoint
// (SavePosition / RestorePosition). A restarted driver therefore re-runs a batch over exactly the
// same ranges, and the first batch generated after a down time starts where the checkpoint left
// off: without a rate limit it takes the whole backlog at once, as in Spark. Since the broker keeps
// the records (until retention deletes them), every record is read exactly once by the batches
// that complete: exactly-once input under worker and driver failures.
//
// A batch's allocation in the run's ledger is its ranges' records, (partition, offset) in range
// order under the topic's source index, handed over when the batch's RDD is made.
//
// Where this departs from Spark: when the broker is down at a batch's generation, Spark's driver
// fails to fetch the latest offsets and reports an error that stops the context; here the batch
// reads nothing new (its ranges are empty), a warning says so, and the next batch takes what
// accumulated (the job generator has no error path for a failed generation yet).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/core/rdd.h"
#include "engine/streaming/dstream.h"
#include "ledger/source_ledger.h"
#include "protocols/kafka.h"
#include "simulator/world.h"

namespace streamsim::engine {

// Where a direct stream starts reading when it has no checkpoint (auto.offset.reset): the latest
// offsets (Spark's default, "largest") or the oldest records still held ("smallest").
enum class KafkaStartingOffsets { kLatest, kEarliest };

struct KafkaDirectConfig {
  std::string name;  // the source's (and the stream's) name
  // spark.streaming.kafka.maxRatePerPartition, records per second per partition; 0: unlimited.
  double max_rate_per_partition = 0;
  KafkaStartingOffsets start = KafkaStartingOffsets::kLatest;
};

// One Kafka partition's share of a batch: offsets [from, until).
struct KafkaOffsetRange {
  int partition = 0;
  int64_t from = 0;
  int64_t until = 0;

  int64_t count() const { return until - from; }
  friend bool operator==(const KafkaOffsetRange&, const KafkaOffsetRange&) = default;
};

// One partition per offset range; a task reads its range from the topic and fails (and is
// retried, as any task) when the topic is unavailable or retention deleted part of the range.
class KafkaRdd : public Rdd {
 public:
  KafkaRdd(std::string name, const protocols::KafkaTopic* topic,
           std::vector<KafkaOffsetRange> ranges);
  // The values of the range's records, in offset order (each record is the message's value).
  TaskResult<Values> Compute(int partition, TaskContext& context) const override;
  const std::vector<KafkaOffsetRange>& ranges() const { return ranges_; }

 private:
  const protocols::KafkaTopic* topic_;
  std::vector<KafkaOffsetRange> ranges_;
};

class DirectKafkaInputDStream : public DStream {
 public:
  using Warn = std::function<void(const std::string& message)>;
  // Reads `topic` (REQUIRES: outlives the stream), whose records are known in the run's ledger
  // through `topic_ledger`. REQUIRES: config.max_rate_per_partition >= 0.
  DirectKafkaInputDStream(const KafkaDirectConfig& config, sim::Duration slide,
                          protocols::KafkaTopic* topic, SourceLedger topic_ledger,
                          sim::World* world, Warn warn);

  // A fresh start (no checkpoint): the next batch reads from the starting offsets.
  void Initialize(sim::Instant zero_time) override;
  int64_t InputRecords(sim::Instant t) const override;
  void ClearVolatileState() override;
  nlohmann::json SavePosition() const override;
  void RestorePosition(const nlohmann::json& position) override;

  const protocols::KafkaTopic& topic() const { return *topic_; }
  // The offsets the next new batch starts from, one per partition (Spark's currentOffsets).
  const std::vector<int64_t>& current_offsets() const { return current_; }
  // The ranges of the remembered batches.
  const std::map<sim::Instant, std::vector<KafkaOffsetRange>>& ranges() const { return ranges_at_; }

 protected:
  RddPtr Compute(sim::Instant t) override;
  void ForgetUpTo(sim::Instant limit) override;

 private:
  std::vector<KafkaOffsetRange> DecideRanges(sim::Instant t);
  // Records per partition per batch under maxRatePerPartition, or -1 when unlimited.
  int64_t MaxRecordsPerPartition() const;
  void RecordRanges(sim::Instant t, const std::vector<KafkaOffsetRange>& ranges, bool again);
  InputAllocation AllocationOf(sim::Instant t, const std::vector<KafkaOffsetRange>& ranges) const;

  protocols::KafkaTopic* topic_;
  SourceLedger topic_ledger_;
  sim::World* world_;
  Warn warn_;
  double max_rate_per_partition_;
  KafkaStartingOffsets start_;
  std::vector<int64_t> current_;  // empty until initialised or restored
  std::map<sim::Instant, std::vector<KafkaOffsetRange>> ranges_at_;
};

}  // namespace streamsim::engine
