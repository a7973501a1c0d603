// What an assertion failure says about the run it broke: the run's seed, the simulated time and
// the command that replays it. The harness sets it for the length of a run (ScopedRunContext) on
// the thread that runs the simulation; base/assert.cc reads it when an assertion fires. It is the
// one thread-local in the project and it is read for that message only — nothing a run computes
// may depend on it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace streamsim::base {

struct RunContext {
  uint64_t seed = 0;
  // The simulated time now, in microseconds (the world's clock).
  std::function<int64_t()> now_us;
  // The command a user types to replay the run, e.g. "streamsim run x.yaml --seed 7".
  std::string replay_command;
};

// The run going on this thread, or null.
const RunContext* CurrentRunContext();

// Sets the thread's run context for its lifetime; the previous one comes back after.
class ScopedRunContext {
 public:
  explicit ScopedRunContext(RunContext context);
  ~ScopedRunContext();
  ScopedRunContext(const ScopedRunContext&) = delete;
  ScopedRunContext& operator=(const ScopedRunContext&) = delete;

 private:
  RunContext context_;
  const RunContext* previous_;
};

}  // namespace streamsim::base
