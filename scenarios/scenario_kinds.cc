// The names of the scenario's source, mode, output and sink kinds (scenarios/scenario.h).
#include <array>
#include <utility>

#include "base/assert.h"
#include "scenarios/scenario.h"

namespace streamsim::scenarios {
namespace {

template <typename Kind, size_t N>
std::string_view NameOf(const std::array<std::pair<Kind, std::string_view>, N>& names, Kind kind) {
  for (const auto& [known, name] : names) {
    if (known == kind) return name;
  }
  STREAMSIM_ASSERT(false, "a kind without a name");
  return "";
}

template <typename Kind, size_t N>
Kind KindNamed(const std::array<std::pair<Kind, std::string_view>, N>& names,
               std::string_view name) {
  for (const auto& [kind, known] : names) {
    if (known == name) return kind;
  }
  STREAMSIM_ASSERT(false, "a kind name the reader did not offer: " + std::string(name));
  return names[0].first;
}

constexpr std::array<std::pair<SourceKind, std::string_view>, 7> kSourceKinds = {{
    {SourceKind::kQueue, "queue"},
    {SourceKind::kSocket, "socket"},
    {SourceKind::kFile, "file"},
    {SourceKind::kKafka, "kafka"},
    {SourceKind::kCustom, "custom"},
    {SourceKind::kFlume, "flume"},
    {SourceKind::kKinesis, "kinesis"},
}};
constexpr std::array<std::pair<SourceMode, std::string_view>, 4> kSourceModes = {{
    {SourceMode::kDirect, "direct"},
    {SourceMode::kReceiver, "receiver"},
    {SourceMode::kPush, "push"},
    {SourceMode::kPull, "pull"},
}};
constexpr std::array<std::pair<OutputKind, std::string_view>, 5> kOutputKinds = {{
    {OutputKind::kPrint, "print"},
    {OutputKind::kCollect, "collect"},
    {OutputKind::kSaveAsTextFiles, "saveAsTextFiles"},
    {OutputKind::kForeachRdd, "foreachRDD"},
    {OutputKind::kSink, "sink"},
}};
constexpr std::array<std::pair<SinkKind, std::string_view>, 4> kSinkKinds = {{
    {SinkKind::kFile, "file"},
    {SinkKind::kIdempotent, "idempotent"},
    {SinkKind::kTransactional, "transactional"},
    {SinkKind::kAppend, "append"},
}};

}  // namespace

std::string_view SourceKindName(SourceKind kind) { return NameOf(kSourceKinds, kind); }
std::string_view SourceModeName(SourceMode mode) { return NameOf(kSourceModes, mode); }
std::string_view OutputKindName(OutputKind kind) { return NameOf(kOutputKinds, kind); }
std::string_view SinkKindName(SinkKind kind) { return NameOf(kSinkKinds, kind); }
SourceKind SourceKindFromName(std::string_view name) { return KindNamed(kSourceKinds, name); }
SourceMode SourceModeFromName(std::string_view name) { return KindNamed(kSourceModes, name); }
OutputKind OutputKindFromName(std::string_view name) { return KindNamed(kOutputKinds, name); }
SinkKind SinkKindFromName(std::string_view name) { return KindNamed(kSinkKinds, name); }

}  // namespace streamsim::scenarios
