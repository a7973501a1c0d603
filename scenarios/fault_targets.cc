// Fault targets: what exists in a scenario for a fault to hit.
#include "scenarios/fault_targets.h"

#include <fmt/format.h>

#include <algorithm>

namespace streamsim::scenarios {

bool IsReceiverBased(const SourceSpec& source) {
  return source.kind == SourceKind::kSocket || source.kind == SourceKind::kCustom ||
         source.kind == SourceKind::kFlume || source.kind == SourceKind::kKinesis ||
         (source.kind == SourceKind::kKafka && source.mode == SourceMode::kReceiver);
}

std::vector<std::string> ReceiverNames(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const SourceSpec& source : scenario.sources) {
    if (IsReceiverBased(source)) names.push_back(source.name);
  }
  return names;
}

std::vector<std::string> RandomDownTargets(const Scenario& scenario) {
  std::vector<std::string> targets;
  for (const SourceSpec& source : scenario.sources) {
    if (source.kind == SourceKind::kKafka || source.kind == SourceKind::kFlume ||
        source.kind == SourceKind::kKinesis || source.kind == SourceKind::kCustom) {
      targets.push_back(std::string(SourceKindName(source.kind)) + "/" + source.name);
    }
  }
  return targets;
}

std::map<std::string, std::string> ExternalSystems(const Scenario& scenario) {
  std::map<std::string, std::string> systems;
  for (const SourceSpec& source : scenario.sources) {
    if (source.kind == SourceKind::kKafka) {
      systems["kafka/" + source.name] = "kafka/" + source.topic;
      systems["kafka/" + source.topic] = "kafka/" + source.topic;
    } else if (source.kind == SourceKind::kSocket) {
      systems["socket/" + source.name] = fmt::format("socket/{}:{}", source.host, source.port);
    } else if (source.kind == SourceKind::kFlume || source.kind == SourceKind::kKinesis ||
               source.kind == SourceKind::kCustom) {
      const std::string system = std::string(SourceKindName(source.kind)) + "/" + source.name;
      systems[system] = system;
    }
  }
  return systems;
}

namespace {

// The worker number of "worker/N" or "executor/N", or -1.
int WorkerIndex(const std::string& name) {
  for (const char* prefix : {"worker/", "executor/"}) {
    const std::string p = prefix;
    if (name.rfind(p, 0) == 0) return std::stoi(name.substr(p.size()));
  }
  return -1;
}

std::optional<std::string> CheckMachine(const Scenario& scenario, const std::string& name) {
  const int worker = WorkerIndex(name);
  if (worker >= scenario.cluster.workers) {
    return fmt::format("the cluster has {} worker(s), numbered from 0", scenario.cluster.workers);
  }
  return std::nullopt;
}

// A node a partition may cut: driver, worker/N, executor/N, or an external system.
std::optional<std::string> CheckNode(const Scenario& scenario, const std::string& name) {
  if (name == "driver") return std::nullopt;
  if (WorkerIndex(name) >= 0 || name.rfind("worker/", 0) == 0) return CheckMachine(scenario, name);
  if (ExternalSystems(scenario).count(name)) return std::nullopt;
  return fmt::format(
      "no node is named '{}'; nodes are driver, worker/N and the sources' "
      "systems (kafka/NAME, socket/NAME, flume/NAME, kinesis/NAME, custom/NAME)",
      name);
}

std::optional<std::string> CheckFault(const Scenario& scenario, const faults::Fault& fault) {
  using Kind = faults::Fault::Kind;
  switch (fault.kind) {
    case Kind::kCrashWorker:
    case Kind::kCrashExecutor:
      if (fault.worker >= scenario.cluster.workers) {
        return fmt::format("fault crashes {}/{} but the cluster has {} worker(s), numbered from 0",
                           fault.kind == Kind::kCrashWorker ? "worker" : "executor", fault.worker,
                           scenario.cluster.workers);
      }
      return std::nullopt;
    case Kind::kCrashReceiver: {
      const std::vector<std::string> receivers = ReceiverNames(scenario);
      if (std::find(receivers.begin(), receivers.end(), fault.target) == receivers.end()) {
        return fmt::format(
            "fault crashes receiver '{}' but no receiver-based source has that "
            "name",
            fault.target);
      }
      return std::nullopt;
    }
    case Kind::kPause:
      if (auto problem = CheckMachine(scenario, fault.target)) {
        return fmt::format("fault pauses {} but {}", fault.target, *problem);
      }
      return std::nullopt;
    case Kind::kPartition:
      for (const auto& side : fault.sides) {
        for (const std::string& name : side) {
          if (auto problem = CheckNode(scenario, name)) return "partition: " + *problem;
        }
      }
      return std::nullopt;
    case Kind::kDown:
      if (!ExternalSystems(scenario).count(fault.target)) {
        return fmt::format("fault takes down '{}' but no source of the scenario runs that system",
                           fault.target);
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<LoadError> CheckFaultTargets(const Scenario& scenario) {
  for (const FaultSpec& spec : scenario.faults) {
    if (auto problem = CheckFault(scenario, spec.fault)) return LoadError{spec.position, *problem};
  }
  return std::nullopt;
}

}  // namespace streamsim::scenarios
