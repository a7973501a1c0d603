// Errors as JSON (reports/error_report.h).
#include "reports/error_report.h"

#include <charconv>
#include <optional>
#include <string_view>

namespace streamsim::reports {
namespace {

// Reads the digits at the start of `text` up to ':' and drops them and the ':' from it.
std::optional<int> TakeNumber(std::string_view* text) {
  const size_t colon = text->find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + colon, value);
  if (error != std::errc() || end != text->data() + colon) return std::nullopt;
  text->remove_prefix(colon + 1);
  return value;
}

}  // namespace

nlohmann::json ErrorToJson(const std::string& file, const std::string& message) {
  nlohmann::json error = {
      {"file", nullptr}, {"line", nullptr}, {"column", nullptr}, {"message", message}};
  std::string_view rest = message;
  if (!file.empty() && rest.substr(0, file.size() + 1) == file + ":") {
    rest.remove_prefix(file.size() + 1);
    const std::optional<int> line = TakeNumber(&rest);
    const std::optional<int> column = line ? TakeNumber(&rest) : std::nullopt;
    if (line && column) {
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      error = {
          {"file", file}, {"line", *line}, {"column", *column}, {"message", std::string(rest)}};
    } else {
      std::string_view text = std::string_view(message).substr(file.size() + 1);
      if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
      error["file"] = file;
      error["message"] = std::string(text);
    }
  }
  return {{"error", error}};
}

}  // namespace streamsim::reports
