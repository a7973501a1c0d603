// Drawing a random fault schedule.
#include "faults/random_faults.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace streamsim::faults {

namespace {

sim::Duration Millis(sim::Prng& random, int64_t lo_ms, int64_t hi_ms) {
  return sim::Duration::Millis(random.UniformInt(lo_ms, hi_ms));
}

// Draws one fault of `kind` at `at`, or nothing when the kind has no target.
class FaultDrawer {
 public:
  FaultDrawer(const RandomFaults& spec, const FaultTargets& targets, sim::Prng& random)
      : spec_(spec), targets_(targets), random_(random) {}

  std::optional<Fault> Draw(FaultKind kind, sim::Duration at) {
    Fault fault;
    fault.at = at;
    if (kind == FaultKind::kDriverCrash) return Crash(fault, "driver");
    if (kind == FaultKind::kWorkerCrash || kind == FaultKind::kExecutorCrash) {
      if (targets_.workers == 0) return std::nullopt;
      const int64_t worker = random_.UniformInt(0, targets_.workers - 1);
      return Crash(
          fault,
          fmt::format("{}/{}", kind == FaultKind::kWorkerCrash ? "worker" : "executor", worker));
    }
    if (kind == FaultKind::kReceiverCrash) {
      if (targets_.receivers.empty()) return std::nullopt;
      return Crash(fault, "receiver/" + Pick(targets_.receivers));
    }
    fault.length = spec_.length.value_or(Millis(random_, 1000, 10000));
    if (kind == FaultKind::kPause) return Pause(fault);
    if (kind == FaultKind::kPartition) return Partition(fault);
    if (kind == FaultKind::kNetwork) {
      fault.kind = Fault::Kind::kNetwork;
      fault.loss = static_cast<double>(random_.UniformInt(1, 6)) / 20.0;
      fault.extra_latency = sim::Duration::Millis(10 * random_.UniformInt(1, 20));
      return fault;
    }
    if (kind == FaultKind::kExternalDown) {
      if (targets_.external.empty()) return std::nullopt;
      fault.kind = Fault::Kind::kDown;
      fault.target = Pick(targets_.external);
      return fault;
    }
    fault.kind = Fault::Kind::kStorage;
    if (kind == FaultKind::kRefuseWrites) fault.storage = Fault::StorageMode::kRefuseWrites;
    if (kind == FaultKind::kTornWrites) fault.storage = Fault::StorageMode::kTornWrites;
    if (kind == FaultKind::kSlowStorage) {
      fault.storage = Fault::StorageMode::kSlow;
      fault.extra_latency = sim::Duration::Millis(50 * random_.UniformInt(1, 10));
    }
    return fault;
  }

 private:
  std::string Pick(const std::vector<std::string>& names) {
    return names[static_cast<size_t>(
        random_.UniformInt(0, static_cast<int64_t>(names.size()) - 1))];
  }

  // A receiver comes back by Spark's own relaunch; the driver, a worker or an executor after a
  // drawn (or the fixed) delay.
  Fault Crash(const Fault& base, const std::string& target) {
    if (target.rfind("receiver/", 0) == 0) return CrashFault(target, base.at, std::nullopt);
    const sim::Duration restart_after =
        spec_.restart_after ? *spec_.restart_after : Millis(random_, 1000, 10000);
    return CrashFault(target, base.at, restart_after);
  }

  std::optional<Fault> Pause(Fault fault) {
    fault.kind = Fault::Kind::kPause;
    const int64_t choice = random_.UniformInt(0, targets_.workers);  // workers, then the driver
    fault.target = choice == targets_.workers ? "driver" : fmt::format("worker/{}", choice);
    return fault;
  }

  // Cuts one worker off from the driver and every other worker.
  std::optional<Fault> Partition(Fault fault) {
    if (targets_.workers == 0) return std::nullopt;
    fault.kind = Fault::Kind::kPartition;
    const int64_t isolated = random_.UniformInt(0, targets_.workers - 1);
    std::vector<std::string> rest = {"driver"};
    for (int w = 0; w < targets_.workers; ++w) {
      if (w != isolated) rest.push_back(fmt::format("worker/{}", w));
    }
    fault.sides = {{fmt::format("worker/{}", isolated)}, rest};
    return fault;
  }

  const RandomFaults& spec_;
  const FaultTargets& targets_;
  sim::Prng& random_;
};

// What a fault occupies while it lasts: its machine, receiver, external system, or the network
// or the store as a whole.
std::vector<std::string> Occupies(const Fault& fault) {
  switch (fault.kind) {
    case Fault::Kind::kCrashDriver:
      return {"driver"};
    case Fault::Kind::kCrashWorker:
    case Fault::Kind::kCrashExecutor:
      return {fmt::format("worker/{}", fault.worker)};
    case Fault::Kind::kCrashReceiver:
      return {"receiver/" + fault.target};
    case Fault::Kind::kPause:
    case Fault::Kind::kDown:
      return {fault.target};
    case Fault::Kind::kPartition: {
      std::vector<std::string> nodes = {"network"};
      for (const auto& side : fault.sides) nodes.insert(nodes.end(), side.begin(), side.end());
      return nodes;
    }
    case Fault::Kind::kNetwork:
      return {"network"};
    case Fault::Kind::kStorage:
      return {"storage"};
  }
  return {};
}

// How long a fault keeps its target busy (a relaunched receiver is back after Spark's 2 s
// spark.streaming.receiverRestartDelay).
sim::Duration Lasts(const Fault& fault) {
  if (fault.kind == Fault::Kind::kCrashReceiver) return sim::Duration::Seconds(2);
  return fault.restart_after.value_or(fault.length);
}

}  // namespace

std::vector<Fault> ExpandRandomFaults(const RandomFaults& spec, const FaultTargets& targets,
                                      sim::Duration horizon, sim::Prng& random) {
  const sim::Duration end = std::min(horizon, spec.until.value_or(horizon));
  const double mean_ms = std::max<double>(1.0, static_cast<double>(spec.mean_interval.us) / 1000.0);
  FaultDrawer drawer(spec, targets, random);
  std::map<std::string, sim::Duration> busy_until;
  std::vector<Fault> faults;
  sim::Duration at = spec.start;
  while (true) {
    const int64_t gap_ms = std::max<int64_t>(1, static_cast<int64_t>(random.Exponential(mean_ms)));
    at = at + sim::Duration::Millis(gap_ms);
    if (at >= end) break;
    const FaultKind kind = spec.kinds[static_cast<size_t>(
        random.UniformInt(0, static_cast<int64_t>(spec.kinds.size()) - 1))];
    std::optional<Fault> fault = drawer.Draw(kind, at);
    if (!fault) continue;
    const std::vector<std::string> occupied = Occupies(*fault);
    const bool free = std::all_of(occupied.begin(), occupied.end(), [&](const std::string& name) {
      auto it = busy_until.find(name);
      return it == busy_until.end() || it->second <= at;
    });
    if (!free) continue;
    for (const std::string& name : occupied) busy_until[name] = at + Lasts(*fault);
    faults.push_back(*fault);
  }
  return faults;
}

}  // namespace streamsim::faults
