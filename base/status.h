// Status and Result<T>: how fallible calls report failure without exceptions (STYLE.md practice 5).
// A Status is either ok or carries a message; Result<T> is a value or an error Status. Both are
// [[nodiscard]] so that a caller cannot silently drop a failure.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "base/assert.h"

namespace streamsim {

class [[nodiscard]] Status {
 public:
  // What kind of failure: bad input a user can fix (the default), or a failure of the tool.
  enum class Code { kOk, kInvalidInput, kInternal };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) {
    return Status(Code::kInvalidInput, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(Code::kInternal, std::move(message));
  }

  bool ok() const { return !message_.has_value(); }
  Code code() const { return code_; }
  // REQUIRES: !ok().
  const std::string& message() const {
    STREAMSIM_ASSERT(message_.has_value(), "Status::message() of an ok status");
    return *message_;
  }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::optional<std::string> message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : state_(std::move(error)) {
    STREAMSIM_ASSERT(!std::get<Status>(state_).ok(), "a Result made from an ok Status");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  // REQUIRES: ok().
  T& value() {
    STREAMSIM_ASSERT(ok(), "Result::value() of an error");
    return std::get<T>(state_);
  }
  const T& value() const {
    STREAMSIM_ASSERT(ok(), "Result::value() of an error");
    return std::get<T>(state_);
  }
  // REQUIRES: !ok().
  const Status& status() const {
    STREAMSIM_ASSERT(!ok(), "Result::status() of a value");
    return std::get<Status>(state_);
  }

 private:
  std::variant<T, Status> state_;
};

}  // namespace streamsim
