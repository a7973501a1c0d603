// DStream bookkeeping (valid times, memoisation, forgetting) and the stateless and input streams.
#include "engine/streaming/dstream.h"

#include <fmt/format.h>

#include "base/assert.h"
#include "engine/receivers/receiver_tracker.h"

namespace streamsim::engine {

DStream::DStream(std::string name, sim::Duration slide, std::vector<DStream*> parents)
    : name_(std::move(name)), slide_(slide), parents_(std::move(parents)), remember_(slide) {
  STREAMSIM_ASSERT(slide_.us > 0);
}

void DStream::Initialize(sim::Instant zero_time) { zero_time_ = zero_time; }

bool DStream::IsValidTime(sim::Instant t) const {
  return t > zero_time_ && (t - zero_time_) % slide_ == sim::Duration{};
}

RddPtr DStream::GetOrCompute(sim::Instant t) {
  if (!IsValidTime(t)) return nullptr;
  auto it = generated_.find(t);
  if (it != generated_.end()) return it->second;
  RddPtr rdd = Compute(t);
  if (rdd && persist_) rdd->Persist();
  generated_.emplace(t, rdd);
  return rdd;
}

void DStream::ForgetOldRdds(sim::Instant t) {
  const sim::Instant limit = t - remember_;
  while (!generated_.empty() && generated_.begin()->first <= limit) {
    if (forget_listener_ && generated_.begin()->second)
      forget_listener_(generated_.begin()->second);
    generated_.erase(generated_.begin());
  }
  ForgetUpTo(limit);
}

void DStream::ClearVolatileState() { generated_.clear(); }

void DStream::ReportAllocation(InputAllocation allocation) const {
  if (allocation_listener_) allocation_listener_(*this, std::move(allocation));
}

void DStream::RememberAtLeast(sim::Duration duration) {
  if (duration > remember_) remember_ = duration;
  for (DStream* parent : parents_) parent->RememberAtLeast(remember_ + ParentRememberExtra());
}

std::vector<RddPtr> DStream::Slice(sim::Instant from, sim::Instant to) {
  std::vector<RddPtr> rdds;
  // The first valid time at or after `from`.
  sim::Instant t = from;
  if (t <= zero_time_) t = zero_time_ + slide_;
  const sim::Duration offset = (t - zero_time_) % slide_;
  if (offset.us != 0) t = t + (slide_ - offset);
  for (; t <= to; t = t + slide_) {
    if (RddPtr rdd = GetOrCompute(t)) rdds.push_back(std::move(rdd));
  }
  return rdds;
}

sim::Duration DStream::DefaultCheckpointInterval() const {
  const sim::Duration ten_seconds = sim::Duration::Seconds(10);
  const int64_t multiple = (ten_seconds.us + slide_.us - 1) / slide_.us;
  return slide_ * multiple;
}

bool DStream::IsCheckpointTime(sim::Instant t) const {
  return checkpoint_interval_.us > 0 && IsValidTime(t) &&
         (t - zero_time_) % checkpoint_interval_ == sim::Duration{};
}

TransformedDStream::TransformedDStream(std::string name, std::vector<DStream*> parents,
                                       std::vector<Operator> chain, OperatorEnvironment environment)
    : DStream(std::move(name), parents.at(0)->slide(), parents),
      chain_(std::move(chain)),
      environment_(environment) {}

RddPtr TransformedDStream::Compute(sim::Instant t) {
  RddPtr input = parents()[0]->GetOrCompute(t);
  if (!input) return nullptr;
  std::vector<RddPtr> others;
  for (size_t i = 1; i < parents().size(); ++i) {
    RddPtr other = parents()[i]->GetOrCompute(t);
    if (!other) other = std::make_shared<ParallelRdd>("empty", std::vector<Values>{});
    others.push_back(std::move(other));
  }
  return ApplyChain(chain_, input, others, environment_);
}

QueueInputDStream::QueueInputDStream(std::string name, sim::Duration slide,
                                     std::vector<Values> batches, int partitions,
                                     bool one_at_a_time)
    : DStream(std::move(name), slide, {}),
      batches_(std::move(batches)),
      partitions_(partitions),
      one_at_a_time_(one_at_a_time) {}

int64_t QueueInputDStream::InputRecords(sim::Instant t) const {
  auto it = records_at_.find(t);
  return it == records_at_.end() ? 0 : it->second;
}

void QueueInputDStream::ClearVolatileState() {
  DStream::ClearVolatileState();
  records_at_.clear();
}

void QueueInputDStream::ForgetUpTo(sim::Instant limit) {
  records_at_.erase(records_at_.begin(), records_at_.upper_bound(limit));
}

void QueueInputDStream::AttachLedger(const SourceLedger& ledger, sim::Instant at) {
  ledger_ = ledger;
  for (size_t batch = 0; batch < batches_.size(); ++batch) {
    for (size_t position = 0; position < batches_[batch].size(); ++position) {
      ledger_.Produced(static_cast<int32_t>(batch), static_cast<int64_t>(position),
                       batches_[batch][position], at);
    }
  }
}

RecordIds QueueInputDStream::IdsOfBatch(size_t index) const {
  return ledger_.Range(static_cast<int32_t>(index), 0,
                       static_cast<int64_t>(batches_.at(index).size()));
}

RddPtr QueueInputDStream::Compute(sim::Instant t) {
  const size_t index = static_cast<size_t>((t - zero_time()) / slide()) - 1;
  Values records;
  InputAllocation allocation{t, {}, 0, /*handed_over=*/true};
  if (one_at_a_time_) {
    if (index < batches_.size()) {
      records = batches_[index];
      allocation.records = IdsOfBatch(index);
    }
  } else if (index == 0) {
    for (size_t batch = 0; batch < batches_.size(); ++batch) {
      records.insert(records.end(), batches_[batch].begin(), batches_[batch].end());
      RecordIds ids = IdsOfBatch(batch);
      allocation.records.insert(allocation.records.end(), ids.begin(), ids.end());
    }
  }
  records_at_[t] = static_cast<int64_t>(records.size());
  ReportAllocation(std::move(allocation));
  return std::make_shared<ParallelRdd>(name(), ParallelRdd::Slice(records, partitions_));
}

ReceiverInputDStream::ReceiverInputDStream(std::string name, sim::Duration slide, int stream_id,
                                           ReceiverTracker* tracker, BlockAvailable available,
                                           BlockRecords block_records, Warn warn)
    : DStream(std::move(name), slide, {}),
      stream_id_(stream_id),
      tracker_(tracker),
      available_(std::move(available)),
      block_records_(std::move(block_records)),
      warn_(std::move(warn)) {}

int64_t ReceiverInputDStream::InputRecords(sim::Instant t) const {
  int64_t records = 0;
  for (const auto& block : tracker_->BlocksOfBatch(t, stream_id_)) records += block.records;
  return records;
}

RddPtr ReceiverInputDStream::Compute(sim::Instant t) {
  std::vector<BlockRdd::BlockInfo> blocks = tracker_->BlocksOfBatch(t, stream_id_);
  const size_t allocated = blocks.size();
  // The allocation is what the driver's metadata says the batch has, lost blocks included.
  if (allocations_listened()) {
    InputAllocation allocation{t, {}, 0, /*handed_over=*/false};
    for (const BlockRdd::BlockInfo& block : blocks) {
      RecordIds ids = block_records_(block);
      allocation.records.insert(allocation.records.end(), ids.begin(), ids.end());
      if (!available_(block)) allocation.unavailable += block.records;
    }
    ReportAllocation(std::move(allocation));
  }
  std::erase_if(blocks, [this](const BlockRdd::BlockInfo& block) { return !available_(block); });
  if (blocks.size() != allocated) {
    warn_(
        fmt::format("batch {} ms, stream {}: {} of {} blocks could not be recovered as they were "
                    "not found in memory. To prevent such data loss, enable Write Ahead Log (see "
                    "programming guide for more details.)",
                    t.millis(), name(), allocated - blocks.size(), allocated));
  }
  return std::make_shared<BlockRdd>(name(), std::move(blocks));
}

FileInputDStream::FileInputDStream(std::string name, sim::Duration slide, std::string directory,
                                   sim::World* world)
    : DStream(std::move(name), slide, {}), directory_(std::move(directory)), world_(world) {}

namespace {

bool IsHiddenFile(const std::string& path) {
  const size_t slash = path.rfind('/');
  const char first = path[slash == std::string::npos ? 0 : slash + 1];
  return first == '.' || first == '_';
}

// Lines as FileRdd splits them: a last line without its newline is still a line.
int64_t CountLines(const std::string& contents) {
  int64_t lines = 0;
  for (char c : contents) lines += c == '\n' ? 1 : 0;
  if (!contents.empty() && contents.back() != '\n') ++lines;
  return lines;
}

}  // namespace

void FileInputDStream::Initialize(sim::Instant zero_time) {
  DStream::Initialize(zero_time);
  const std::vector<std::string> existing = world_->storage().List(directory_);
  existing_at_start_ = std::set<std::string>(existing.begin(), existing.end());
}

void FileInputDStream::ClearVolatileState() {
  DStream::ClearVolatileState();
  records_at_.clear();
  files_at_.clear();
  processed_.clear();
  existing_at_start_.clear();
}

void FileInputDStream::ForgetUpTo(sim::Instant limit) {
  records_at_.erase(records_at_.begin(), records_at_.upper_bound(limit));
  files_at_.erase(files_at_.begin(), files_at_.upper_bound(limit));
}

nlohmann::json FileInputDStream::SavePosition() const {
  nlohmann::json batches = nlohmann::json::array();
  for (const auto& [t, files] : files_at_) batches.push_back({{"time_us", t.us}, {"files", files}});
  return {
      {"processed", processed_}, {"existing_at_start", existing_at_start_}, {"batches", batches}};
}

void FileInputDStream::RestorePosition(const nlohmann::json& position) {
  processed_ = position.at("processed").get<std::set<std::string>>();
  existing_at_start_ = position.at("existing_at_start").get<std::set<std::string>>();
  for (const auto& batch : position.at("batches")) {
    files_at_[sim::Instant{batch.at("time_us").get<int64_t>()}] =
        batch.at("files").get<std::vector<std::string>>();
  }
}

int64_t FileInputDStream::InputRecords(sim::Instant t) const {
  auto it = records_at_.find(t);
  return it == records_at_.end() ? 0 : it->second;
}

RddPtr FileInputDStream::Compute(sim::Instant t) {
  std::vector<std::string> files;
  auto known = files_at_.find(t);
  if (known != files_at_.end()) {
    files = known->second;  // a batch re-run after recovery reads the same files again
  } else {
    for (const std::string& path : world_->storage().List(directory_)) {
      if (IsHiddenFile(path) || processed_.count(path) > 0) continue;
      if (existing_at_start_.count(path) > 0) continue;
      // Only files directly in the directory, as textFileStream does.
      if (path.find('/', directory_.size() + 1) != std::string::npos) continue;
      files.push_back(path);
      processed_.insert(path);
    }
    files_at_[t] = files;
  }
  int64_t lines = 0;
  InputAllocation allocation{t, {}, 0, /*handed_over=*/true};
  for (const std::string& path : files) {
    Result<std::string> contents = world_->storage().Read(path);
    if (contents.ok()) lines += CountLines(contents.value());
    if (ledger_ == nullptr) continue;
    RecordIds ids = ledger_->LinesOf(
        path, contents.ok() ? std::optional<std::string>(contents.value()) : std::nullopt,
        world_->Now());
    if (!contents.ok()) allocation.unavailable += static_cast<int64_t>(ids.size());
    allocation.records.insert(allocation.records.end(), ids.begin(), ids.end());
  }
  records_at_[t] = lines;
  ReportAllocation(std::move(allocation));
  return std::make_shared<FileRdd>(name(), std::move(files));
}

}  // namespace streamsim::engine
