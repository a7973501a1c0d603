// An error of a command as one JSON object, for --json: {"error": {"file", "line", "column",
// "message"}}, with the position when the error has one (a scenario's file:line:col) and null
// fields when it does not, so that a tool reading the output never parses text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace streamsim::reports {

// `message` as the harness returns it: "FILE:LINE:COL: text" when it points into `file`, else
// plain text.
nlohmann::json ErrorToJson(const std::string& file, const std::string& message);

}  // namespace streamsim::reports
