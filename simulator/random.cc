// xoshiro256** (Blackman and Vigna) with SplitMix64 seeding, and our own distributions on top.
#include "simulator/random.h"

#include <xxhash.h>

#include <cmath>

#include "base/assert.h"

namespace streamsim::sim {
namespace {

uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Prng::Prng(uint64_t seed) : seed_(seed) {
  uint64_t mix = seed;
  for (uint64_t& word : state_) word = SplitMix64(&mix);
}

Prng Prng::Child(std::string_view purpose) const {
  uint64_t mix = seed_ ^ XXH64(purpose.data(), purpose.size(), 0x5EED5EED5EED5EEDULL);
  return Prng(SplitMix64(&mix));
}

uint64_t Prng::NextU64() {
  const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = RotateLeft(state_[3], 45);
  return result;
}

int64_t Prng::UniformInt(int64_t lo, int64_t hi) {
  STREAMSIM_ASSERT(lo <= hi);
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(NextU64());
  const uint64_t range = span + 1;
  // Rejection sampling: discard the top partial copy of [0, range) to avoid modulo bias.
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % range);
  uint64_t draw = NextU64();
  while (draw >= limit) draw = NextU64();
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + draw % range);
}

double Prng::UniformDouble() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

bool Prng::Bernoulli(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return UniformDouble() < p;
}

double Prng::Exponential(double mean) {
  STREAMSIM_ASSERT(mean > 0);
  return -mean * std::log1p(-UniformDouble());
}

Duration Prng::Latency(const LatencyDistribution& d) {
  STREAMSIM_ASSERT(d.min <= d.mean && d.mean <= d.max);
  if (d.min == d.max || d.mean == d.min) return d.min;
  const double excess = Exponential(static_cast<double>((d.mean - d.min).us));
  const int64_t us = d.min.us + static_cast<int64_t>(excess);
  return Duration::Micros(us > d.max.us ? d.max.us : us);
}

}  // namespace streamsim::sim
