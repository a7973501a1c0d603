// What the guarantee calculator (checker/guarantee_calculator.h) needs to know about a loaded
// scenario: each source's kind and how it is received, the streaming settings that decide
// recovery (checkpoint directory, receiver write-ahead log, supervise, replicated storage level,
// cleaner TTL), each output's sink and the sources its stream reads, and the kinds of fault the
// scenario injects, named as a random fault schedule names them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "checker/guarantee_calculator.h"
#include "faults/fault_kind.h"
#include "scenarios/scenario.h"

namespace streamsim::harness {

// The calculator's model of `scenario`. REQUIRES: a scenario the loader accepted. A source or sink
// kind this version does not know is modelled as the weakest of its family (an unreliable
// receiver; an append sink), so that a prediction never promises more than it knows.
checker::GuaranteeConfiguration GuaranteeConfigurationOf(const scenarios::Scenario& scenario);

// The kinds of fault `scenario` injects, from its fault list or its random schedule's `kinds`,
// each once, in the order of faults::AllFaultKinds(). Empty without faults.
std::vector<faults::FaultKind> FaultKindsOf(const scenarios::Scenario& scenario);

}  // namespace streamsim::harness
