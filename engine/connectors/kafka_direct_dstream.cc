// The Kafka direct stream: offset ranges decided per batch on the driver, kept in the checkpoint,
// read by KafkaRdd tasks on the executors. Also StreamingContext::KafkaDirectStream, which builds
// the stream over the topic it reads (kept here, beside the stream, as job_generator.cc and
// driver_recovery.cc keep other parts of the context).
#include "engine/connectors/kafka_direct_dstream.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/assert.h"
#include "engine/streaming/streaming_context.h"

namespace streamsim::engine {

KafkaRdd::KafkaRdd(std::string name, const protocols::KafkaTopic* topic,
                   std::vector<KafkaOffsetRange> ranges)
    : Rdd(std::move(name), static_cast<int>(ranges.size()), {}),
      topic_(topic),
      ranges_(std::move(ranges)) {
  STREAMSIM_ASSERT(topic_ != nullptr);
}

TaskResult<Values> KafkaRdd::Compute(int partition, TaskContext& context) const {
  const KafkaOffsetRange& range = ranges_.at(static_cast<size_t>(partition));
  STREAMSIM_ASSERT(range.count() >= 0);
  // An empty range is skipped without asking the broker, as Spark's KafkaRDD does.
  if (range.count() == 0) return Values{};
  Result<std::vector<protocols::KafkaRecord>> read =
      topic_->Read(range.partition, range.from, range.until);
  // The broker is an external system, like durable storage: a failed fetch fails the task, which
  // the scheduler retries (spark.task.maxFailures) before the job fails.
  if (!read.ok()) return TaskError::Storage(read.status().message());
  Values values;
  values.reserve(read.value().size());
  int64_t bytes = 0;
  for (protocols::KafkaRecord& record : read.value()) {
    bytes += static_cast<int64_t>(record.value.size());
    values.push_back(Value::String(std::move(record.value)));
  }
  context.AddWork(context.cost().storage_per_kilobyte * (bytes / 1024 + 1));
  return values;
}

DirectKafkaInputDStream::DirectKafkaInputDStream(const KafkaDirectConfig& config,
                                                 sim::Duration slide, protocols::KafkaTopic* topic,
                                                 SourceLedger topic_ledger, sim::World* world,
                                                 Warn warn)
    : DStream(config.name, slide, {}),
      topic_(topic),
      topic_ledger_(topic_ledger),
      world_(world),
      warn_(std::move(warn)),
      max_rate_per_partition_(config.max_rate_per_partition),
      start_(config.start) {
  STREAMSIM_ASSERT(topic_ != nullptr && topic_->partitions() >= 1);
  STREAMSIM_ASSERT(max_rate_per_partition_ >= 0);
}

void DirectKafkaInputDStream::Initialize(sim::Instant zero_time) {
  DStream::Initialize(zero_time);
  current_.clear();
  for (int p = 0; p < topic_->partitions(); ++p) {
    current_.push_back(start_ == KafkaStartingOffsets::kLatest ? topic_->LatestOffset(p)
                                                               : topic_->LogStartOffset(p));
  }
  world_->Record("kafka",
                 fmt::format("{} starts at the {} offsets", name(),
                             start_ == KafkaStartingOffsets::kLatest ? "latest" : "earliest"));
}

void DirectKafkaInputDStream::ClearVolatileState() {
  DStream::ClearVolatileState();
  current_.clear();
  ranges_at_.clear();
}

void DirectKafkaInputDStream::ForgetUpTo(sim::Instant limit) {
  ranges_at_.erase(ranges_at_.begin(), ranges_at_.upper_bound(limit));
}

int64_t DirectKafkaInputDStream::InputRecords(sim::Instant t) const {
  auto it = ranges_at_.find(t);
  if (it == ranges_at_.end()) return 0;
  int64_t records = 0;
  for (const KafkaOffsetRange& range : it->second) records += range.count();
  return records;
}

RddPtr DirectKafkaInputDStream::Compute(sim::Instant t) {
  auto known = ranges_at_.find(t);
  const bool again = known != ranges_at_.end();
  // A batch re-run after recovery reads the ranges decided (and checkpointed) the first time.
  std::vector<KafkaOffsetRange> ranges = again ? known->second : DecideRanges(t);
  if (!again) ranges_at_[t] = ranges;
  RecordRanges(t, ranges, again);
  if (allocations_listened()) ReportAllocation(AllocationOf(t, ranges));
  return std::make_shared<KafkaRdd>(name(), topic_, std::move(ranges));
}

// Records of the ranges that retention deleted already are allocated, and unavailable.
InputAllocation DirectKafkaInputDStream::AllocationOf(
    sim::Instant t, const std::vector<KafkaOffsetRange>& ranges) const {
  InputAllocation allocation{t, {}, 0, /*handed_over=*/true};
  for (const KafkaOffsetRange& range : ranges) {
    RecordIds ids = topic_ledger_.Range(range.partition, range.from, range.until);
    allocation.records.insert(allocation.records.end(), ids.begin(), ids.end());
    const int64_t deleted_until = std::min(range.until, topic_->LogStartOffset(range.partition));
    allocation.unavailable += std::max<int64_t>(0, deleted_until - range.from);
  }
  return allocation;
}

int64_t DirectKafkaInputDStream::MaxRecordsPerPartition() const {
  if (max_rate_per_partition_ <= 0) return -1;
  // Spark: (batch seconds x rate).toLong, and at least 1 (minRatePerPartition) so a limited
  // stream always moves.
  const auto records = static_cast<int64_t>(slide().seconds() * max_rate_per_partition_);
  return std::max<int64_t>(1, records);
}

std::vector<KafkaOffsetRange> DirectKafkaInputDStream::DecideRanges(sim::Instant t) {
  if (current_.empty()) Initialize(zero_time());  // no checkpointed position to start from
  STREAMSIM_ASSERT(static_cast<int>(current_.size()) == topic_->partitions());
  const bool reachable = topic_->available();
  if (!reachable) {
    warn_(
        fmt::format("batch {} ms, stream {}: Kafka broker kafka/{} is not available to give its "
                    "latest offsets; the batch reads no new records",
                    t.millis(), name(), topic_->topic()));
  }
  const int64_t limit = MaxRecordsPerPartition();
  std::vector<KafkaOffsetRange> ranges;
  for (int p = 0; p < topic_->partitions(); ++p) {
    const int64_t from = current_[static_cast<size_t>(p)];
    int64_t until = reachable ? topic_->LatestOffset(p) : from;
    if (limit >= 0) until = std::min(until, from + limit);
    STREAMSIM_ASSERT(until >= from);  // a log never shrinks at its end
    ranges.push_back({p, from, until});
    current_[static_cast<size_t>(p)] = until;
  }
  return ranges;
}

void DirectKafkaInputDStream::RecordRanges(sim::Instant t,
                                           const std::vector<KafkaOffsetRange>& ranges,
                                           bool again) {
  std::string text;
  int64_t records = 0;
  for (const KafkaOffsetRange& range : ranges) {
    text += fmt::format(" {}:[{},{})", range.partition, range.from, range.until);
    records += range.count();
  }
  world_->Record("kafka", fmt::format("{} batch {} ms {}{} records={}", name(), t.millis(),
                                      again ? "re-reads" : "reads", text, records));
}

nlohmann::json DirectKafkaInputDStream::SavePosition() const {
  nlohmann::json batches = nlohmann::json::array();
  for (const auto& [t, ranges] : ranges_at_) {
    nlohmann::json offsets = nlohmann::json::array();
    for (const KafkaOffsetRange& range : ranges) {
      offsets.push_back({range.partition, range.from, range.until});
    }
    batches.push_back({{"time_us", t.us}, {"ranges", offsets}});
  }
  return {{"topic", topic_->topic()}, {"current", current_}, {"batches", batches}};
}

void DirectKafkaInputDStream::RestorePosition(const nlohmann::json& position) {
  STREAMSIM_ASSERT(position.at("topic").get<std::string>() == topic_->topic());
  current_ = position.at("current").get<std::vector<int64_t>>();
  STREAMSIM_ASSERT(static_cast<int>(current_.size()) == topic_->partitions());
  ranges_at_.clear();
  for (const auto& batch : position.at("batches")) {
    std::vector<KafkaOffsetRange>& ranges =
        ranges_at_[sim::Instant{batch.at("time_us").get<int64_t>()}];
    for (const auto& offsets : batch.at("ranges")) {
      ranges.push_back(
          {offsets.at(0).get<int>(), offsets.at(1).get<int64_t>(), offsets.at(2).get<int64_t>()});
    }
  }
}

DStream* StreamingContext::KafkaDirectStream(const KafkaDirectConfig& config,
                                             protocols::KafkaTopic* topic,
                                             int32_t topic_source_index) {
  streams_.push_back(std::make_unique<DirectKafkaInputDStream>(
      config, config_.batch_interval, topic, SourceLedger(&ledger_, topic_source_index), world_,
      [this](const std::string& message) { Warn(message); }));
  input_streams_.push_back(streams_.back().get());
  return streams_.back().get();
}

}  // namespace streamsim::engine
