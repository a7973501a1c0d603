// The run trace: one line per significant event ("<time us> <category> <text>"). The run
// fingerprint is the XXH64 hash of every line in order, so two runs with the same fingerprint
// made the same observable decisions at the same instants. Lines go to an optional sink (the CLI's
// --trace FILE); the hash is always kept.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "simulator/time.h"

struct XXH64_state_s;

namespace streamsim::sim {

class Trace {
 public:
  Trace();
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  void Record(Instant at, std::string_view category, std::string_view text);
  // Every recorded line (with its trailing newline) is also passed to `sink`.
  void SetSink(std::function<void(std::string_view line)> sink) { sink_ = std::move(sink); }

  uint64_t Fingerprint() const;
  std::string FingerprintHex() const;  // 16 lowercase hex digits
  uint64_t lines() const { return lines_; }

 private:
  XXH64_state_s* state_;
  uint64_t lines_ = 0;
  std::function<void(std::string_view)> sink_;
  std::string buffer_;
};

}  // namespace streamsim::sim
