// The newest generated records' values of a partition (ledger/recent_values.h).
#include "ledger/recent_values.h"

#include <utility>

namespace streamsim::ledger {

void RecentValues::Add(int64_t sequence, records::Value value) {
  if (values_.empty() || sequence != first_ + static_cast<int64_t>(values_.size())) {
    values_.clear();
    first_ = sequence;
  }
  if (values_.size() == kValuesMax) {
    values_.pop_front();
    ++first_;
  }
  values_.push_back(std::move(value));
}

const records::Value* RecentValues::Find(int64_t sequence) const {
  if (sequence < first_ || sequence - first_ >= static_cast<int64_t>(values_.size())) {
    return nullptr;
  }
  const records::Value& value = values_[static_cast<size_t>(sequence - first_)];
  return value.is_null() ? nullptr : &value;
}

bool RecentValues::TakeInto(int64_t sequence, records::Values* values) {
  if (sequence < first_ || sequence - first_ >= static_cast<int64_t>(values_.size())) return false;
  records::Value& kept = values_[static_cast<size_t>(sequence - first_)];
  if (kept.is_null()) return false;
  values->push_back(std::move(kept));
  kept = records::Value();
  return true;
}

void RecentValues::ForgetBelow(int64_t sequence) {
  while (!values_.empty() && first_ < sequence) {
    values_.pop_front();
    ++first_;
  }
}

}  // namespace streamsim::ledger
