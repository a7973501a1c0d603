// A lossless text encoding of values, for what the engine writes to durable storage (data
// checkpoints, write-ahead logs): JSON where a tuple is an array and a list is {"list": [...]},
// ints and doubles keep their kinds. (Value::ToJson is the user-facing rendering, which renders
// lists and tuples alike.)
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "records/value.h"

namespace streamsim::records {

nlohmann::json EncodeValue(const Value& value);
// False when `json` is not an encoding of a value.
bool DecodeValue(const nlohmann::json& json, Value* out);

// One encoded value per line.
std::string EncodeValueLines(const Values& values);
// False when any line is not an encoded value (a torn or corrupt file).
bool DecodeValueLines(const std::string& text, Values* out);

}  // namespace streamsim::records
