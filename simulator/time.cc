// Parsing and formatting of durations as scenarios spell them.
#include "simulator/time.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>

namespace streamsim::sim {
namespace {

// Microseconds per unit, or 0 when the suffix is not a unit.
int64_t UnitMicros(const std::string& unit) {
  if (unit == "us") return 1;
  if (unit == "ms") return 1000;
  if (unit == "s") return 1000000;
  if (unit == "m" || unit == "min") return 60LL * 1000000;
  if (unit == "h") return 3600LL * 1000000;
  return 0;
}

}  // namespace

bool ParseDuration(const std::string& text, Duration* out) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
    ++i;
  }
  if (i == 0 || i == text.size()) return false;
  const std::string number = text.substr(0, i);
  if (number.front() == '.' || number.back() == '.' || number.find('.') != number.rfind('.')) {
    return false;
  }
  const int64_t unit_us = UnitMicros(text.substr(i));
  if (unit_us == 0) return false;
  // Split into integer and fraction digits so that "1.5s" is exact, with no floating point.
  const size_t dot = number.find('.');
  const std::string whole = number.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : number.substr(dot + 1);
  if (whole.size() > 12 || fraction.size() > 6) return false;
  const int64_t whole_units = std::strtoll(whole.c_str(), nullptr, 10);
  // Twelve digits of minutes or hours overflow int64 microseconds; the fraction adds < one unit.
  if (whole_units > (INT64_MAX - unit_us) / unit_us) return false;
  int64_t micros = whole_units * unit_us;
  int64_t scale = unit_us;
  for (char digit : fraction) {
    scale /= 10;
    if (scale == 0 && digit != '0') return false;  // finer than a microsecond
    micros += (digit - '0') * scale;
  }
  out->us = micros;
  return true;
}

std::string FormatDuration(Duration d) {
  if (d.us % 1000000 == 0) return fmt::format("{}s", d.us / 1000000);
  if (d.us >= 1000000 && d.us % 1000 == 0) {
    std::string s = fmt::format("{:.3f}", static_cast<double>(d.us) / 1e6);
    while (s.back() == '0') s.pop_back();
    return s + "s";
  }
  if (d.us % 1000 == 0) return fmt::format("{}ms", d.us / 1000);
  return fmt::format("{}us", d.us);
}

}  // namespace streamsim::sim
