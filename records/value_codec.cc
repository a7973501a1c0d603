// Tagged JSON encoding and decoding of values.
#include "records/value_codec.h"

namespace streamsim::records {

nlohmann::json EncodeValue(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kBool:
      return value.AsBool();
    case Value::Kind::kInt:
      return value.AsInt();
    case Value::Kind::kDouble:
      return value.AsDouble();
    case Value::Kind::kString:
      return value.AsString();
    case Value::Kind::kTuple:
    case Value::Kind::kList: {
      nlohmann::json items = nlohmann::json::array();
      for (const Value& item : value.Items()) items.push_back(EncodeValue(item));
      if (value.kind() == Value::Kind::kTuple) return items;
      return nlohmann::json{{"list", std::move(items)}};
    }
  }
  return nullptr;
}

namespace {

bool DecodeItems(const nlohmann::json& array, Values* items) {
  for (const auto& item : array) {
    Value decoded;
    if (!DecodeValue(item, &decoded)) return false;
    items->push_back(std::move(decoded));
  }
  return true;
}

}  // namespace

bool DecodeValue(const nlohmann::json& json, Value* out) {
  Values items;
  switch (json.type()) {
    case nlohmann::json::value_t::null:
      *out = Value();
      return true;
    case nlohmann::json::value_t::boolean:
      *out = Value::Bool(json.get<bool>());
      return true;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      *out = Value::Int(json.get<int64_t>());
      return true;
    case nlohmann::json::value_t::number_float:
      *out = Value::Double(json.get<double>());
      return true;
    case nlohmann::json::value_t::string:
      *out = Value::String(json.get<std::string>());
      return true;
    case nlohmann::json::value_t::array:
      if (!DecodeItems(json, &items)) return false;
      *out = Value::Tuple(std::move(items));
      return true;
    case nlohmann::json::value_t::object:
      if (json.size() != 1 || !json.contains("list") || !json["list"].is_array()) return false;
      if (!DecodeItems(json["list"], &items)) return false;
      *out = Value::List(std::move(items));
      return true;
    default:
      return false;
  }
}

std::string EncodeValueLines(const Values& values) {
  std::string text;
  for (const Value& value : values) text += EncodeValue(value).dump() + "\n";
  return text;
}

bool DecodeValueLines(const std::string& text, Values* out) {
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) return false;  // a torn last line
    nlohmann::json json = nlohmann::json::parse(text.begin() + static_cast<std::ptrdiff_t>(start),
                                                text.begin() + static_cast<std::ptrdiff_t>(end),
                                                nullptr, /*allow_exceptions=*/false);
    Value value;
    if (json.is_discarded() || !DecodeValue(json, &value)) return false;
    out->push_back(std::move(value));
    start = end + 1;
  }
  return true;
}

}  // namespace streamsim::records
