// Tests harness/fault_warnings: a fault after the run's end, and a random kind with nothing to hit,
// are warnings naming the fault — never a silent no-op that reads as a run that survived it.
#include "harness/fault_warnings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "faults/fault_kind.h"

namespace streamsim::harness {
namespace {

using Strings = std::vector<std::string>;

faults::Fault DriverCrashAt(sim::Duration at) {
  faults::Fault fault;
  fault.kind = faults::Fault::Kind::kCrashDriver;
  fault.at = at;
  fault.restart_after = sim::Duration::Seconds(2);
  return fault;
}

scenarios::Scenario QueueOnly() {
  scenarios::Scenario scenario;
  scenarios::SourceSpec queue;
  queue.name = "q";
  queue.kind = scenarios::SourceKind::kQueue;
  scenario.sources.push_back(queue);
  return scenario;
}

TEST(FaultWarningsTest, AFaultAfterTheRunEndedNeverFired) {
  const std::vector<faults::Fault> schedule = {DriverCrashAt(sim::Duration::Seconds(3)),
                                               DriverCrashAt(sim::Duration::Seconds(90))};
  EXPECT_EQ(FaultWarnings(QueueOnly(), schedule, sim::Instant{5'004'000}),
            (Strings{"fault 'crash driver at 90s, restart after 2s' never fired: the run ended "
                     "at 5004 ms"}));
}

TEST(FaultWarningsTest, ARandomKindWithNothingToHitNeverFires) {
  scenarios::Scenario scenario = QueueOnly();
  scenario.random_faults.emplace();
  scenario.random_faults->random.kinds = {faults::FaultKind::kReceiverCrash,
                                          faults::FaultKind::kDriverCrash,
                                          faults::FaultKind::kExternalDown};
  EXPECT_EQ(FaultWarnings(scenario, {}, sim::Instant{5'000'000}),
            (Strings{"random fault kind receiver_crash never fires: the scenario has no "
                     "receiver-based source",
                     "random fault kind external_down never fires: the scenario has no external "
                     "system (Kafka, Flume, Kinesis or a custom device)"}));
}

TEST(FaultWarningsTest, FaultsThatFireWarnOfNothing) {
  EXPECT_EQ(FaultWarnings(QueueOnly(), {DriverCrashAt(sim::Duration::Seconds(5))},
                          sim::Instant{5'000'000}),
            Strings{});
}

}  // namespace
}  // namespace streamsim::harness
