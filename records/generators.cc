// The record generators behind simulated sources.
#include "records/generators.h"

#include <fmt/format.h>

#include "base/assert.h"

namespace streamsim::records {
namespace {

const std::vector<std::string>& DefaultVocabulary() {
  static const std::vector<std::string> words = {
      "spark",  "stream",   "batch",      "window", "state", "driver", "worker",  "block",
      "record", "receiver", "checkpoint", "kafka",  "flume", "error",  "lineage", "shuffle"};
  return words;
}

const std::string& Pick(const std::vector<std::string>& items, sim::Prng& random) {
  return items[static_cast<size_t>(random.UniformInt(0, static_cast<int64_t>(items.size()) - 1))];
}

class LogLines : public RecordGenerator {
 public:
  LogLines(uint64_t key, double error_share) : RecordGenerator(key), error_share_(error_share) {}
  std::string Draw(int64_t sequence, sim::Prng& random) const override {
    static const std::vector<std::string> components = {"web", "db", "auth", "cache", "queue"};
    static const std::vector<std::string> infos = {"request served", "connection opened",
                                                   "cache hit", "user logged in", "job queued"};
    static const std::vector<std::string> errors = {"error: timeout talking to db",
                                                    "error: disk full", "error: null response",
                                                    "error: connection refused"};
    const bool is_error = random.Bernoulli(error_share_);
    const std::string& component = Pick(components, random);
    const std::string& text = is_error ? Pick(errors, random) : Pick(infos, random);
    // Built by hand: fmt::format's run-time format parsing was a fifth of a checked run of the
    // chapter's example (the engine draws each line, the checker draws it again).
    std::string line = std::to_string(sequence);
    line.reserve(line.size() + component.size() + text.size() + 2);
    line += ' ';
    line += component;
    line += ' ';
    line += text;
    return line;
  }

 private:
  double error_share_;
};

class AccessLog : public RecordGenerator {
 public:
  AccessLog(uint64_t key, int64_t ip_count) : RecordGenerator(key), ip_count_(ip_count) {}
  std::string Draw(int64_t, sim::Prng& random) const override {
    static const std::vector<std::string> paths = {"/",          "/index.html",   "/login",
                                                   "/api/items", "/img/logo.png", "/search"};
    static const std::vector<std::string> methods = {"GET", "GET", "GET", "POST"};
    const int64_t ip = random.UniformInt(1, ip_count_);
    const double draw = random.UniformDouble();
    const int status = draw < 0.85 ? 200 : draw < 0.92 ? 304 : draw < 0.98 ? 404 : 500;
    // Drawn in turn, in the order the shipped runs drew them (a function's arguments are
    // evaluated in an order the language leaves open: the same build must not depend on it).
    const int64_t bytes = random.UniformInt(100, 5000);
    const std::string& path = Pick(paths, random);
    const std::string& method = Pick(methods, random);
    return fmt::format("10.0.{}.{} - - \"{} {} HTTP/1.1\" {} {}", ip / 256, ip % 256, method, path,
                       status, bytes);
  }

 private:
  int64_t ip_count_;
};

class Words : public RecordGenerator {
 public:
  Words(uint64_t key, std::vector<std::string> vocabulary, int64_t per_line)
      : RecordGenerator(key),
        vocabulary_(vocabulary.empty() ? DefaultVocabulary() : std::move(vocabulary)),
        per_line_(per_line) {}
  std::string Draw(int64_t, sim::Prng& random) const override {
    std::string line;
    for (int64_t i = 0; i < per_line_; ++i) {
      if (i > 0) line += ' ';
      line += Pick(vocabulary_, random);
    }
    return line;
  }

 private:
  std::vector<std::string> vocabulary_;
  int64_t per_line_;
};

class Integers : public RecordGenerator {
 public:
  Integers(uint64_t key, int64_t min, int64_t max) : RecordGenerator(key), min_(min), max_(max) {}
  std::string Draw(int64_t, sim::Prng& random) const override {
    return std::to_string(random.UniformInt(min_, max_));
  }

 private:
  int64_t min_;
  int64_t max_;
};

class FixedLines : public RecordGenerator {
 public:
  FixedLines(uint64_t key, std::vector<std::string> lines)
      : RecordGenerator(key), lines_(std::move(lines)) {}
  std::string Draw(int64_t sequence, sim::Prng&) const override {
    return lines_[static_cast<size_t>(sequence) % lines_.size()];
  }

 private:
  std::vector<std::string> lines_;
};

}  // namespace

std::string RecordGenerator::At(int64_t sequence) const {
  uint64_t mix = key_;
  mix = sim::SplitMix64(&mix) ^ static_cast<uint64_t>(sequence);
  sim::Prng random(sim::SplitMix64(&mix));
  return Draw(sequence, random);
}

std::unique_ptr<RecordGenerator> MakeGenerator(const GeneratorConfig& config, uint64_t key) {
  if (config.kind == "access_log") return std::make_unique<AccessLog>(key, config.ip_count);
  if (config.kind == "words") {
    return std::make_unique<Words>(key, config.vocabulary, config.words_per_line);
  }
  if (config.kind == "integers") return std::make_unique<Integers>(key, config.min, config.max);
  if (config.kind == "lines" && !config.lines.empty()) {
    return std::make_unique<FixedLines>(key, config.lines);
  }
  STREAMSIM_ASSERT(config.kind == "log_lines");
  return std::make_unique<LogLines>(key, config.error_share);
}

}  // namespace streamsim::records
