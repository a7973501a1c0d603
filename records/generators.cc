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
  explicit LogLines(double error_share) : error_share_(error_share) {}
  std::string Next(int64_t sequence, sim::Prng& random) override {
    static const std::vector<std::string> components = {"web", "db", "auth", "cache", "queue"};
    static const std::vector<std::string> infos = {"request served", "connection opened",
                                                   "cache hit", "user logged in", "job queued"};
    static const std::vector<std::string> errors = {"error: timeout talking to db",
                                                    "error: disk full", "error: null response",
                                                    "error: connection refused"};
    const bool is_error = random.Bernoulli(error_share_);
    const std::string& component = Pick(components, random);
    const std::string& text = is_error ? Pick(errors, random) : Pick(infos, random);
    return fmt::format("{} {} {}", sequence, component, text);
  }

 private:
  double error_share_;
};

class AccessLog : public RecordGenerator {
 public:
  explicit AccessLog(int64_t ip_count) : ip_count_(ip_count) {}
  std::string Next(int64_t, sim::Prng& random) override {
    static const std::vector<std::string> paths = {"/",          "/index.html",   "/login",
                                                   "/api/items", "/img/logo.png", "/search"};
    static const std::vector<std::string> methods = {"GET", "GET", "GET", "POST"};
    const int64_t ip = random.UniformInt(1, ip_count_);
    const double draw = random.UniformDouble();
    const int status = draw < 0.85 ? 200 : draw < 0.92 ? 304 : draw < 0.98 ? 404 : 500;
    return fmt::format("10.0.{}.{} - - \"{} {} HTTP/1.1\" {} {}", ip / 256, ip % 256,
                       Pick(methods, random), Pick(paths, random), status,
                       random.UniformInt(100, 5000));
  }

 private:
  int64_t ip_count_;
};

class Words : public RecordGenerator {
 public:
  Words(std::vector<std::string> vocabulary, int64_t per_line)
      : vocabulary_(vocabulary.empty() ? DefaultVocabulary() : std::move(vocabulary)),
        per_line_(per_line) {}
  std::string Next(int64_t, sim::Prng& random) override {
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
  Integers(int64_t min, int64_t max) : min_(min), max_(max) {}
  std::string Next(int64_t, sim::Prng& random) override {
    return std::to_string(random.UniformInt(min_, max_));
  }

 private:
  int64_t min_;
  int64_t max_;
};

class FixedLines : public RecordGenerator {
 public:
  explicit FixedLines(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  std::string Next(int64_t sequence, sim::Prng&) override {
    return lines_[static_cast<size_t>(sequence) % lines_.size()];
  }

 private:
  std::vector<std::string> lines_;
};

}  // namespace

std::unique_ptr<RecordGenerator> MakeGenerator(const GeneratorConfig& config) {
  if (config.kind == "access_log") return std::make_unique<AccessLog>(config.ip_count);
  if (config.kind == "words") {
    return std::make_unique<Words>(config.vocabulary, config.words_per_line);
  }
  if (config.kind == "integers") return std::make_unique<Integers>(config.min, config.max);
  if (config.kind == "lines" && !config.lines.empty()) {
    return std::make_unique<FixedLines>(config.lines);
  }
  STREAMSIM_ASSERT(config.kind == "log_lines");
  return std::make_unique<LogLines>(config.error_share);
}

}  // namespace streamsim::records
