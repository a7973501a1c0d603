// Value: construction, the total order, the stable hash, and the display and JSON renderings of the
// dynamic record type. Doubles follow Java's Double.compare/equals (the semantics Spark keys have):
// -0.0 ranks below 0.0 and is a different key, and every NaN is one key above +infinity. The hash
// is XXH3 over a canonical little-endian encoding seeded with the kind, so it is the same on every
// platform and build and never involves std::hash or addresses.
#include "records/value.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

namespace streamsim::records {
namespace {

[[noreturn]] void DieOnKindMismatch(const char* accessor, Value::Kind actual) {
  std::fprintf(stderr, "streamsim: Value::%s called on a %s value\n", accessor, KindName(actual));
  std::abort();
}

// The group a kind ranks in: ints and doubles share one group and compare numerically.
int KindRank(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull:
      return 0;
    case Value::Kind::kBool:
      return 1;
    case Value::Kind::kInt:
    case Value::Kind::kDouble:
      return 2;
    case Value::Kind::kString:
      return 3;
    case Value::Kind::kTuple:
      return 4;
    case Value::Kind::kList:
      return 5;
  }
  std::abort();
}

// Java's Double.doubleToLongBits: the bits, with every NaN mapped to one canonical NaN.
int64_t CanonicalDoubleBits(double d) {
  if (std::isnan(d)) return 0x7ff8000000000000LL;
  int64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

// Java's Double.compare: numeric order, then -0.0 < 0.0, and NaN equal to itself above +inf.
std::strong_ordering CompareDoubles(double a, double b) {
  if (a < b) return std::strong_ordering::less;
  if (a > b) return std::strong_ordering::greater;
  return CanonicalDoubleBits(a) <=> CanonicalDoubleBits(b);
}

// Exact numeric comparison of an int64 with a double (no rounding of either); NaN ranks above
// every int. Returns equal only when the two are the same number.
std::strong_ordering CompareIntWithDouble(int64_t i, double d) {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (std::isnan(d) || d >= kTwoTo63) return std::strong_ordering::less;
  if (d < -kTwoTo63) return std::strong_ordering::greater;
  const double truncated = std::trunc(d);
  const auto whole = static_cast<int64_t>(truncated);  // exact: -2^63 <= truncated < 2^63
  if (i != whole) return i <=> whole;
  if (d > truncated) return std::strong_ordering::less;
  if (d < truncated) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

// Numbers: numeric order; on a numeric tie an int ranks before a double.
std::strong_ordering CompareNumbers(const Value& a, const Value& b) {
  const bool a_int = a.kind() == Value::Kind::kInt;
  const bool b_int = b.kind() == Value::Kind::kInt;
  if (a_int && b_int) return a.AsInt() <=> b.AsInt();
  if (!a_int && !b_int) return CompareDoubles(a.AsDouble(), b.AsDouble());
  if (a_int) {
    const auto order = CompareIntWithDouble(a.AsInt(), b.AsDouble());
    return order == 0 ? std::strong_ordering::less : order;
  }
  const auto order = CompareIntWithDouble(b.AsInt(), a.AsDouble());
  if (order == 0) return std::strong_ordering::greater;
  return order == std::strong_ordering::less ? std::strong_ordering::greater
                                             : std::strong_ordering::less;
}

// Lexicographic by elements, then shorter first.
std::strong_ordering CompareSequences(const Values& a, const Values& b) {
  if (&a == &b) return std::strong_ordering::equal;
  const size_t common = std::min(a.size(), b.size());
  for (size_t i = 0; i < common; ++i) {
    const auto order = a[i] <=> b[i];
    if (order != 0) return order;
  }
  return a.size() <=> b.size();
}

std::strong_ordering CompareStrings(const std::string& a, const std::string& b) {
  const int order = a.compare(b);  // std::char_traits<char>::compare is memcmp: unsigned bytes
  if (order < 0) return std::strong_ordering::less;
  if (order > 0) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

void AppendLittleEndian64(uint64_t word, unsigned char* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(word >> (8 * i));
}

uint64_t HashWord(uint64_t word, Value::Kind kind) {
  unsigned char bytes[8];
  AppendLittleEndian64(word, bytes);
  return XXH3_64bits_withSeed(bytes, sizeof bytes, static_cast<uint64_t>(kind));
}

// A sequence hashes the little-endian hashes of its elements, in order, seeded by its kind.
uint64_t HashSequence(const Values& items, Value::Kind kind) {
  std::vector<unsigned char> bytes(items.size() * 8);
  for (size_t i = 0; i < items.size(); ++i) AppendLittleEndian64(items[i].Hash(), &bytes[i * 8]);
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), static_cast<uint64_t>(kind));
}

std::string DisplayDouble(double d) {
  std::string text = fmt::format("{}", d);
  if (text.find_first_of(".en") == std::string::npos) text += ".0";
  return text;
}

std::string DisplaySequence(const Values& items, const char* open, const char* separator,
                            const char* close) {
  std::string text = open;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += separator;
    text += items[i].ToDisplayString();
  }
  text += close;
  return text;
}

Values ValuesFromJsonArray(const nlohmann::json& array) {
  Values items;
  items.reserve(array.size());
  for (const auto& element : array) items.push_back(Value::FromJson(element));
  return items;
}

// An object becomes a list of (key, value) pairs in key order (nlohmann::json keeps keys sorted).
Value ValueFromJsonObject(const nlohmann::json& object) {
  Values pairs;
  pairs.reserve(object.size());
  for (const auto& [key, element] : object.items()) {
    pairs.push_back(Value::Pair(Value::String(key), Value::FromJson(element)));
  }
  return Value::List(std::move(pairs));
}

}  // namespace

Value Value::Bool(bool b) {
  Value value;
  value.data_ = b;
  return value;
}

Value Value::Int(int64_t i) {
  Value value;
  value.data_ = i;
  return value;
}

Value Value::Double(double d) {
  Value value;
  value.data_ = d;
  return value;
}

Value Value::String(std::string s) {
  Value value;
  value.data_ = std::move(s);
  return value;
}

Value Value::Tuple(Values items) {
  Value value;
  value.data_ = Sequence{Kind::kTuple, std::make_shared<const Values>(std::move(items))};
  return value;
}

Value Value::Pair(Value first, Value second) {
  Values items;
  items.reserve(2);
  items.push_back(std::move(first));
  items.push_back(std::move(second));
  return Tuple(std::move(items));
}

Value Value::List(Values items) {
  Value value;
  value.data_ = Sequence{Kind::kList, std::make_shared<const Values>(std::move(items))};
  return value;
}

Value::Kind Value::kind() const {
  switch (data_.index()) {
    case 0:
      return Kind::kNull;
    case 1:
      return Kind::kBool;
    case 2:
      return Kind::kInt;
    case 3:
      return Kind::kDouble;
    case 4:
      return Kind::kString;
    default:
      return std::get<Sequence>(data_).kind;
  }
}

bool Value::AsBool() const {
  if (const bool* b = std::get_if<bool>(&data_)) return *b;
  DieOnKindMismatch("AsBool", kind());
}

int64_t Value::AsInt() const {
  if (const int64_t* i = std::get_if<int64_t>(&data_)) return *i;
  DieOnKindMismatch("AsInt", kind());
}

double Value::AsDouble() const {
  if (const double* d = std::get_if<double>(&data_)) return *d;
  if (const int64_t* i = std::get_if<int64_t>(&data_)) return static_cast<double>(*i);
  DieOnKindMismatch("AsDouble", kind());
}

const std::string& Value::AsString() const {
  if (const std::string* s = std::get_if<std::string>(&data_)) return *s;
  DieOnKindMismatch("AsString", kind());
}

const Values& Value::Items() const {
  if (const Sequence* sequence = std::get_if<Sequence>(&data_)) return *sequence->items;
  DieOnKindMismatch("Items", kind());
}

std::strong_ordering operator<=>(const Value& a, const Value& b) {
  const Value::Kind a_kind = a.kind();
  const Value::Kind b_kind = b.kind();
  const int a_rank = KindRank(a_kind);
  const int b_rank = KindRank(b_kind);
  if (a_rank != b_rank) return a_rank <=> b_rank;
  switch (a_kind) {
    case Value::Kind::kNull:
      return std::strong_ordering::equal;
    case Value::Kind::kBool:
      return a.AsBool() <=> b.AsBool();
    case Value::Kind::kInt:
    case Value::Kind::kDouble:
      return CompareNumbers(a, b);
    case Value::Kind::kString:
      return CompareStrings(a.AsString(), b.AsString());
    case Value::Kind::kTuple:
    case Value::Kind::kList:
      return CompareSequences(a.Items(), b.Items());
  }
  std::abort();
}

// Equal values have the same kind (an int never equals a double), so equality never needs the
// cross-kind numeric comparison.
bool operator==(const Value& a, const Value& b) {
  const Value::Kind kind = a.kind();
  if (kind != b.kind()) return false;
  switch (kind) {
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.AsBool() == b.AsBool();
    case Value::Kind::kInt:
      return a.AsInt() == b.AsInt();
    case Value::Kind::kDouble:
      return CanonicalDoubleBits(a.AsDouble()) == CanonicalDoubleBits(b.AsDouble());
    case Value::Kind::kString:
      return a.AsString() == b.AsString();
    case Value::Kind::kTuple:
    case Value::Kind::kList: {
      const Values& a_items = a.Items();
      const Values& b_items = b.Items();
      return &a_items == &b_items || a_items == b_items;
    }
  }
  std::abort();
}

uint64_t Value::Hash() const {
  const Kind value_kind = kind();
  const auto seed = static_cast<uint64_t>(value_kind);
  switch (value_kind) {
    case Kind::kNull:
      return XXH3_64bits_withSeed(nullptr, 0, seed);
    case Kind::kBool:
      return HashWord(AsBool() ? 1 : 0, value_kind);
    case Kind::kInt:
      return HashWord(static_cast<uint64_t>(AsInt()), value_kind);
    case Kind::kDouble:
      return HashWord(static_cast<uint64_t>(CanonicalDoubleBits(AsDouble())), value_kind);
    case Kind::kString:
      return XXH3_64bits_withSeed(AsString().data(), AsString().size(), seed);
    case Kind::kTuple:
    case Kind::kList:
      return HashSequence(Items(), value_kind);
  }
  std::abort();
}

std::string Value::ToDisplayString() const {
  switch (kind()) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return AsBool() ? "true" : "false";
    case Kind::kInt:
      return fmt::format("{}", AsInt());
    case Kind::kDouble:
      return DisplayDouble(AsDouble());
    case Kind::kString:
      return AsString();
    case Kind::kTuple:
      return DisplaySequence(Items(), "(", ",", ")");
    case Kind::kList:
      return DisplaySequence(Items(), "[", ", ", "]");
  }
  std::abort();
}

nlohmann::json Value::ToJson() const {
  switch (kind()) {
    case Kind::kNull:
      return nullptr;
    case Kind::kBool:
      return AsBool();
    case Kind::kInt:
      return AsInt();
    case Kind::kDouble:
      return AsDouble();
    case Kind::kString:
      return AsString();
    case Kind::kTuple:
    case Kind::kList: {
      nlohmann::json array = nlohmann::json::array();
      for (const Value& item : Items()) array.push_back(item.ToJson());
      return array;
    }
  }
  std::abort();
}

Value Value::FromJson(const nlohmann::json& json) {
  using Type = nlohmann::json::value_t;
  switch (json.type()) {
    case Type::null:
      return Null();
    case Type::boolean:
      return Bool(json.get<bool>());
    case Type::number_integer:
      return Int(json.get<int64_t>());
    case Type::number_unsigned: {
      const auto u = json.get<uint64_t>();
      if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Int(static_cast<int64_t>(u));
      }
      return Double(static_cast<double>(u));
    }
    case Type::number_float:
      return Double(json.get<double>());
    case Type::string:
      return String(json.get<std::string>());
    case Type::array:
      return Tuple(ValuesFromJsonArray(json));
    case Type::object:
      return ValueFromJsonObject(json);
    case Type::binary:
    case Type::discarded:
      break;
  }
  std::fprintf(stderr, "streamsim: Value::FromJson given a %s JSON value\n", json.type_name());
  std::abort();
}

const char* KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "bool";
    case Value::Kind::kInt:
      return "int";
    case Value::Kind::kDouble:
      return "double";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kTuple:
      return "tuple";
    case Value::Kind::kList:
      return "list";
  }
  return "unknown";
}

}  // namespace streamsim::records
