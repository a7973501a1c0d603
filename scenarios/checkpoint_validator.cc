// Checkpoint directory and interval against the streams that checkpoint.
#include "scenarios/checkpoint_validator.h"

#include <fmt/format.h>

namespace streamsim::scenarios {
namespace {

std::optional<LoadError> CheckInterval(const StreamingSpec& streaming,
                                       const CheckpointedOperator& checkpointed) {
  const sim::Duration interval = *streaming.checkpoint_interval;
  const std::string interval_text = SparkDurationText(interval);
  const std::string slide_text = SparkDurationText(checkpointed.slide);
  if (interval < checkpointed.slide) {
    return LoadError{streaming.checkpoint_interval_position,
                     fmt::format("The checkpoint interval for {} has been set to {} which is lower "
                                 "than its slide time ({}). Please set it to at least {}.",
                                 checkpointed.stream->name, interval_text, slide_text, slide_text)};
  }
  if (checkpointed.slide.us <= 0 || interval.us % checkpointed.slide.us != 0) {
    // Spark's wording, "which not a multiple" included.
    return LoadError{streaming.checkpoint_interval_position,
                     fmt::format("The checkpoint interval for {} has been set to {} which not a "
                                 "multiple of its slide time ({}). Please set it to a multiple of "
                                 "{}.",
                                 checkpointed.stream->name, interval_text, slide_text, slide_text)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<LoadError> CheckCheckpoints(const StreamingSpec& streaming,
                                          const std::vector<CheckpointedOperator>& checkpointed) {
  if (checkpointed.empty()) return std::nullopt;
  if (!streaming.checkpoint_dir.has_value()) {
    return LoadError{checkpointed.front().op->position,
                     "The checkpoint directory has not been set. Please set it by "
                     "StreamingContext.checkpoint()."};
  }
  if (!streaming.checkpoint_interval.has_value()) return std::nullopt;
  for (const CheckpointedOperator& each : checkpointed) {
    if (auto error = CheckInterval(streaming, each)) return error;
  }
  return std::nullopt;
}

}  // namespace streamsim::scenarios
