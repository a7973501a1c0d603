// Trace lines and the streaming XXH64 fingerprint over them.
#include "simulator/trace.h"

#include <fmt/format.h>
#include <xxhash.h>

namespace streamsim::sim {

Trace::Trace() : state_(XXH64_createState()) { XXH64_reset(state_, 0); }

Trace::~Trace() { XXH64_freeState(state_); }

void Trace::Record(Instant at, std::string_view category, std::string_view text) {
  buffer_.clear();
  fmt::format_to(std::back_inserter(buffer_), "{} {} {}\n", at.us, category, text);
  XXH64_update(state_, buffer_.data(), buffer_.size());
  ++lines_;
  if (sink_) sink_(buffer_);
}

uint64_t Trace::Fingerprint() const { return XXH64_digest(state_); }

std::string Trace::FingerprintHex() const { return fmt::format("{:016x}", Fingerprint()); }

}  // namespace streamsim::sim
