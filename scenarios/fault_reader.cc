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

// What a fault may crash: the driver, a worker machine or its executor (numbered from 0), or a
// receiver by its source's name. Whether the worker or receiver exists is checked by the validator.
bool IsIndexed(const std::string& target, const std::string& prefix) {
  if (target.compare(0, prefix.size(), prefix) != 0 || target.size() == prefix.size()) return false;
  const std::string digits = target.substr(prefix.size());
  return digits.size() <= 4 && std::all_of(digits.begin(), digits.end(),
                                           [](char c) { return c >= '0' && c <= '9'; });
}

std::string ReadCrashTarget(const YamlField& field) {
  std::string target = ToName(field);
  const bool receiver = target.rfind("receiver/", 0) == 0 && target.size() > 9;
  if (target == "driver" || IsIndexed(target, "worker/") || IsIndexed(target, "executor/") ||
      receiver) {
    return target;
  }
  static const std::vector<std::string_view> kinds = {"driver", "worker/0", "executor/0"};
  Fail(field.position,
       fmt::format("unknown crash target '{}'; expected driver, worker/N, executor/N or "
                   "receiver/NAME{}",
                   target, DidYouMean(target, kinds)));
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
