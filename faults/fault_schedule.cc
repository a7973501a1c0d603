// Injecting scheduled faults.
#include "faults/fault_schedule.h"

#include <fmt/format.h>

#include "faults/network_faults.h"
#include "faults/storage_faults.h"

namespace streamsim::faults {

sim::NodeId ResolveNode(const sim::World& world, const std::string& name) {
  if (name.rfind("executor/", 0) == 0) return world.FindNode("worker/" + name.substr(9));
  return world.FindNode(name);
}

std::optional<std::string> UnknownNode(const sim::World& world, const Fault& fault) {
  std::vector<std::string> names;
  if (fault.kind == Fault::Kind::kPause || fault.kind == Fault::Kind::kDown) {
    names.push_back(fault.target);
  }
  for (const auto& side : fault.sides) names.insert(names.end(), side.begin(), side.end());
  for (const std::string& name : names) {
    if (!ResolveNode(world, name).valid()) return name;
  }
  return std::nullopt;
}

namespace {

sim::Duration SinceStart(const sim::World& world) { return world.Now() - sim::Instant::Zero(); }

std::vector<sim::NodeId> Nodes(const sim::World& world, const std::vector<std::string>& names) {
  std::vector<sim::NodeId> nodes;
  for (const std::string& name : names) nodes.push_back(ResolveNode(world, name));
  return nodes;
}

// Cuts the sides apart until the fault's length has passed (FaultyNetwork::Cut).
void StartPartition(sim::World& world, const Fault& fault) {
  std::vector<std::vector<sim::NodeId>> sides;
  for (const auto& names : fault.sides) sides.push_back(Nodes(world, names));
  InstallFaultyNetwork(world).Cut(std::move(sides), world.Now() + fault.length);
}

// An external system (broker, agent, stream) is down: its node crashes and starts again later.
void TakeDown(sim::World& world, const Fault& fault) {
  const sim::NodeId node = ResolveNode(world, fault.target);
  world.Crash(node);
  world.ScheduleGlobal(fault.length, [&world, node, name = fault.target]() {
    world.Record("fault", name + " back up");
    world.Start(node);
  });
}

void StartStorageFault(sim::World& world, const Fault& fault) {
  FaultyStorage& storage = InstallFaultyStorage(world);
  const sim::Instant until = world.Now() + fault.length;
  switch (fault.storage) {
    case Fault::StorageMode::kRefuseWrites:
      return storage.RefuseWrites(until);
    case Fault::StorageMode::kSlow:
      return storage.SlowDown(fault.extra_latency, until);
    case Fault::StorageMode::kTornWrites:
      return storage.TearOnCrash(until);
  }
}

void Inject(sim::World& world, ApplicationProcesses& application, const Fault& fault) {
  world.Record("fault", Describe(fault));
  switch (fault.kind) {
    case Fault::Kind::kCrashDriver:
      return application.CrashDriver(fault.restart_after);
    case Fault::Kind::kCrashWorker:
    case Fault::Kind::kCrashExecutor:
      return application.CrashWorker(fault.worker, fault.restart_after);
    case Fault::Kind::kCrashReceiver:
      return application.CrashReceiver(fault.target);
    case Fault::Kind::kPause:
      return world.Pause(ResolveNode(world, fault.target), fault.length);
    case Fault::Kind::kPartition:
      return StartPartition(world, fault);
    case Fault::Kind::kNetwork:
      return InstallFaultyNetwork(world).Impair(fault.loss, fault.extra_latency,
                                                world.Now() + fault.length);
    case Fault::Kind::kStorage:
      return StartStorageFault(world, fault);
    case Fault::Kind::kDown:
      return TakeDown(world, fault);
  }
}

}  // namespace

void ScheduleFaults(sim::World& world, ApplicationProcesses& application,
                    const std::vector<Fault>& faults) {
  for (const Fault& fault : faults) {
    world.Record("fault-schedule", ToYaml(fault));
    world.ScheduleGlobal(fault.at - SinceStart(world),
                         [&world, &application, fault]() { Inject(world, application, fault); });
  }
}

}  // namespace streamsim::faults
