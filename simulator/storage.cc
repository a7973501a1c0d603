// The plain simulated durable store: an ordered map of path to contents with a synced watermark.
#include "simulator/storage.h"

namespace streamsim::sim {

Status Storage::WriteWholeFile(NodeId writer, const std::string& path, const std::string& bytes) {
  if (Exists(path)) {
    Status deleted = Delete(path);
    if (!deleted.ok()) return deleted;
  }
  Status status = Create(writer, path);
  if (status.ok()) status = Append(path, bytes);
  if (status.ok()) status = Sync(path);
  return status;
}

std::vector<TornFile> Storage::TearUnsyncedWrites(NodeId writer, Prng&) {
  LoseUnsyncedWrites(writer);
  return {};
}

Duration Storage::WriteDelay(int64_t) const { return Duration{}; }

Status Storage::ReplaceFileAtomically(NodeId writer, const std::string& path,
                                      const std::string& bytes) {
  const std::string temporary = path + ".tmp";
  Status status = WriteWholeFile(writer, temporary, bytes);
  if (status.ok() && Exists(path)) status = Delete(path);
  if (status.ok()) status = Rename(temporary, path);
  return status;
}

Status DurableStore::Create(NodeId writer, const std::string& path) {
  if (files_.count(path) > 0) return Status::Error("file already exists: " + path);
  files_.emplace(path, File{writer, "", 0});
  return Status::Ok();
}

Status DurableStore::Append(const std::string& path, const std::string& bytes) {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::Error("no such file: " + path);
  it->second.contents += bytes;
  return Status::Ok();
}

Status DurableStore::Sync(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::Error("no such file: " + path);
  File& file = it->second;
  if (file.contents.size() > file.synced_bytes && !watches_.empty()) {
    Note(DurableChange::Kind::kSynced, path, file.contents.substr(file.synced_bytes));
  }
  file.synced_bytes = file.contents.size();
  return Status::Ok();
}

Status DurableStore::Rename(const std::string& from, const std::string& to) {
  auto it = files_.find(from);
  if (it == files_.end()) return Status::Error("no such file: " + from);
  if (files_.count(to) > 0) return Status::Error("file already exists: " + to);
  File file = std::move(it->second);
  files_.erase(it);
  files_.emplace(to, std::move(file));
  if (!watches_.empty()) Note(DurableChange::Kind::kRenamed, from, to);
  return Status::Ok();
}

Status DurableStore::Delete(const std::string& path) {
  if (files_.erase(path) == 0) return Status::Error("no such file: " + path);
  if (!watches_.empty()) Note(DurableChange::Kind::kDeleted, path, "");
  return Status::Ok();
}

Result<std::string> DurableStore::Read(const std::string& path) const {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::Error("no such file: " + path);
  return it->second.contents;
}

bool DurableStore::Exists(const std::string& path) const { return files_.count(path) > 0; }

std::vector<std::string> DurableStore::List(const std::string& directory) const {
  const std::string prefix =
      directory.empty() || directory.back() == '/' ? directory : directory + "/";
  std::vector<std::string> paths;
  for (auto it = files_.lower_bound(prefix);
       it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    paths.push_back(it->first);
  }
  return paths;
}

void DurableStore::LoseUnsyncedWrites(NodeId writer) {
  for (auto& [path, file] : files_) {
    if (file.writer == writer) file.contents.resize(file.synced_bytes);
  }
}

std::vector<TornFile> DurableStore::TearUnsyncedWrites(NodeId writer, Prng& random) {
  std::vector<TornFile> torn;
  for (auto& [path, file] : files_) {
    if (file.writer != writer || file.contents.size() <= file.synced_bytes) continue;
    const auto unsynced = static_cast<int64_t>(file.contents.size() - file.synced_bytes);
    const int64_t kept = unsynced >= 2 ? random.UniformInt(1, unsynced - 1) : 0;
    file.contents.resize(file.synced_bytes + static_cast<size_t>(kept));
    if (kept > 0 && !watches_.empty()) {
      Note(DurableChange::Kind::kSynced, path, file.contents.substr(file.synced_bytes));
    }
    file.synced_bytes = file.contents.size();
    torn.push_back(TornFile{path, unsynced, kept});
  }
  return torn;
}

int64_t DurableStore::bytes_stored() const {
  int64_t total = 0;
  for (const auto& [path, file] : files_) total += static_cast<int64_t>(file.contents.size());
  return total;
}

void DurableStore::ObserveDurableChanges(std::vector<std::string> prefixes,
                                         std::function<Instant()> clock,
                                         DurableChangeObserver observer) {
  clock_ = std::move(clock);
  watches_.push_back(Watch{std::move(prefixes), std::move(observer)});
}

bool DurableStore::Watch::Covers(const std::string& path) const {
  for (const std::string& prefix : prefixes) {
    if (path.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

// Hands the change to every watch covering its path (for a rename, either name).
void DurableStore::Note(DurableChange::Kind kind, const std::string& path, std::string detail) {
  const DurableChange change{kind, clock_ ? clock_() : Instant{}, path, std::move(detail)};
  for (const Watch& watch : watches_) {
    const bool renamed_into = kind == DurableChange::Kind::kRenamed && watch.Covers(change.detail);
    if (watch.Covers(path) || renamed_into) watch.observer(change);
  }
}

}  // namespace streamsim::sim
