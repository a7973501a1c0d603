// Virtual time. Instants and durations are distinct types holding integer microseconds, so that a
// point in simulated time cannot be passed where a length of time is expected (STYLE.md practice
// 8).
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace streamsim::sim {

struct Duration {
  int64_t us = 0;

  static constexpr Duration Micros(int64_t n) { return Duration{n}; }
  static constexpr Duration Millis(int64_t n) { return Duration{n * 1000}; }
  static constexpr Duration Seconds(int64_t n) { return Duration{n * 1000000}; }
  constexpr int64_t millis() const { return us / 1000; }
  constexpr double seconds() const { return static_cast<double>(us) / 1e6; }

  friend constexpr auto operator<=>(Duration, Duration) = default;
  friend constexpr Duration operator+(Duration a, Duration b) { return {a.us + b.us}; }
  friend constexpr Duration operator-(Duration a, Duration b) { return {a.us - b.us}; }
  friend constexpr Duration operator*(Duration a, int64_t k) { return {a.us * k}; }
  friend constexpr Duration operator*(int64_t k, Duration a) { return {a.us * k}; }
  friend constexpr int64_t operator/(Duration a, Duration b) { return a.us / b.us; }
  friend constexpr Duration operator%(Duration a, Duration b) { return {a.us % b.us}; }
  Duration& operator+=(Duration d) {
    us += d.us;
    return *this;
  }
};

struct Instant {
  int64_t us = 0;  // microseconds since the start of the simulation

  static constexpr Instant Zero() { return Instant{0}; }
  constexpr int64_t millis() const { return us / 1000; }

  friend constexpr auto operator<=>(Instant, Instant) = default;
  friend constexpr Instant operator+(Instant t, Duration d) { return {t.us + d.us}; }
  friend constexpr Instant operator-(Instant t, Duration d) { return {t.us - d.us}; }
  friend constexpr Duration operator-(Instant a, Instant b) { return {a.us - b.us}; }
};

// "1.5s", "200ms", "2m", "10us", "1h"; no sign, no spaces. Returns false when `text` is not a
// duration (the caller reports where).
bool ParseDuration(const std::string& text, Duration* out);
// Renders a duration the way a scenario would spell it: "1s", "200ms", "1.5s", "12us".
std::string FormatDuration(Duration d);

}  // namespace streamsim::sim
