// Expected<T, E>: a value, or the error E that kept it from being made — for boundaries whose
// errors carry more than a message (a scenario's LoadError with its file:line:col, an
// expression's ExpressionError with its line and column). [[nodiscard]], as Result
// (base/status.h), which is the same for errors that are a Status.
#pragma once

#include <utility>
#include <variant>

#include "base/assert.h"

namespace streamsim::base {

template <typename T, typename E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Expected(E error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return state_.index() == 0; }
  // REQUIRES: ok().
  T& value() {
    STREAMSIM_ASSERT(ok(), "Expected::value() of an error");
    return std::get<0>(state_);
  }
  const T& value() const {
    STREAMSIM_ASSERT(ok(), "Expected::value() of an error");
    return std::get<0>(state_);
  }
  // REQUIRES: !ok().
  const E& error() const {
    STREAMSIM_ASSERT(!ok(), "Expected::error() of a value");
    return std::get<1>(state_);
  }

 private:
  std::variant<T, E> state_;
};

}  // namespace streamsim::base
