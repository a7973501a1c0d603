// Injecting scheduled faults.
#include "faults/fault_schedule.h"

#include <fmt/format.h>

namespace streamsim::faults {

std::string Describe(const Fault& fault) {
  std::string text = fmt::format("crash driver at {}", sim::FormatDuration(fault.at));
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
      }
    });
  }
}

}  // namespace streamsim::faults
