// Rolling write-ahead log files in the simulated durable store.
#include "engine/recovery/write_ahead_log.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/assert.h"

namespace streamsim::engine {
namespace {

// The end time of a "log-<start>-<end>" file, or -1 for other names.
int64_t EndMillis(const std::string& path) {
  const size_t dash = path.rfind('-');
  const size_t name = path.rfind('/') + 1;
  if (path.compare(name, 4, "log-") != 0 || dash == std::string::npos || dash < name + 4) return -1;
  const std::string digits = path.substr(dash + 1);
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return -1;
  }
  return std::stoll(digits);
}

int64_t StartMillis(const std::string& path) {
  const size_t name = path.rfind('/') + 1 + 4;
  return std::stoll(path.substr(name, path.rfind('-') - name));
}

}  // namespace

WriteAheadLog::WriteAheadLog(std::string directory, sim::Duration rolling_interval)
    : directory_(std::move(directory)), rolling_interval_(rolling_interval) {
  STREAMSIM_ASSERT(rolling_interval_.us > 0);
}

Result<WalRecordHandle> WriteAheadLog::Write(sim::Storage& storage, sim::NodeId writer,
                                             const std::string& record, sim::Instant now) {
  Result<WalRecordHandle> handle = Append(storage, writer, record, now);
  if (!handle.ok()) return handle;
  Status synced = SyncRecord(storage, handle.value());
  if (!synced.ok()) return synced;
  return handle;
}

Result<WalRecordHandle> WriteAheadLog::Append(sim::Storage& storage, sim::NodeId writer,
                                              const std::string& record, sim::Instant now) {
  STREAMSIM_ASSERT(record.find('\n') == std::string::npos);
  Result<std::pair<std::string, int64_t>> file = FileToAppendTo(storage, writer, now);
  if (!file.ok()) return file.status();
  const auto& [path, offset] = file.value();
  Status appended = storage.Append(path, record + "\n");
  if (!appended.ok()) return appended;
  return WalRecordHandle{path, offset, static_cast<int64_t>(record.size())};
}

Status WriteAheadLog::SyncRecord(sim::Storage& storage, const WalRecordHandle& handle) {
  return storage.Sync(handle.path);
}

Result<std::pair<std::string, int64_t>> WriteAheadLog::FileToAppendTo(sim::Storage& storage,
                                                                      sim::NodeId writer,
                                                                      sim::Instant now) {
  const int64_t start_ms = (now.us / rolling_interval_.us) * rolling_interval_.millis();
  const int64_t end_ms = start_ms + rolling_interval_.millis();
  // The newest file of this interval: the last one by start time among those ending at end_ms.
  std::string newest;
  for (const std::string& path : FilesOldestFirst(storage)) {
    if (EndMillis(path) == end_ms) newest = path;
  }
  int64_t new_start_ms = start_ms;
  if (!newest.empty()) {
    Result<std::string> contents = storage.Read(newest);
    if (!contents.ok()) return contents.status();
    const std::string& text = contents.value();
    if (text.empty() || text.back() == '\n') {
      return std::pair<std::string, int64_t>{newest, static_cast<int64_t>(text.size())};
    }
    // A torn tail: never append to it; a new file of the interval, after the torn one.
    new_start_ms = std::max(now.millis(), StartMillis(newest) + 1);
  }
  const std::string path = fmt::format("{}/log-{}-{}", directory_, new_start_ms, end_ms);
  Status created = storage.Create(writer, path);
  if (!created.ok()) return created;
  return std::pair<std::string, int64_t>{path, 0};
}

Result<std::string> WriteAheadLog::ReadRecord(const sim::Storage& storage,
                                              const WalRecordHandle& handle) {
  Result<std::string> contents = storage.Read(handle.path);
  if (!contents.ok()) return contents.status();
  const std::string& text = contents.value();
  const size_t end = static_cast<size_t>(handle.offset + handle.length);
  if (handle.offset < 0 || end >= text.size() || text[end] != '\n') {
    return Status::Error("write-ahead log record not found in " + handle.path);
  }
  return text.substr(static_cast<size_t>(handle.offset), static_cast<size_t>(handle.length));
}

std::vector<std::string> WriteAheadLog::FilesOldestFirst(const sim::Storage& storage) const {
  std::vector<std::string> files;
  for (const std::string& path : storage.List(directory_)) {
    if (EndMillis(path) >= 0) files.push_back(path);
  }
  std::stable_sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
    return StartMillis(a) < StartMillis(b);
  });
  return files;
}

std::vector<std::string> WriteAheadLog::ReadAll(const sim::Storage& storage) const {
  std::vector<std::string> records;
  for (const std::string& path : FilesOldestFirst(storage)) {
    Result<std::string> contents = storage.Read(path);
    if (!contents.ok()) continue;
    const std::string& text = contents.value();
    size_t start = 0;
    for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
      records.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    // A tail without a newline is a torn record: the write never completed, skip it.
  }
  return records;
}

void WriteAheadLog::DeleteFilesEndingBy(sim::Storage& storage, sim::Instant t) const {
  for (const std::string& path : FilesOldestFirst(storage)) {
    if (EndMillis(path) <= t.millis()) (void)storage.Delete(path);
  }
}

}  // namespace streamsim::engine
