// Injecting scheduled faults.
#include "faults/fault_schedule.h"

#include <fmt/format.h>

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
    fault.receiver = target.substr(slash + 1);
  }
  return fault;
}

namespace {

std::string Target(const Fault& fault) {
  switch (fault.kind) {
    case Fault::Kind::kCrashDriver:
      return "driver";
    case Fault::Kind::kCrashWorker:
      return fmt::format("worker/{}", fault.worker);
    case Fault::Kind::kCrashExecutor:
      return fmt::format("executor/{}", fault.worker);
    case Fault::Kind::kCrashReceiver:
      return "receiver/" + fault.receiver;
  }
  return "?";
}

}  // namespace

std::string Describe(const Fault& fault) {
  std::string text = fmt::format("crash {} at {}", Target(fault), sim::FormatDuration(fault.at));
  if (fault.restart_after) {
    text += fmt::format(", restart after {}", sim::FormatDuration(*fault.restart_after));
  }
  return text;
}

void ScheduleFaults(sim::World& world, engine::StreamingContext& context,
                    const std::vector<Fault>& faults) {
  for (const Fault& fault : faults) {
    world.ScheduleGlobal(fault.at - (world.Now() - sim::Instant::Zero()), [&world, &context,
                                                                           fault]() {
      world.Record("fault", Describe(fault));
      switch (fault.kind) {
        case Fault::Kind::kCrashDriver:
          context.CrashDriver(fault.restart_after);
          break;
        case Fault::Kind::kCrashWorker:
        case Fault::Kind::kCrashExecutor:
          context.CrashWorker(fault.worker, fault.restart_after);
          break;
        case Fault::Kind::kCrashReceiver:
          context.CrashReceiver(fault.receiver);
          break;
      }
    });
  }
}

}  // namespace streamsim::faults
