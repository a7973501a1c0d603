// FaultyStorage: refused writes, slow writes and torn writes, each over a window.
#include "faults/storage_faults.h"

#include <fmt/format.h>

#include <algorithm>

namespace streamsim::faults {
namespace {

std::string Until(sim::Instant until) { return sim::FormatDuration(until - sim::Instant::Zero()); }

}  // namespace

FaultyStorage::FaultyStorage(sim::World* world, std::unique_ptr<sim::Storage> inner)
    : world_(world), inner_(std::move(inner)), random_(&world->Random("faults/storage")) {}

void FaultyStorage::RefuseWrites(sim::Instant until) {
  refuse_until_ = std::max(refuse_until_, until);
  world_->Record("fault", "storage refuse_writes until " + Until(until));
}

void FaultyStorage::SlowDown(sim::Duration extra_per_write, sim::Instant until) {
  const sim::Instant now = world_->Now();
  std::erase_if(slow_downs_, [now](const SlowDownWindow& window) { return window.until <= now; });
  slow_downs_.push_back(SlowDownWindow{extra_per_write, until});
  world_->Record("fault", fmt::format("storage slow extra_latency={} until {}",
                                      sim::FormatDuration(extra_per_write), Until(until)));
}

void FaultyStorage::TearOnCrash(sim::Instant until) {
  tear_until_ = std::max(tear_until_, until);
  world_->Record("fault", "storage torn_writes until " + Until(until));
}

bool FaultyStorage::RefusingWrites() const { return world_->Now() < refuse_until_; }

bool FaultyStorage::TearingOnCrash() const { return world_->Now() < tear_until_; }

Status FaultyStorage::Refusal(const char* operation, const std::string& path) {
  if (!RefusingWrites()) return Status::Ok();
  ++writes_refused_;
  return Status::Error(fmt::format("java.io.IOException: Cannot {} {}. Name node is in safe mode.",
                                   operation, path));
}

Status FaultyStorage::Create(sim::NodeId writer, const std::string& path) {
  Status refused = Refusal("create file", path);
  return refused.ok() ? inner_->Create(writer, path) : refused;
}

Status FaultyStorage::Append(const std::string& path, const std::string& bytes) {
  Status refused = Refusal("append to file", path);
  return refused.ok() ? inner_->Append(path, bytes) : refused;
}

Status FaultyStorage::Sync(const std::string& path) {
  Status refused = Refusal("fsync file", path);
  return refused.ok() ? inner_->Sync(path) : refused;
}

Status FaultyStorage::Rename(const std::string& from, const std::string& to) {
  Status refused = Refusal("rename", from);
  return refused.ok() ? inner_->Rename(from, to) : refused;
}

Status FaultyStorage::Delete(const std::string& path) {
  Status refused = Refusal("delete", path);
  return refused.ok() ? inner_->Delete(path) : refused;
}

void FaultyStorage::LoseUnsyncedWrites(sim::NodeId writer) {
  if (!TearingOnCrash()) return inner_->LoseUnsyncedWrites(writer);
  (void)TearUnsyncedWrites(writer, *random_);
}

std::vector<sim::TornFile> FaultyStorage::TearUnsyncedWrites(sim::NodeId writer,
                                                             sim::Prng& random) {
  std::vector<sim::TornFile> torn = inner_->TearUnsyncedWrites(writer, random);
  for (const sim::TornFile& file : torn) {
    world_->Record("storage", fmt::format("torn {} kept {} of {} unsynced bytes", file.path,
                                          file.kept_bytes, file.unsynced_bytes));
  }
  return torn;
}

sim::Duration FaultyStorage::WriteDelay(int64_t bytes) const {
  sim::Duration delay = inner_->WriteDelay(bytes);
  const sim::Instant now = world_->Now();
  for (const SlowDownWindow& window : slow_downs_) {
    if (now < window.until) delay += window.extra_per_write;
  }
  return delay;
}

FaultyStorage& InstallFaultyStorage(sim::World& world) {
  if (auto* installed = dynamic_cast<FaultyStorage*>(&world.storage())) return *installed;
  FaultyStorage* faulty = nullptr;
  world.DecorateStorage([&world, &faulty](std::unique_ptr<sim::Storage> inner) {
    auto decorator = std::make_unique<FaultyStorage>(&world, std::move(inner));
    faulty = decorator.get();
    return decorator;
  });
  return *faulty;
}

}  // namespace streamsim::faults
