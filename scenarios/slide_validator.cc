// The slide walk: each stream's chain applied in order, its inputs first.
#include "scenarios/slide_validator.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>

namespace streamsim::scenarios {
namespace {

// Spark's message for streams of different slides combined into one (UnionDStream,
// TransformedDStream, which the joins and cogroup use).
constexpr char kDifferentSlides[] = "Some of the DStreams have different slide durations";

bool IsWindowOperator(const std::string& name) {
  return name == "window" || name == "reduceByWindow" || name == "reduceByKeyAndWindow" ||
         name == "countByWindow" || name == "countByValueAndWindow" ||
         name == "groupByKeyAndWindow";
}

bool IsMultipleOf(sim::Duration duration, sim::Duration slide) {
  return slide.us > 0 && duration.us % slide.us == 0;
}

std::optional<LoadError> CheckWindow(const OperatorSpec& op, sim::Duration parent) {
  if (op.window.has_value() && !IsMultipleOf(*op.window, parent)) {
    return LoadError{op.window_position,
                     fmt::format("The window duration of windowed DStream ({}) must be a multiple "
                                 "of the slide duration of parent DStream ({})",
                                 SparkDurationText(*op.window), SparkDurationText(parent))};
  }
  if (op.slide.has_value() && !IsMultipleOf(*op.slide, parent)) {
    return LoadError{op.slide_position,
                     fmt::format("The slide duration of windowed DStream ({}) must be a multiple "
                                 "of the slide duration of parent DStream ({})",
                                 SparkDurationText(*op.slide), SparkDurationText(parent))};
  }
  return std::nullopt;
}

class SlideWalk {
 public:
  explicit SlideWalk(const Scenario& scenario)
      : scenario_(scenario),
        slides_(scenario.streams.size()),
        checkpointed_(scenario.streams.size()) {
    for (size_t i = 0; i < scenario.streams.size(); ++i) index_of_[scenario.streams[i].name] = i;
  }

  std::optional<LoadError> Run(std::vector<CheckpointedOperator>* checkpointed) {
    for (size_t i = 0; i < scenario_.streams.size(); ++i) {
      if (slides_[i].has_value()) continue;
      if (auto error = WalkStream(i)) return error;
    }
    for (const std::vector<CheckpointedOperator>& of_stream : checkpointed_) {
      checkpointed->insert(checkpointed->end(), of_stream.begin(), of_stream.end());
    }
    return std::nullopt;
  }

 private:
  // The slide of the source or stream `name`, walking the stream first when needed.
  std::optional<LoadError> SlideOf(const std::string& name, sim::Duration* slide) {
    const auto stream = index_of_.find(name);
    if (stream == index_of_.end()) {
      *slide = scenario_.streaming.batch_interval;  // a source
      return std::nullopt;
    }
    if (!slides_[stream->second].has_value()) {
      if (auto error = WalkStream(stream->second)) return error;
    }
    *slide = *slides_[stream->second];
    return std::nullopt;
  }

  std::optional<LoadError> WalkStream(size_t index) {
    const StreamSpec& stream = scenario_.streams[index];
    sim::Duration slide;
    if (auto error = SlideOf(stream.from, &slide)) return error;
    for (const OperatorSpec& op : stream.ops) {
      if (auto error = CheckOthers(op, slide)) return error;
      if (IsWindowOperator(op.name)) {
        if (auto error = CheckWindow(op, slide)) return error;
        slide = op.slide.value_or(slide);
      }
      if (MustCheckpoint(op)) checkpointed_[index].push_back({&stream, &op, slide});
    }
    slides_[index] = slide;
    return std::nullopt;
  }

  // The streams `op` (and the chain inside it) combines with must slide like the stream does.
  std::optional<LoadError> CheckOthers(const OperatorSpec& op, sim::Duration slide) {
    if (!op.other.empty()) {
      sim::Duration other_slide;
      if (auto error = SlideOf(op.other, &other_slide)) return error;
      if (other_slide != slide) return LoadError{op.other_position, kDifferentSlides};
    }
    for (const OperatorSpec& nested : op.ops) {
      if (auto error = CheckOthers(nested, slide)) return error;
    }
    return std::nullopt;
  }

  const Scenario& scenario_;
  std::map<std::string, size_t> index_of_;
  std::vector<std::optional<sim::Duration>> slides_;             // per stream, once walked
  std::vector<std::vector<CheckpointedOperator>> checkpointed_;  // per stream
};

}  // namespace

bool MustCheckpoint(const OperatorSpec& op) {
  if (op.name == "reduceByKeyAndWindow" || op.name == "reduceByWindow") {
    return op.inverse.has_value();
  }
  return op.name == "updateStateByKey" || op.name == "mapWithState" || op.name == "countByWindow" ||
         op.name == "countByValueAndWindow";
}

std::string SparkDurationText(sim::Duration duration) {
  const int64_t magnitude = duration.us < 0 ? -duration.us : duration.us;
  const char* sign = duration.us < 0 ? "-" : "";
  if (magnitude % 1000 == 0) return fmt::format("{}{} ms", sign, magnitude / 1000);
  std::string fraction = fmt::format("{:03}", magnitude % 1000);
  while (fraction.back() == '0') fraction.pop_back();
  return fmt::format("{}{}.{} ms", sign, magnitude / 1000, fraction);
}

std::optional<LoadError> CheckSlides(const Scenario& scenario,
                                     std::vector<CheckpointedOperator>* checkpointed) {
  if (checkpointed == nullptr) std::abort();
  return SlideWalk(scenario).Run(checkpointed);
}

}  // namespace streamsim::scenarios
