// How an outside system hands records to a client connected from a node: the records, each with
// its id in the run's ledger (ledger/ledger.h), in one call made on the client's node. It is the
// same callable type as the engine's Receiver "deliver" (engine/receivers/receiver.h), so a
// connector passes its receiver's callback straight through, and neither side sees the other.
#pragma once

#include <functional>

#include "ledger/ledger.h"
#include "records/value.h"

namespace streamsim::protocols {

using HandRecords = std::function<void(records::Values records, ledger::RecordIds ids)>;

}  // namespace streamsim::protocols
