// The always-on assertion: STREAMSIM_ASSERT(condition) or STREAMSIM_ASSERT(condition, message)
// checks a programmer's invariant in every build type (a release build that skipped it would hide
// the bugs the simulator exists to find; STYLE.md practice 5). When the condition is false it
// prints the condition, file:line, the message if given, and — when a run is going (see
// base/run_context.h) — the run's seed, the simulated time and the command that replays the run,
// then aborts the process. It is for broken invariants only: bad input and expected failures
// (a crashed node, a refused write) are values (base/status.h), never assertions.
#pragma once

#include <string>

namespace streamsim::base {

// Prints the failure report to stderr and aborts. Called by STREAMSIM_ASSERT only.
[[noreturn]] void AssertionFailed(const char* condition, const char* file, int line,
                                  const std::string& message);

}  // namespace streamsim::base

#define STREAMSIM_ASSERT_MESSAGE_(condition, message, ...) message
#define STREAMSIM_ASSERT(...)                                                                   \
  do {                                                                                          \
    if (!(STREAMSIM_ASSERT_CONDITION_(__VA_ARGS__, unused))) [[unlikely]] {                     \
      ::streamsim::base::AssertionFailed(STREAMSIM_ASSERT_TEXT_(__VA_ARGS__, unused), __FILE__, \
                                         __LINE__,                                              \
                                         STREAMSIM_ASSERT_MESSAGE_(__VA_ARGS__, "", unused));   \
    }                                                                                           \
  } while (false)
#define STREAMSIM_ASSERT_CONDITION_(condition, ...) condition
#define STREAMSIM_ASSERT_TEXT_(condition, ...) #condition
