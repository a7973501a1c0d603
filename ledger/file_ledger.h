// The run's ledger for one watched directory (textFileStream): which ledger partition each file
// is. A file is a partition of the directory's source, numbered in the order files became known
// (0, 1, ...), and its lines are the partition's records (sequence = line number from 0).
//
// The file producer tells it of each file it renames into place; a file the stream finds that no
// producer announced (written by someone else) becomes known, and produced, when the stream first
// takes it, from what it read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/source_ledger.h"

namespace streamsim::ledger {

// The lines of a file as FileRdd splits it: a last line without its newline is still a line.
std::vector<std::string> SplitLines(const std::string& contents);

class FileLedger {
 public:
  explicit FileLedger(SourceLedger source) : source_(source) {}

  const SourceLedger& source() const { return source_; }
  // Each known file's partition and its number of lines, by path.
  struct File {
    int32_t partition = 0;
    int64_t lines = 0;
  };
  const std::map<std::string, File>& files() const { return files_; }
  // `path` became visible holding `contents`: the next partition, produced now.
  void FileWritten(const std::string& path, const std::string& contents, sim::Instant at);
  // The ids of `path`'s lines. A file not announced is made known now from `contents` (read by
  // the caller); nothing when it is unknown and could not be read.
  RecordIds LinesOf(const std::string& path, const std::optional<std::string>& contents,
                    sim::Instant at);

 private:
  File& Add(const std::string& path, const std::string& contents, sim::Instant at);

  SourceLedger source_;
  std::map<std::string, File> files_;  // by path
};

}  // namespace streamsim::ledger
