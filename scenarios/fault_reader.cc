// Faults: one mapping per fault, sorted by time once read.
#include "scenarios/fault_reader.h"

#include <algorithm>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scenarios/suggest.h"
#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

constexpr size_t kFaultsMax = 10000;

// What a fault may crash, in this version.
const std::vector<std::string_view>& CrashTargets() {
  static const std::vector<std::string_view> targets = {"driver"};
  return targets;
}

std::string ReadCrashTarget(const YamlField& field) {
  std::string target = ToName(field);
  const std::vector<std::string_view>& targets = CrashTargets();
  if (std::find(targets.begin(), targets.end(), target) == targets.end()) {
    Fail(field.position,
         fmt::format("unknown crash target '{}'; this version supports: {}{}", target,
                     fmt::join(targets, ", "), DidYouMean(target, targets)));
  }
  return target;
}

FaultSpec ReadFault(const YamlContext& context, const YamlField& field, size_t index) {
  const MappingReader mapping(context, field, fmt::format("fault {}", index + 1),
                              {"at", "crash", "restart_after"});
  FaultSpec fault;
  fault.position = field.position;
  fault.at = ToDuration(mapping.Required("at"));
  fault.crash = ReadCrashTarget(mapping.Required("crash"));
  if (mapping.Has("restart_after")) {
    fault.restart_after = ToPositiveDuration(mapping.Field("restart_after"));
  }
  return fault;
}

}  // namespace

std::vector<FaultSpec> ReadFaults(const YamlContext& context, const YamlField& faults) {
  std::vector<FaultSpec> specs;
  for (const YamlField& item : SequenceItems(context, faults, kFaultsMax)) {
    specs.push_back(ReadFault(context, item, specs.size()));
  }
  std::stable_sort(specs.begin(), specs.end(),
                   [](const FaultSpec& a, const FaultSpec& b) { return a.at < b.at; });
  return specs;
}

}  // namespace streamsim::scenarios
