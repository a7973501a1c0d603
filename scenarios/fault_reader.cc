// Faults: one mapping per fault, sorted by time once read; or one random schedule.
#include "scenarios/fault_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "scenarios/suggest.h"
#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

using faults::Fault;

constexpr size_t kFaultsMax = 10000;
constexpr size_t kPartitionSidesMax = 64;
const std::vector<std::string_view> kFaultKinds = {"crash",   "pause",   "partition",
                                                   "network", "storage", "down"};

// worker/N or executor/N with N of at most four digits. Whether the worker exists is checked by
// the validator.
bool IsIndexed(const std::string& target, const std::string& prefix) {
  if (target.compare(0, prefix.size(), prefix) != 0 || target.size() == prefix.size()) return false;
  const std::string digits = target.substr(prefix.size());
  return digits.size() <= 4 &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
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

// A machine that can pause: the driver, or a worker (its executor's JVM).
std::string ReadPauseTarget(const YamlField& field) {
  std::string target = ToName(field);
  if (target == "driver" || IsIndexed(target, "worker/") || IsIndexed(target, "executor/")) {
    return target;
  }
  Fail(field.position,
       fmt::format("unknown pause target '{}'; expected driver, worker/N or executor/N", target));
}

// An external system: "<kind>/<name>" (kafka/events, flume/clicks, kinesis/taps, custom/x).
std::string ReadDownTarget(const YamlField& field) {
  std::string target = ToName(field);
  const size_t slash = target.find('/');
  static const std::vector<std::string_view> kinds = {"kafka", "flume", "kinesis", "custom"};
  const std::string kind = target.substr(0, slash);
  if (slash == std::string::npos || slash + 1 == target.size() ||
      std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    Fail(field.position, fmt::format("unknown external system '{}'; expected kafka/NAME, "
                                     "flume/NAME, kinesis/NAME or custom/NAME",
                                     target));
  }
  return target;
}

std::vector<std::vector<std::string>> ReadSides(const YamlContext& context,
                                                const YamlField& field) {
  std::vector<std::vector<std::string>> sides;
  for (const YamlField& side : SequenceItems(context, field, kPartitionSidesMax)) {
    std::vector<std::string> names;
    for (const YamlField& name : SequenceItems(context, side, kPartitionSidesMax)) {
      names.push_back(ToName(name));
    }
    if (names.empty()) Fail(side.position, "a partition side needs at least one node");
    sides.push_back(std::move(names));
  }
  if (sides.size() < 2) {
    Fail(field.position, "a partition needs at least two sides, e.g. [[driver], [worker/1]]");
  }
  return sides;
}

void ReadNetwork(const YamlContext& context, const YamlField& field, Fault* fault) {
  const MappingReader mapping(context, field, "network fault", {"loss", "extra_latency"});
  mapping.ReadNumber("loss", 0.0, 1.0, &fault->loss);
  if (mapping.Has("extra_latency"))
    fault->extra_latency = ToDuration(mapping.Field("extra_latency"));
  if (fault->loss == 0.0 && fault->extra_latency == sim::Duration{}) {
    Fail(field.position, "a network fault needs a loss above 0 or an extra_latency above 0");
  }
}

// The one key among kFaultKinds the mapping has.
std::string FaultKindOf(const MappingReader& mapping) {
  std::vector<std::string> present;
  for (std::string_view kind : kFaultKinds) {
    if (mapping.Has(kind)) present.emplace_back(kind);
  }
  if (present.size() == 1) return present.front();
  if (present.empty()) {
    Fail(mapping.position(),
         fmt::format("{} needs one of: {}", mapping.section(), fmt::join(kFaultKinds, ", ")));
  }
  Fail(mapping.KeyPosition(present[1]),
       fmt::format("{} has both '{}' and '{}'; give one fault per entry", mapping.section(),
                   present[0], present[1]));
}

// Keys that belong to one kind only: "restart_after" to crashes, "for" to the others,
// "extra_latency" to storage.
void CheckKeysFit(const MappingReader& mapping, const std::string& kind) {
  auto refuse = [&](std::string_view key, const std::string& why) {
    if (mapping.Has(key)) Fail(mapping.KeyPosition(key), why);
  };
  if (kind == "crash") {
    refuse("for", "'for' is for windowed faults; a crash takes restart_after");
  } else {
    refuse("restart_after",
           fmt::format("'restart_after' is for crashes; a {} fault takes 'for'", kind));
  }
  if (kind != "storage") {
    refuse("extra_latency",
           "'extra_latency' at this level is for storage: slow; a network "
           "fault takes network: {extra_latency: ...}");
  }
}

Fault ReadFault(const YamlContext& context, const YamlField& field, size_t index) {
  const MappingReader mapping(context, field, fmt::format("fault {}", index + 1),
                              {"at", "crash", "restart_after", "pause", "for", "partition",
                               "network", "storage", "extra_latency", "down"});
  const sim::Duration at = ToDuration(mapping.Required("at"));
  const std::string kind = FaultKindOf(mapping);
  CheckKeysFit(mapping, kind);
  if (kind == "crash") {
    const std::string target = ReadCrashTarget(mapping.Field("crash"));
    std::optional<sim::Duration> restart_after;
    if (mapping.Has("restart_after")) {
      // Spark relaunches a failed receiver itself, after spark.streaming.receiverRestartDelay
      // (2 s): no per-crash delay to give, and one accepted and ignored would mislead.
      if (target.rfind("receiver/", 0) == 0) {
        Fail(mapping.KeyPosition("restart_after"),
             "'restart_after' does not apply to a receiver crash: Spark relaunches the receiver "
             "itself after spark.streaming.receiverRestartDelay (2 s)");
      }
      restart_after = ToPositiveDuration(mapping.Field("restart_after"));
    }
    return faults::CrashFault(target, at, restart_after);
  }
  Fault fault;
  fault.at = at;
  fault.length = ToPositiveDuration(mapping.Required("for"));
  const YamlField value = mapping.Field(kind);
  if (kind == "pause") {
    fault.kind = Fault::Kind::kPause;
    fault.target = ReadPauseTarget(value);
  } else if (kind == "partition") {
    fault.kind = Fault::Kind::kPartition;
    fault.sides = ReadSides(context, value);
    if (fault.length > sim::Duration::Seconds(120)) {
      Fail(mapping.Field("for").position,
           "a partition longer than spark.network.timeout (120s) would make Spark drop the "
           "executors it cuts off; streamsim does not model that timeout, so keep it to 120s");
    }
  } else if (kind == "network") {
    fault.kind = Fault::Kind::kNetwork;
    ReadNetwork(context, value, &fault);
  } else if (kind == "storage") {
    fault.kind = Fault::Kind::kStorage;
    const std::string mode =
        ToChoice(value, {"refuse_writes", "slow", "torn_writes"}, "storage fault");
    faults::StorageModeFromName(mode, &fault.storage);
    if (fault.storage == Fault::StorageMode::kSlow) {
      fault.extra_latency = ToPositiveDuration(mapping.Required("extra_latency"));
    } else if (mapping.Has("extra_latency")) {
      Fail(mapping.KeyPosition("extra_latency"), "'extra_latency' is for storage: slow");
    }
  } else {
    fault.kind = Fault::Kind::kDown;
    fault.target = ReadDownTarget(value);
  }
  return fault;
}

faults::RandomFaults ReadRandom(const YamlContext& context, const YamlField& field) {
  const MappingReader mapping(context, field, "random faults",
                              {"kinds", "mean_interval", "start", "until", "restart_after", "for"});
  faults::RandomFaults random;
  std::vector<std::string_view> known;
  for (faults::FaultKind kind : faults::AllFaultKinds())
    known.push_back(faults::FaultKindName(kind));
  for (const YamlField& item : SequenceItems(context, mapping.Required("kinds"), known.size())) {
    // ToChoice accepts only a known name (else file:line:col and the list), so it parses.
    random.kinds.push_back(*faults::FaultKindFromName(ToChoice(item, known, "random fault kind")));
  }
  if (random.kinds.empty()) {
    Fail(mapping.Field("kinds").position,
         fmt::format("random faults need at least one kind: {}", fmt::join(known, ", ")));
  }
  random.mean_interval = ToPositiveDuration(mapping.Required("mean_interval"));
  mapping.ReadDuration("start", &random.start);
  if (mapping.Has("until")) random.until = ToPositiveDuration(mapping.Field("until"));
  if (mapping.Has("restart_after")) {
    random.restart_after = ToPositiveDuration(mapping.Field("restart_after"));
  }
  if (mapping.Has("for")) random.length = ToPositiveDuration(mapping.Field("for"));
  return random;
}

}  // namespace

void ReadFaultsSection(const YamlContext& context, const YamlField& faults, Scenario* scenario) {
  if (faults.node.IsMap()) {
    const MappingReader mapping(context, faults, "faults", {"random"});
    const YamlField random = mapping.Required("random");
    scenario->random_faults = RandomFaultsSpec{ReadRandom(context, random), random.position};
    return;
  }
  std::vector<FaultSpec> specs;
  for (const YamlField& item : SequenceItems(context, faults, kFaultsMax)) {
    specs.push_back(FaultSpec{ReadFault(context, item, specs.size()), item.position});
  }
  std::stable_sort(specs.begin(), specs.end(),
                   [](const FaultSpec& a, const FaultSpec& b) { return a.fault.at < b.fault.at; });
  scenario->faults = std::move(specs);
}

}  // namespace streamsim::scenarios
