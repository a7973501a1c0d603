// Record generators for simulated sources: what a socket server sends, what lands in a watched
// directory. A generator is counter-based: record (partition, sequence) is drawn from a generator
// of its own, seeded from the source's key and the record's number, so that any record can be drawn
// again without drawing the ones before it (the checker regenerates a record's value instead of
// the ledger keeping a copy). The key is the seed of the world's "workload/<source>" stream, so the
// same run seed gives the same records. Kinds: log_lines (a share of them contain "error"),
// access_log (Apache common log format lines: IP, method, path, status, size), words (drawn from a
// vocabulary), integers (uniform in [min, max], as strings), lines (a fixed list, cycled).
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
  explicit RecordGenerator(uint64_t key) : key_(key) {}
  virtual ~RecordGenerator() = default;
  // The record (a line of text) numbered `sequence` (0-based) of the source. The same sequence
  // gives the same text.
  std::string At(int64_t sequence) const;

 protected:
  // The text of record `sequence`, drawn from `random` (that record's own generator).
  virtual std::string Draw(int64_t sequence, sim::Prng& random) const = 0;

 private:
  uint64_t key_;
};

// REQUIRES: config.kind is one of the kinds above (the loader validates it).
std::unique_ptr<RecordGenerator> MakeGenerator(const GeneratorConfig& config, uint64_t key);

}  // namespace streamsim::records
