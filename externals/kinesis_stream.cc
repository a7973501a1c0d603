// The simulated Kinesis stream: shards, trimming, GetRecords, the producer's clock and the lease
// table.
#include "externals/kinesis_stream.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/assert.h"

namespace streamsim::externals {

KinesisStream::KinesisStream(sim::World* world, KinesisStreamConfig config)
    : world_(world),
      config_(std::move(config)),
      generator_(records::MakeGenerator(config_.generator,
                                        world->Random("workload/" + config_.source_name).seed())),
      shards_(static_cast<size_t>(config_.shards)) {
  STREAMSIM_ASSERT(config_.shards >= 1);
  STREAMSIM_ASSERT(config_.rate_per_second > 0);
  STREAMSIM_ASSERT(config_.retention > sim::Duration{});
  node_ = world_->AddNode("kinesis/" + config_.source_name);
  world_->OnStart(node_, [this]() { OnStart(); });
  world_->OnCrash(node_, [this]() {
    world_->Record("kinesis", fmt::format("stream kinesis/{} down", config_.source_name));
  });
}

bool KinesisStream::available() const { return world_->IsUp(node_); }

void KinesisStream::OnStart() {
  if (!first_start_) first_start_ = world_->Now();
  const int64_t missed = RecordsDue() - (produced_ + not_produced_);
  STREAMSIM_ASSERT(missed >= 0);
  not_produced_ += missed;
  world_->Record("kinesis", fmt::format("stream kinesis/{} up shards={} not_produced={}",
                                        config_.source_name, config_.shards, missed));
  world_->Schedule(node_, config_.produce_interval, [this]() { Produce(); });
}

int64_t KinesisStream::RecordsDue() const {
  if (!first_start_) return 0;
  const double elapsed_s = (world_->Now() - *first_start_).seconds();
  return static_cast<int64_t>(std::floor(config_.rate_per_second * elapsed_s + 1e-9));
}

void KinesisStream::Produce() {
  const int64_t due = RecordsDue();
  for (int64_t sequence = produced_ + not_produced_; sequence < due; ++sequence) {
    const int shard = static_cast<int>(sequence % config_.shards);
    const int64_t sequence_number = NextSequenceNumber(shard);
    std::string text = generator_->At(sequence);
    ledger_.ProducedGenerated(shard, sequence_number, sequence, world_->Now(), text);
    Store(shard, std::move(text));
    ++produced_;
  }
  world_->Schedule(node_, config_.produce_interval, [this]() { Produce(); });
}

const KinesisStream::Shard& KinesisStream::shard(int index) const {
  STREAMSIM_ASSERT(index >= 0 && index < config_.shards);
  return shards_[static_cast<size_t>(index)];
}

void KinesisStream::Trim(Shard& log) {
  const sim::Instant oldest_kept = world_->Now() - config_.retention;
  while (!log.records.empty() && log.records.front().arrival < oldest_kept) {
    log.records.pop_front();
    ++log.trim_horizon;
  }
}

int64_t KinesisStream::Put(int index, std::string data) {
  STREAMSIM_ASSERT(index >= 0 && index < config_.shards);
  ledger_.Produced(index, NextSequenceNumber(index), data, world_->Now());
  return Store(index, std::move(data));
}

int64_t KinesisStream::Store(int index, std::string data) {
  Shard& log = shards_[static_cast<size_t>(index)];
  Trim(log);
  const int64_t sequence_number = NextSequenceNumber(index);
  log.records.push_back(protocols::KinesisRecord{sequence_number, std::move(data), world_->Now()});
  return sequence_number;
}

int64_t KinesisStream::NextSequenceNumber(int index) const {
  const Shard& log = shard(index);
  return log.trim_horizon + static_cast<int64_t>(log.records.size());
}

int64_t KinesisStream::TrimHorizon(int index) const { return shard(index).trim_horizon; }

Status KinesisStream::Unavailable(const std::string& operation) const {
  return Status::Error(
      fmt::format("{} failed: stream kinesis/{} is not available", operation, config_.source_name));
}

Result<std::vector<protocols::KinesisRecord>> KinesisStream::GetRecords(int index, int64_t from,
                                                                        int64_t limit) const {
  STREAMSIM_ASSERT(limit >= 1 && limit <= kGetRecordsLimitMax);
  const Shard& log = shard(index);
  if (!available()) return Unavailable("GetRecords");
  std::vector<protocols::KinesisRecord> records;
  int64_t next = std::max(from, log.trim_horizon);
  const int64_t end = std::min(NextSequenceNumber(index), next + limit);
  for (; next < end; ++next) {
    records.push_back(log.records[static_cast<size_t>(next - log.trim_horizon)]);
  }
  return records;
}

Status KinesisStream::Checkpoint(const std::string& application, int index,
                                 int64_t sequence_number) {
  STREAMSIM_ASSERT(index >= 0 && index < config_.shards);
  if (!available()) return Unavailable("checkpoint");
  lease_table_[{application, index}] = sequence_number;
  return Status::Ok();
}

Result<std::optional<int64_t>> KinesisStream::CheckpointOf(const std::string& application,
                                                           int index) const {
  STREAMSIM_ASSERT(index >= 0 && index < config_.shards);
  if (!available()) return Unavailable("reading the lease table");
  auto it = lease_table_.find({application, index});
  if (it == lease_table_.end()) return std::optional<int64_t>{};
  return std::optional<int64_t>{it->second};
}

}  // namespace streamsim::externals
