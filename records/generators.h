// Record generators for simulated sources: what a socket server sends, what lands in a watched
// directory. Every draw comes from the world's "workload" random stream, so the same seed gives the
// same records. Kinds: log_lines (a share of them contain "error"), access_log (Apache common log
// format lines: IP, method, path, status, size), words (drawn from a vocabulary), integers (uniform
// in [min, max], as strings), lines (a fixed list, cycled).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "records/value.h"
#include "simulator/random.h"

namespace streamsim::records {

struct GeneratorConfig {
  std::string kind = "log_lines";
  double error_share = 0.05;
  int64_t ip_count = 50;
  std::vector<std::string> vocabulary;
  int64_t words_per_line = 5;
  int64_t min = 0;
  int64_t max = 100;
  std::vector<std::string> lines;
};

class RecordGenerator {
 public:
  virtual ~RecordGenerator() = default;
  // The next record (a line of text) of sequence number `sequence` (0-based).
  virtual std::string Next(int64_t sequence, sim::Prng& random) = 0;
};

// REQUIRES: config.kind is one of the kinds above (the loader validates it).
std::unique_ptr<RecordGenerator> MakeGenerator(const GeneratorConfig& config);

}  // namespace streamsim::records
