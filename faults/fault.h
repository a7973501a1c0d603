// One fault as data: what happens, to which part of the system, when, and for how long. A fault
// list is what a scenario's `faults:` section holds, what the random fault generator expands to,
// and what `--emit-schedule` writes back as YAML (ToYaml is the exact inverse of the loader for
// every field, so an emitted schedule replays to the same run).
//
// Targets are named as in scenarios: "driver", "worker/N" (a machine), "executor/N" (the executor
// process on worker N), "receiver/NAME" (the receiver of source NAME), and external systems by
// their node name ("kafka/events", "flume/clicks", "kinesis/taps", "custom/sensors").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "simulator/time.h"

namespace streamsim::faults {

struct Fault {
  enum class Kind {
    kCrashDriver,
    kCrashWorker,
    kCrashExecutor,
    kCrashReceiver,
    kPause,      // stop-the-world pause of the driver or a worker, for `length`
    kPartition,  // network partition between node sets, for `length`
    kNetwork,    // extra latency and loss on every link, for `length`
    kStorage,    // the durable store refuses writes, is slow, or tears writes, for `length`
    kDown,       // an external system down, for `length`
  };
  enum class StorageMode { kRefuseWrites, kSlow, kTornWrites };

  Kind kind = Kind::kCrashDriver;
  sim::Duration at;                            // from the start of the run
  std::optional<sim::Duration> restart_after;  // crashes: when the crashed part comes back
  sim::Duration length;                        // pause, partition, network, storage, down
  int worker = -1;                             // kCrashWorker, kCrashExecutor
  std::string target;  // kCrashReceiver: source name; kPause, kDown: node name
  std::vector<std::vector<std::string>> sides;  // kPartition: two or more sets of node names
  double loss = 0.0;                            // kNetwork: probability a transmission is lost
  sim::Duration extra_latency;                  // kNetwork; kStorage kSlow: per write
  StorageMode storage = StorageMode::kRefuseWrites;
};

// Parses a crash target ("driver", "worker/1", "executor/0", "receiver/lines").
// REQUIRES: a target the loader accepted.
Fault CrashFault(const std::string& target, sim::Duration at,
                 std::optional<sim::Duration> restart_after);

// The scenario spelling of a storage mode ("refuse_writes", "slow", "torn_writes").
const char* StorageModeName(Fault::StorageMode mode);
bool StorageModeFromName(const std::string& name, Fault::StorageMode* mode);

// A fault in words: "crash worker/1 at 10s, restart after 5s", "pause worker/0 at 50s for 2s".
std::string Describe(const Fault& fault);

// A fault as one YAML flow mapping of a `faults:` list: "{at: 10s, crash: worker/1,
// restart_after: 5s}".
std::string ToYaml(const Fault& fault);

}  // namespace streamsim::faults
