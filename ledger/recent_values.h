// The values of a partition's newest generated records, kept while a check may still read them.
// A generated record's value is a pure function of its draw number (records/generators.h) and the
// ledger can always draw it again, but the check reads every record of a batch once, a few
// intervals after it was made: drawing a log line again costs several times what keeping a copy
// until its batch settles does. What is kept is bounded (kValuesMax per partition, the oldest
// forgotten first) and leaves when the check retires the records (Ledger::RetireRecords), so that
// memory does not grow with a run's length; a value no longer here is drawn again. The check
// reads most records once, and takes their value rather than copying it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "records/value.h"

namespace streamsim::ledger {

class RecentValues {
 public:
  static constexpr size_t kValuesMax = size_t{1} << 17;

  // The value of `sequence`, the partition's newest record. A sequence that does not follow the
  // last one kept (a gap, records made out of order) starts the kept run again from it.
  void Add(int64_t sequence, records::Value value);
  // Null when `sequence` is not kept (or was taken).
  const records::Value* Find(int64_t sequence) const;
  // Moves the value of `sequence` to the end of `values`; false when it is not kept (or was
  // taken).
  bool TakeInto(int64_t sequence, records::Values* values);
  // Forgets every value of a sequence below `sequence`.
  void ForgetBelow(int64_t sequence);
  size_t size() const { return values_.size(); }

 private:
  int64_t first_ = 0;  // the sequence of values_.front()
  // Texts; a null value is one taken.
  std::deque<records::Value> values_;
};

}  // namespace streamsim::ledger
