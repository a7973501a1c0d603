// Encoding, writing and reading metadata checkpoints.
#include "engine/recovery/checkpoint.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "engine/core/records_and_ledger.h"
#include "records/value_codec.h"

namespace streamsim::engine {
namespace {}  // namespace

nlohmann::json EncodeBlocks(const std::vector<BlockRdd::BlockInfo>& blocks) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& block : blocks) {
    array.push_back({{"id", block.id},
                     {"records", block.records},
                     {"executors", block.executors},
                     {"wal_path", block.wal_path},
                     {"wal_offset", block.wal_offset},
                     {"wal_length", block.wal_length}});
  }
  return array;
}

std::vector<BlockRdd::BlockInfo> DecodeBlocks(const nlohmann::json& array) {
  std::vector<BlockRdd::BlockInfo> blocks;
  for (const auto& block : array) {
    blocks.push_back(
        {block.at("id").get<std::string>(), block.at("records").get<int64_t>(),
         block.at("executors").get<std::vector<int>>(), block.at("wal_path").get<std::string>(),
         block.at("wal_offset").get<int64_t>(), block.at("wal_length").get<int64_t>()});
  }
  return blocks;
}

namespace {

nlohmann::json EncodeTimes(const std::vector<sim::Instant>& times) {
  nlohmann::json array = nlohmann::json::array();
  for (sim::Instant t : times) array.push_back(t.us);
  return array;
}

// Parses "checkpoint-<ms>" or "checkpoint-<ms>.bk"; returns false for other names.
bool ParseCheckpointName(const std::string& path, int64_t* ms, bool* backup) {
  const std::string name = path.substr(path.rfind('/') + 1);
  const std::string prefix = "checkpoint-";
  if (name.compare(0, prefix.size(), prefix) != 0) return false;
  std::string digits = name.substr(prefix.size());
  *backup = digits.size() > 3 && digits.substr(digits.size() - 3) == ".bk";
  if (*backup) digits.resize(digits.size() - 3);
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(c); })) {
    return false;
  }
  *ms = std::stoll(digits);
  return true;
}

}  // namespace

nlohmann::json EncodeCheckpoint(const CheckpointData& data) {
  nlohmann::json streams = nlohmann::json::object();
  for (const auto& [name, rdds] : data.stream_checkpoints) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& [t, paths] : rdds) files.push_back({{"time_us", t.us}, {"files", paths}});
    streams[name] = files;
  }
  nlohmann::json allocations = nlohmann::json::array();
  for (const auto& [t, by_stream] : data.block_allocations) {
    for (const auto& [stream_id, blocks] : by_stream) {
      allocations.push_back(
          {{"time_us", t.us}, {"stream", stream_id}, {"blocks", EncodeBlocks(blocks)}});
    }
  }
  return {{"version", 1},
          {"checkpoint_time_us", data.checkpoint_time.us},
          {"zero_time_us", data.zero_time.us},
          {"batch_interval_us", data.batch_interval.us},
          {"pending_batches_us", EncodeTimes(data.pending_batches)},
          {"stream_checkpoints", streams},
          {"block_allocations", allocations},
          {"source_positions", data.source_positions},
          {"graph", data.graph}};
}

bool DecodeCheckpoint(const nlohmann::json& json, CheckpointData* out) {
  try {
    if (json.at("version").get<int>() != 1) return false;
    CheckpointData data;
    data.checkpoint_time.us = json.at("checkpoint_time_us").get<int64_t>();
    data.zero_time.us = json.at("zero_time_us").get<int64_t>();
    data.batch_interval.us = json.at("batch_interval_us").get<int64_t>();
    for (const auto& t : json.at("pending_batches_us"))
      data.pending_batches.push_back({t.get<int64_t>()});
    for (const auto& [name, files] : json.at("stream_checkpoints").items()) {
      for (const auto& entry : files) {
        data.stream_checkpoints[name][sim::Instant{entry.at("time_us").get<int64_t>()}] =
            entry.at("files").get<std::vector<std::string>>();
      }
    }
    for (const auto& entry : json.at("block_allocations")) {
      data.block_allocations[sim::Instant{entry.at("time_us").get<int64_t>()}]
                            [entry.at("stream").get<int>()] = DecodeBlocks(entry.at("blocks"));
    }
    for (const auto& [name, position] : json.at("source_positions").items()) {
      data.source_positions[name] = position;
    }
    data.graph = json.at("graph");
    *out = std::move(data);
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

std::string CheckpointFileName(const std::string& directory, sim::Instant time) {
  return fmt::format("{}/checkpoint-{}", directory, time.millis());
}

std::vector<std::string> CheckpointFilesNewestFirst(const sim::Storage& storage,
                                                    const std::string& directory) {
  struct Entry {
    int64_t ms;
    bool backup;
    std::string path;
  };
  std::vector<Entry> entries;
  for (const std::string& path : storage.List(directory)) {
    if (path.find('/', directory.size() + 1) != std::string::npos) continue;  // subdirectories
    Entry entry{0, false, path};
    if (ParseCheckpointName(path, &entry.ms, &entry.backup)) entries.push_back(entry);
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.ms != b.ms ? a.ms > b.ms : a.backup < b.backup;
  });
  std::vector<std::string> paths;
  for (const Entry& entry : entries) paths.push_back(entry.path);
  return paths;
}

std::string CheckpointTempFileName(const std::string& directory) {
  return fmt::format("{}/temp", directory);
}

Status WriteCheckpoint(sim::Storage& storage, sim::NodeId writer, const std::string& directory,
                       const CheckpointData& data) {
  Status status = BeginCheckpointWrite(storage, writer, directory, EncodeCheckpoint(data).dump());
  if (!status.ok()) return status;
  return CompleteCheckpointWrite(storage, directory, data.checkpoint_time);
}

Status BeginCheckpointWrite(sim::Storage& storage, sim::NodeId writer, const std::string& directory,
                            const std::string& encoded) {
  const std::string temporary = CheckpointTempFileName(directory);
  Status status = Status::Ok();
  if (storage.Exists(temporary)) status = storage.Delete(temporary);  // fs.create(overwrite)
  if (status.ok()) status = storage.Create(writer, temporary);
  if (status.ok()) status = storage.Append(temporary, encoded);
  return status;
}

Status CompleteCheckpointWrite(sim::Storage& storage, const std::string& directory,
                               sim::Instant time) {
  const std::string temporary = CheckpointTempFileName(directory);
  const std::string file = CheckpointFileName(directory, time);
  Status status = storage.Sync(temporary);
  if (status.ok() && storage.Exists(file)) {
    const std::string backup = file + ".bk";
    if (storage.Exists(backup)) status = storage.Delete(backup);
    if (status.ok()) status = storage.Rename(file, backup);
  }
  if (status.ok()) status = storage.Rename(temporary, file);
  if (!status.ok()) return status;
  // Keep only the newest files.
  const std::vector<std::string> files = CheckpointFilesNewestFirst(storage, directory);
  for (size_t i = kCheckpointFilesKept; i < files.size(); ++i) {
    Status deleted = storage.Delete(files[i]);
    if (!deleted.ok()) return deleted;
  }
  return Status::Ok();
}

std::string CheckpointPartFile(const std::string& directory, int partition) {
  return fmt::format("{}/part-{:05d}", directory, partition);
}

ResultFunction MakeCheckpointFunction(std::string directory) {
  return [directory](Values records, int partition, TaskContext& context) -> TaskResult<Values> {
    const std::string contents = EncodeValueLines(records);
    Status status = context.storage().ReplaceFileAtomically(
        context.node(), CheckpointPartFile(directory, partition), contents);
    if (!status.ok()) return TaskError::Storage(status.message());
    context.AddStorageWriteWork(static_cast<int64_t>(contents.size()));
    return Values{};
  };
}

CheckpointReadResult ReadNewestCheckpoint(const sim::Storage& storage,
                                          const std::string& directory) {
  CheckpointReadResult result;
  for (const std::string& path : CheckpointFilesNewestFirst(storage, directory)) {
    Result<std::string> text = storage.Read(path);
    CheckpointData data;
    if (text.ok()) {
      nlohmann::json json = nlohmann::json::parse(text.value(), nullptr, false);
      if (!json.is_discarded() && DecodeCheckpoint(json, &data)) {
        result.data = std::move(data);
        result.file = path;
        return result;
      }
    }
    result.skipped.push_back(path);
  }
  return result;
}

}  // namespace streamsim::engine
