// Value: the dynamic record type flowing through DStreams. A value is null, bool, int64, double,
// string, tuple (a pair is a 2-tuple) or list. Values have a total order (so keys sort the same in
// every build), a hash that is stable across builds and platforms (so hash partitioning is
// deterministic), Spark's print() rendering, and a JSON rendering (tuples and lists as arrays).
// Tuples and lists share their elements through an immutable shared vector: copies are cheap.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <variant>
#include <vector>

namespace streamsim::records {

class Value;
using Values = std::vector<Value>;

class Value {
 public:
  // Kinds in the order the total order ranks them: null < bool < number < string < tuple < list.
  // Int and double compare numerically with each other (exactly, without rounding); on a numeric
  // tie an int ranks first, so Int(1) < Double(1.0) and the two are not equal. Doubles compare as
  // Java's Double.compare does: -0.0 < 0.0, and all NaNs are equal and above +infinity.
  enum class Kind { kNull, kBool, kInt, kDouble, kString, kTuple, kList };

  Value() = default;  // null
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Int(int64_t i);
  static Value Double(double d);
  static Value String(std::string s);
  static Value Tuple(Values items);
  static Value Pair(Value first, Value second);
  static Value List(Values items);

  Kind kind() const;
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_number() const { return kind() == Kind::kInt || kind() == Kind::kDouble; }
  bool is_sequence() const { return kind() == Kind::kTuple || kind() == Kind::kList; }

  // Accessors. REQUIRES: the value has that kind (AsDouble also accepts an int; Items accepts a
  // tuple or a list). Violations are programmer errors and abort.
  bool AsBool() const;
  int64_t AsInt() const;
  double AsDouble() const;
  const std::string& AsString() const;
  const Values& Items() const;

  // Total order and equality consistent with it.
  friend std::strong_ordering operator<=>(const Value& a, const Value& b);
  friend bool operator==(const Value& a, const Value& b);

  // A 64-bit hash that depends only on the value (never on addresses or the standard library),
  // equal for equal values. Int(1) and Double(1.0) are not equal and hash differently.
  uint64_t Hash() const;

  // Spark's print() rendering (Scala toString): strings bare, tuples "(a,b)", lists
  // "[a, b]", null "null", doubles in their shortest round-trip form with a decimal point or
  // an exponent ("1.0", "0.25", "1e+20", "-0.0"; "inf", "-inf", "nan").
  std::string ToDisplayString() const;
  // JSON: null, true/false, numbers, strings; tuples and lists as arrays. FromJson reads arrays
  // as tuples (queue batches written in YAML hold tuples), an integer above int64 as a double, and
  // an object as a list of (key, value) pairs in key order.
  nlohmann::json ToJson() const;
  static Value FromJson(const nlohmann::json& json);

 private:
  struct Sequence {
    Kind kind;
    std::shared_ptr<const Values> items;
  };
  std::variant<std::monostate, bool, int64_t, double, std::string, Sequence> data_;
};

// Name of a kind for error messages: "null", "bool", "int", "double", "string", "tuple", "list".
const char* KindName(Value::Kind kind);

}  // namespace streamsim::records
