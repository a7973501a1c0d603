// The world's only source of randomness: a fully specified 64-bit generator (xoshiro256**, seeded
// through SplitMix64) and the distributions we need, written here so that every build and every
// standard library draws the same numbers (std::*_distribution does not promise that). Child
// streams are derived from the seed and a purpose name, never from the parent's current state, so
// that one more draw for the network does not shift the workload (STYLE.md practice 2).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "simulator/time.h"

namespace streamsim::sim {

// A latency distribution bounded to [min, max]: min plus an exponential with the given mean excess,
// truncated at max. With min == max it is a constant.
struct LatencyDistribution {
  Duration min = Duration::Micros(500);
  Duration mean = Duration::Micros(1000);  // mean of the whole distribution (>= min)
  Duration max = Duration::Millis(5);
};

class Prng {
 public:
  explicit Prng(uint64_t seed);

  // A generator for one purpose ("workload", "network", "faults/random", ...), derived from this
  // generator's seed and the purpose only.
  Prng Child(std::string_view purpose) const;
  uint64_t seed() const { return seed_; }

  uint64_t NextU64();
  // Uniform integer in [lo, hi], without modulo bias. REQUIRES: lo <= hi.
  int64_t UniformInt(int64_t lo, int64_t hi);
  // Uniform double in [0, 1) with 53 random bits.
  double UniformDouble();
  // True with probability p (p <= 0 never, p >= 1 always).
  bool Bernoulli(double p);
  // Exponential with the given mean (> 0).
  double Exponential(double mean);
  Duration Latency(const LatencyDistribution& distribution);

 private:
  uint64_t seed_;
  std::array<uint64_t, 4> state_;
};

// SplitMix64 step: the mixing function used to seed and to derive child seeds.
uint64_t SplitMix64(uint64_t* state);

}  // namespace streamsim::sim
