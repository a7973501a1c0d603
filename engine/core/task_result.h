// TaskError and TaskResult<T>: a task that cannot finish says so as a value. A block or shuffle
// output is gone, a file or a broker cannot be read, a sink refuses a write: these are expected
// events of a run with faults, not exceptions. The scheduler retries the task
// (spark.task.maxFailures) or, for a lost shuffle output, runs the map stage again.
#pragma once

#include <string>
#include <utility>

#include "base/expected.h"

namespace streamsim::engine {

struct TaskError {
  enum class Kind { kMissingBlock, kFetchFailed, kStorage, kUser };
  Kind kind = Kind::kUser;
  std::string message;
  int shuffle_id = -1;  // the shuffle whose output was lost (kFetchFailed)

  static TaskError Storage(std::string message) {
    return TaskError{Kind::kStorage, std::move(message), -1};
  }
};

// The partition's records (or a task's result), or why the task failed.
template <typename T>
using TaskResult = base::Expected<T, TaskError>;

}  // namespace streamsim::engine
