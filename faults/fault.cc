// Faults as data: parsing crash targets and writing faults back as words and as YAML.
#include "faults/fault.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace streamsim::faults {

Fault CrashFault(const std::string& target, sim::Duration at,
                 std::optional<sim::Duration> restart_after) {
  Fault fault;
  fault.at = at;
  fault.restart_after = restart_after;
  const size_t slash = target.find('/');
  const std::string kind = target.substr(0, slash);
  if (kind == "worker" || kind == "executor") {
    fault.kind = kind == "worker" ? Fault::Kind::kCrashWorker : Fault::Kind::kCrashExecutor;
    fault.worker = std::stoi(target.substr(slash + 1));
    // A standalone worker relaunches a dead executor process by itself.
    if (kind == "executor" && !restart_after) fault.restart_after = sim::Duration::Seconds(1);
  } else if (kind == "receiver") {
    fault.kind = Fault::Kind::kCrashReceiver;
    fault.target = target.substr(slash + 1);
  }
  return fault;
}

const char* StorageModeName(Fault::StorageMode mode) {
  switch (mode) {
    case Fault::StorageMode::kRefuseWrites:
      return "refuse_writes";
    case Fault::StorageMode::kSlow:
      return "slow";
    case Fault::StorageMode::kTornWrites:
      return "torn_writes";
  }
  return "?";
}

bool StorageModeFromName(const std::string& name, Fault::StorageMode* mode) {
  for (Fault::StorageMode candidate : {Fault::StorageMode::kRefuseWrites, Fault::StorageMode::kSlow,
                                       Fault::StorageMode::kTornWrites}) {
    if (name == StorageModeName(candidate)) {
      *mode = candidate;
      return true;
    }
  }
  return false;
}

namespace {

std::string CrashTarget(const Fault& fault) {
  switch (fault.kind) {
    case Fault::Kind::kCrashDriver:
      return "driver";
    case Fault::Kind::kCrashWorker:
      return fmt::format("worker/{}", fault.worker);
    case Fault::Kind::kCrashExecutor:
      return fmt::format("executor/{}", fault.worker);
    default:
      return "receiver/" + fault.target;
  }
}

bool IsCrash(const Fault& fault) {
  return fault.kind == Fault::Kind::kCrashDriver || fault.kind == Fault::Kind::kCrashWorker ||
         fault.kind == Fault::Kind::kCrashExecutor || fault.kind == Fault::Kind::kCrashReceiver;
}

// "[[driver], [worker/1, worker/2]]"
std::string Sides(const Fault& fault) {
  std::vector<std::string> sides;
  for (const auto& side : fault.sides) sides.push_back(fmt::format("[{}]", fmt::join(side, ", ")));
  return fmt::format("[{}]", fmt::join(sides, ", "));
}

std::string NetworkSettings(const Fault& fault) {
  std::vector<std::string> settings;
  if (fault.loss > 0) settings.push_back(fmt::format("loss: {}", fault.loss));
  if (fault.extra_latency > sim::Duration{}) {
    settings.push_back("extra_latency: " + sim::FormatDuration(fault.extra_latency));
  }
  return fmt::format("{{{}}}", fmt::join(settings, ", "));
}

}  // namespace

std::string Describe(const Fault& fault) {
  const std::string at = sim::FormatDuration(fault.at);
  const std::string length = sim::FormatDuration(fault.length);
  switch (fault.kind) {
    case Fault::Kind::kPause:
      return fmt::format("pause {} at {} for {}", fault.target, at, length);
    case Fault::Kind::kPartition:
      return fmt::format("partition {} at {} for {}", Sides(fault), at, length);
    case Fault::Kind::kNetwork:
      return fmt::format("network {} at {} for {}", NetworkSettings(fault), at, length);
    case Fault::Kind::kStorage: {
      std::string text = fmt::format("storage {}", StorageModeName(fault.storage));
      if (fault.storage == Fault::StorageMode::kSlow) {
        text += " (+" + sim::FormatDuration(fault.extra_latency) + " per write)";
      }
      return fmt::format("{} at {} for {}", text, at, length);
    }
    case Fault::Kind::kDown:
      return fmt::format("{} down at {} for {}", fault.target, at, length);
    default:
      break;
  }
  std::string text = fmt::format("crash {} at {}", CrashTarget(fault), at);
  if (fault.restart_after) {
    text += fmt::format(", restart after {}", sim::FormatDuration(*fault.restart_after));
  }
  return text;
}

std::string ToYaml(const Fault& fault) {
  std::string text = "{at: " + sim::FormatDuration(fault.at);
  if (IsCrash(fault)) {
    text += ", crash: " + CrashTarget(fault);
    if (fault.restart_after)
      text += ", restart_after: " + sim::FormatDuration(*fault.restart_after);
    return text + "}";
  }
  switch (fault.kind) {
    case Fault::Kind::kPause:
      text += ", pause: " + fault.target;
      break;
    case Fault::Kind::kPartition:
      text += ", partition: " + Sides(fault);
      break;
    case Fault::Kind::kNetwork:
      text += ", network: " + NetworkSettings(fault);
      break;
    case Fault::Kind::kStorage:
      text += fmt::format(", storage: {}", StorageModeName(fault.storage));
      if (fault.storage == Fault::StorageMode::kSlow) {
        text += ", extra_latency: " + sim::FormatDuration(fault.extra_latency);
      }
      break;
    default:  // kDown
      text += ", down: " + fault.target;
      break;
  }
  return text + ", for: " + sim::FormatDuration(fault.length) + "}";
}

}  // namespace streamsim::faults
