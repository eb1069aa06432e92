#pragma once
// Explicit, seeded random numbers (never xt::random's global engine). Each fill draws a new stream
// number; the values of element i depend only on (seed, stream, i), through counter-based
// SplitMix64 hashing per block, so a fill gives the same numbers for any thread count.
#include <cstdint>

#include "autograd/tensor.hpp"

namespace xgrad {

class Generator {
 public:
  explicit Generator(std::uint64_t seed = 0) : seed_(seed) {}
  std::uint64_t seed() const { return seed_; }
  /// Number of fills drawn so far (part of the state: save it to resume a run exactly).
  std::uint64_t stream() const { return stream_; }
  void set_state(std::uint64_t seed, std::uint64_t stream) {
    seed_ = seed;
    stream_ = stream;
  }

  /// Uniform on [lo, hi).
  Tensor uniform(const Shape& shape, double lo = 0.0, double hi = 1.0, DType dtype = DType::float32);
  /// Normal(mean, stddev^2), Box-Muller.
  Tensor normal(const Shape& shape, double mean = 0.0, double stddev = 1.0, DType dtype = DType::float32);
  /// 1 with probability p(i), else 0; p is a tensor of probabilities in [0,1].
  Tensor bernoulli(const Tensor& p);
  /// 1 with probability p, else 0.
  Tensor bernoulli(const Shape& shape, double p, DType dtype = DType::float32);
  /// One uniform 64-bit integer (for shuffles and derived seeds).
  std::uint64_t next_u64();
  /// Uniform integer in [0, n).
  std::uint64_t next_below(std::uint64_t n);

 private:
  std::uint64_t seed_;
  std::uint64_t stream_ = 0;
};

/// SplitMix64 finaliser: a high-quality 64-bit hash.
std::uint64_t splitmix64(std::uint64_t x);

}  // namespace xgrad
