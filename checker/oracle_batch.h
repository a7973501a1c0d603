// The oracle's stateless operators: what map, filter, reduceByKey, the joins, transform and the
// rest make of one batch's records. Each is a plain loop over a vector; keyed results come out in
// key order. User expressions throw records::EvalError, which fails the batch.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "checker/oracle_series.h"
#include "checker/pipeline.h"
#include "records/value.h"

namespace streamsim::checker::oracle {

// Another stream's records at the batch time being computed (empty when that stream has no RDD
// then). Throws records::EvalError with that batch's failure message when it failed, so that the
// failure reaches the batch that uses it.
using OtherRecords = std::function<records::Values(const std::string& name)>;
// The same for any batch time, to apply an operator along a whole series.
using OtherRecordsAt = std::function<records::Values(const std::string& name, sim::Instant t)>;

// Whether `name` works on one batch (map ... transformWith), as opposed to a window or state.
bool IsBatchOperator(const std::string& name);

// `op` applied to one batch. `others` serves union, the joins, cogroup and nested chains.
// REQUIRES: IsBatchOperator(op.name). Throws records::EvalError.
records::Values ApplyBatchOperator(const OperatorModel& op, const records::Values& input,
                                   const OtherRecords& others);
records::Values ApplyBatchChain(const std::vector<OperatorModel>& chain, records::Values input,
                                const OtherRecords& others);

// `op` applied to every batch of `series`; a failed batch stays failed. The result keeps the
// slide and drops mapWithState snapshots. `others` may be empty when `op` names no other stream.
Series MapBatches(const Series& series, const OperatorModel& op, const OtherRecordsAt& others = {});
// An operator the oracle builds itself: `name` with the function `func_text` (or none).
OperatorModel FixedOperator(const char* name, const char* func_text = nullptr);

}  // namespace streamsim::checker::oracle
