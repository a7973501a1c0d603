// The report of a failed STREAMSIM_ASSERT (base/assert.h).
#include "base/assert.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "base/run_context.h"

namespace streamsim::base {

void AssertionFailed(const char* condition, const char* file, int line,
                     const std::string& message) {
  std::fprintf(stderr, "assertion failed: %s\n  at %s:%d\n", condition, file, line);
  if (!message.empty()) std::fprintf(stderr, "  %s\n", message.c_str());
  if (const RunContext* run = CurrentRunContext()) {
    std::fprintf(stderr, "  seed: %" PRIu64 "\n", run->seed);
    if (run->now_us) {
      const int64_t now_us = run->now_us();
      std::fprintf(stderr, "  simulated time: %" PRId64 ".%06" PRId64 " s\n", now_us / 1000000,
                   now_us % 1000000);
    }
    if (!run->replay_command.empty()) {
      std::fprintf(stderr, "  replay: %s\n", run->replay_command.c_str());
    }
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace streamsim::base
