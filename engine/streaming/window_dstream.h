// Windowed streams. A window output at batch time t covers the parent's RDDs in (t - window, t];
// it exists only at times that are multiples of the slide (after the zero time). Early windows
// cover what exists so far.
//  - WindowedDStream: window(w, s), the union of those RDDs (the parent is persisted, as Spark
//  does,
//    so each parent RDD is computed once however many windows use it).
//  - ReducedWindowedDStream: reduceByKeyAndWindow with an inverse function. Each window is the
//    previous window's result, minus (inverse) the per-batch reductions of the slices that left,
//    plus the slices that entered — work proportional to the slices that move, not to the window.
//    Keys whose value returns to the zero value stay unless `filter` removes them. Its lineage
//    grows with every slide, so it must be checkpointed.
#pragma once

#include <optional>
#include <string>

#include "engine/core/records_and_ledger.h"
#include "engine/streaming/dstream.h"
#include "records/expression.h"

namespace streamsim::engine {

class WindowedDStream : public DStream {
 public:
  WindowedDStream(std::string name, DStream* parent, sim::Duration window, sim::Duration slide);
  sim::Duration window() const { return window_; }
  sim::Duration ParentRememberExtra() const override { return window_; }

 protected:
  RddPtr Compute(sim::Instant t) override;

 private:
  sim::Duration window_;
};

class ReducedWindowedDStream : public DStream {
 public:
  // `reduced` is the parent already reduced by key per batch (reduceByKey with `reduce`).
  ReducedWindowedDStream(std::string name, DStream* reduced, Expression reduce, Expression inverse,
                         std::optional<Expression> filter, sim::Duration window,
                         sim::Duration slide, int partitions);
  sim::Duration ParentRememberExtra() const override { return window_; }
  bool must_checkpoint() const override { return true; }

 protected:
  RddPtr Compute(sim::Instant t) override;

 private:
  Values Merge(const Value& key, std::vector<Values>& sides, size_t old_count,
               TaskContext& context) const;

  Expression reduce_;
  Expression inverse_;
  std::optional<Expression> filter_;
  sim::Duration window_;
  int partitions_;
};

}  // namespace streamsim::engine
