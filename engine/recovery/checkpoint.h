// Metadata checkpoints, written the way Spark's CheckpointWriter writes them: the checkpoint for
// batch time T goes to a temporary file, an existing "checkpoint-T" is kept as "checkpoint-T.bk",
// the temporary file is renamed into place, and only the newest 10 checkpoint files are kept.
// Reading goes newest first and skips files that do not parse (a torn or corrupt write), as
// Spark's CheckpointReader does. A checkpoint holds what the restarted driver needs: the
// configuration, the DStream graph as data, the pending batches, the batch-to-block allocations,
// the checkpointed state RDDs of each stream and the positions of the sources.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/rdd.h"
#include "engine/core/scheduler.h"
#include "simulator/node.h"
#include "simulator/storage.h"
#include "simulator/time.h"

namespace streamsim::engine {

struct CheckpointData {
  sim::Instant checkpoint_time;  // the batch time this checkpoint was written for
  sim::Instant zero_time;
  sim::Duration batch_interval;
  std::vector<sim::Instant> pending_batches;
  // Per stream name: the data-checkpoint files of its checkpointed RDDs, by batch time.
  std::map<std::string, std::map<sim::Instant, std::vector<std::string>>> stream_checkpoints;
  // Per batch time, per receiver stream id: the blocks allocated to that batch.
  std::map<sim::Instant, std::map<int, std::vector<BlockRdd::BlockInfo>>> block_allocations;
  // Per input stream name: its position (file streams: the files of each remembered batch).
  std::map<std::string, nlohmann::json> source_positions;
  // The graph as data: name, kind, slide, remember and checkpoint interval of every stream.
  nlohmann::json graph = nlohmann::json::array();
};

nlohmann::json EncodeCheckpoint(const CheckpointData& data);
// Block infos as JSON (shared with the block-tracker write-ahead log). Decode throws
// nlohmann::json::exception on a malformed entry.
nlohmann::json EncodeBlocks(const std::vector<BlockRdd::BlockInfo>& blocks);
std::vector<BlockRdd::BlockInfo> DecodeBlocks(const nlohmann::json& array);
// False when `json` is not a complete checkpoint.
bool DecodeCheckpoint(const nlohmann::json& json, CheckpointData* out);

// "checkpoint-<ms>" in `directory`.
std::string CheckpointFileName(const std::string& directory, sim::Instant time);

// Writes `data` as Spark does (temporary file, backup of an existing one, rename, keep newest 10).
Status WriteCheckpoint(sim::Storage& storage, sim::NodeId writer, const std::string& directory,
                       const CheckpointData& data);
// The two halves of WriteCheckpoint, for a write that takes time
// (engine/recovery/checkpoint_writer.h). Begin replaces "<directory>/temp" with `encoded`
// (appended, not yet durable: a crash of `writer` loses or tears it; readers never look at "temp").
// Complete syncs it, keeps an existing "checkpoint-<time>" as "checkpoint-<time>.bk", renames
// "temp" into place and keeps the newest 10 files. Either fails on the first storage error, leaving
// what it had done.
Status BeginCheckpointWrite(sim::Storage& storage, sim::NodeId writer, const std::string& directory,
                            const std::string& encoded);
Status CompleteCheckpointWrite(sim::Storage& storage, const std::string& directory,
                               sim::Instant time);
std::string CheckpointTempFileName(const std::string& directory);

struct CheckpointReadResult {
  std::optional<CheckpointData> data;
  std::string file;                  // the file it came from
  std::vector<std::string> skipped;  // newer files that could not be read
};
// The newest readable checkpoint in `directory`, if any.
CheckpointReadResult ReadNewestCheckpoint(const sim::Storage& storage,
                                          const std::string& directory);

// The checkpoint files in `directory`, newest first (a backup after its primary).
std::vector<std::string> CheckpointFilesNewestFirst(const sim::Storage& storage,
                                                    const std::string& directory);

constexpr int kCheckpointFilesKept = 10;

// The result function of a data-checkpoint job: each task writes its partition, encoded, to
// "<directory>/part-<5 digits>" (temporary file, then rename).
ResultFunction MakeCheckpointFunction(std::string directory);
std::string CheckpointPartFile(const std::string& directory, int partition);

}  // namespace streamsim::engine
