// The run's ledger for one watched directory (ledger/file_ledger.h).
#include "ledger/file_ledger.h"

namespace streamsim::ledger {

std::vector<std::string> SplitLines(const std::string& contents) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < contents.size()) {
    size_t end = contents.find('\n', start);
    if (end == std::string::npos) end = contents.size();
    lines.push_back(contents.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

FileLedger::File& FileLedger::Add(const std::string& path, const std::string& contents,
                                  sim::Instant at) {
  const auto partition = static_cast<int32_t>(files_.size());
  const std::vector<std::string> lines = SplitLines(contents);
  for (size_t line = 0; line < lines.size(); ++line) {
    source_.Produced(partition, static_cast<int64_t>(line), lines[line], at);
  }
  File& file = files_[path];
  file = File{partition, static_cast<int64_t>(lines.size())};
  return file;
}

void FileLedger::FileWritten(const std::string& path, const std::string& contents,
                             sim::Instant at) {
  // A path written again (a producer never does) keeps its first partition.
  if (files_.count(path) == 0) Add(path, contents, at);
}

RecordIds FileLedger::LinesOf(const std::string& path, const std::optional<std::string>& contents,
                              sim::Instant at) {
  auto known = files_.find(path);
  if (known == files_.end() && !contents) return {};
  const File& file = known != files_.end() ? known->second : Add(path, *contents, at);
  return source_.Range(file.partition, 0, file.lines);
}

}  // namespace streamsim::ledger
