// The oracle's working pieces shared by its operator families: a stream as a series of batches
// with its slide, the run's timeline (which times a slide has a batch at), and the small helpers
// every family uses to evaluate a batch and to carry failures along. Internal to the oracle.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/oracle.h"
#include "records/expression.h"
#include "records/value.h"
#include "simulator/time.h"

namespace streamsim::checker::oracle {

// A stream while the oracle builds it: its RDDs at exactly its valid times up to the run's end.
struct Series {
  sim::Duration slide;
  OracleSeries batches;
  // Right after mapWithState: its (key, state) pairs by batch time, for stateSnapshots.
  std::shared_ptr<const OracleSeries> snapshots;
};

// The batch times of the run.
struct Timeline {
  sim::Instant zero_time;
  sim::Instant end;  // the last batch time; no batch when end <= zero_time
  std::optional<sim::Duration> checkpoint_interval;  // the pipeline's, if set

  // The times a stream of `slide` has an RDD at: zero + k * slide in (zero, end], in order.
  std::vector<sim::Instant> TimesOf(sim::Duration slide) const;
};

// The batches of `series` at times in (after, up_to], oldest first.
std::vector<const OracleBatch*> BatchesIn(const Series& series, sim::Instant after,
                                          sim::Instant up_to);
// The failure message of the oldest failed batch among `batches`, if any.
std::optional<std::string> FirstFailure(const std::vector<const OracleBatch*>& batches);

OracleBatch FailedBatch(std::string message);
// Runs `compute`; a thrown records::EvalError becomes a failed batch with its message.
OracleBatch EvaluateBatch(const std::function<records::Values()>& compute);

// a and b of a reduce function.
records::Value CallReduce(const records::Expression& reduce, const records::Value& a,
                          const records::Value& b);
// The key and value of a pair record; throws EvalError naming `operator_name` otherwise.
const records::Value& KeyOf(const records::Value& record, const std::string& operator_name);
const records::Value& ValueOf(const records::Value& record, const std::string& operator_name);
// A bool result of a filter-like function; throws EvalError naming `what` otherwise.
bool BoolResult(const records::Value& result, const std::string& what);

// An expression the oracle itself uses ("a + b"). Aborts when it does not parse.
records::Expression FixedExpression(const char* text);

// A broken precondition of the oracle (an invalid pipeline or inputs): prints and aborts.
[[noreturn]] void Die(const std::string& message);

}  // namespace streamsim::checker::oracle
