// The simulated Kafka broker: the partitioned log, retention, reads by offset range, and the
// producer's clock.
#include "externals/kafka_broker.h"

#include <fmt/format.h>

#include <cmath>

#include "base/assert.h"

namespace streamsim::externals {

KafkaBroker::KafkaBroker(sim::World* world, KafkaBrokerConfig config)
    : world_(world),
      config_(std::move(config)),
      generator_(records::MakeGenerator(config_.generator,
                                        world->Random("workload/" + config_.source_name).seed())),
      partitions_(static_cast<size_t>(config_.partitions)) {
  STREAMSIM_ASSERT(config_.partitions >= 1);
  STREAMSIM_ASSERT(config_.retention_records >= 1);
  STREAMSIM_ASSERT(config_.rate_per_second > 0);
  node_ = world_->AddNode("kafka/" + config_.topic);
  world_->OnStart(node_, [this]() { OnStart(); });
  world_->OnCrash(node_, [this]() {
    world_->Record("kafka", fmt::format("broker kafka/{} down", config_.topic));
  });
}

bool KafkaBroker::available() const { return world_->IsUp(node_); }

void KafkaBroker::Down() {
  if (available()) world_->Crash(node_);
}

void KafkaBroker::Up() {
  if (!available()) world_->Start(node_);
}

void KafkaBroker::OnStart() {
  if (!first_start_) first_start_ = world_->Now();
  // What fell due while the broker was down was never sent.
  const int64_t missed = RecordsDue() - (produced_ + not_produced_);
  STREAMSIM_ASSERT(missed >= 0);
  not_produced_ += missed;
  world_->Record("kafka", fmt::format("broker kafka/{} up partitions={} not_produced={}",
                                      config_.topic, config_.partitions, missed));
  world_->Schedule(node_, config_.produce_interval, [this]() { Produce(); });
}

int64_t KafkaBroker::RecordsDue() const {
  if (!first_start_) return 0;
  const double elapsed_s = (world_->Now() - *first_start_).seconds();
  return static_cast<int64_t>(std::floor(config_.rate_per_second * elapsed_s + 1e-9));
}

void KafkaBroker::Produce() {
  const int64_t due = RecordsDue();
  // The producer sends no key: the records go round-robin over the partitions.
  for (int64_t sequence = produced_ + not_produced_; sequence < due; ++sequence) {
    const int target = static_cast<int>(sequence % config_.partitions);
    const int64_t offset = LatestOffset(target);
    std::string text = generator_->At(sequence);
    ledger_.ProducedGenerated(target, offset, sequence, world_->Now(), text);
    Store(target, std::move(text));
    ++produced_;
  }
  world_->Schedule(node_, config_.produce_interval, [this]() { Produce(); });
}

const KafkaBroker::Partition& KafkaBroker::partition(int index) const {
  STREAMSIM_ASSERT(index >= 0 && index < config_.partitions);
  return partitions_[static_cast<size_t>(index)];
}

int64_t KafkaBroker::Append(int partition, std::string value) {
  STREAMSIM_ASSERT(partition >= 0 && partition < config_.partitions);
  ledger_.Produced(partition, LatestOffset(partition), value, world_->Now());
  return Store(partition, std::move(value));
}

int64_t KafkaBroker::Store(int partition, std::string value) {
  Partition& log = partitions_[static_cast<size_t>(partition)];
  const int64_t offset = log.log_start_offset + static_cast<int64_t>(log.records.size());
  log.records.push_back(std::move(value));
  while (static_cast<int64_t>(log.records.size()) > config_.retention_records) {
    log.records.pop_front();
    ++log.log_start_offset;
  }
  return offset;
}

int64_t KafkaBroker::LatestOffset(int index) const {
  const Partition& log = partition(index);
  return log.log_start_offset + static_cast<int64_t>(log.records.size());
}

int64_t KafkaBroker::LogStartOffset(int index) const { return partition(index).log_start_offset; }

Result<std::vector<protocols::KafkaRecord>> KafkaBroker::Read(int index, int64_t from,
                                                              int64_t until) const {
  STREAMSIM_ASSERT(from <= until);
  const Partition& log = partition(index);
  if (!available()) {
    return Status::Error(
        fmt::format("Couldn't connect to leader for topic {} {}: broker "
                    "kafka/{} is down",
                    config_.topic, index, config_.topic));
  }
  if (from < log.log_start_offset) {
    return Status::Error(
        fmt::format("Offsets out of range with no configured reset policy for "
                    "partitions: {{{}-{}={}}}",
                    config_.topic, index, from));
  }
  if (until > LatestOffset(index)) {
    return Status::Error(
        fmt::format("Ran out of messages before reaching ending offset {} for "
                    "topic {} partition {} start {}. This should not happen, and "
                    "indicates that messages may have been lost",
                    until, config_.topic, index, from));
  }
  std::vector<protocols::KafkaRecord> records;
  records.reserve(static_cast<size_t>(until - from));
  for (int64_t offset = from; offset < until; ++offset) {
    records.push_back({offset, log.records[static_cast<size_t>(offset - log.log_start_offset)]});
  }
  return records;
}

}  // namespace streamsim::externals
