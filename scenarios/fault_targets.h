// What a scenario's faults may name, and whether they do: the machines of its cluster, the
// receivers of its receiver-based sources, and the external systems its sources run (a Kafka
// broker, a Flume agent, a Kinesis stream, a custom device, a socket server).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/load_error.h"
#include "scenarios/scenario.h"

namespace streamsim::scenarios {

// Whether a source runs a receiver (socket, custom, flume, kinesis, kafka in receiver mode).
bool IsReceiverBased(const SourceSpec& source);

// The names of the receiver-based sources, in file order.
std::vector<std::string> ReceiverNames(const Scenario& scenario);

// The external systems a fault can take down, by the name a scenario uses ("<kind>/<source
// name>") mapped to the node the world gives them ("kafka/<topic>", "socket/<host>:<port>").
std::map<std::string, std::string> ExternalSystems(const Scenario& scenario);

// The outside systems a random schedule's external_down can take down ("<kind>/<source name>",
// in file order): Kafka, Flume, Kinesis and custom devices (a socket server is taken down only by
// name).
std::vector<std::string> RandomDownTargets(const Scenario& scenario);

// The first fault whose target does not exist in the scenario: a worker beyond the cluster, a
// receiver no receiver-based source has, a node in a partition or a system taken down that the
// scenario does not run.
std::optional<LoadError> CheckFaultTargets(const Scenario& scenario);

}  // namespace streamsim::scenarios
