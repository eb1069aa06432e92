#include "autograd/random.hpp"

#include <algorithm>
#include <cmath>

#include <xsimd/xsimd.hpp>

#include "autograd/kernels.hpp"

namespace xgrad {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

namespace {
// uniform double in (0, 1) from 53 random bits, never exactly 0
inline double to_unit(std::uint64_t r) {
  return (static_cast<double>(r >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

// the uniform (0, 1) of element i of a draw with this key: independent of blocks and threads
inline double uniform_at(std::uint64_t key, std::size_t i) {
  return to_unit(splitmix64(key ^ splitmix64(i)));
}

// f(i, u) for every element, u = uniform_at(key, i); fixed blocks, any thread count
template <class T, class F>
void fill(T* out, std::size_t n, std::uint64_t key, F f) {
  parallel::for_blocks(n, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) out[i] = static_cast<T>(f(i, uniform_at(key, i)));
  });
}
}  // namespace

std::uint64_t Generator::next_u64() {
  return splitmix64(splitmix64(seed_) + 0x632be59bd9b4e019ULL * ++stream_);
}

std::uint64_t Generator::next_below(std::uint64_t n) {
  if (n == 0) throw InvalidArgument("Generator::next_below: n must be > 0");
  return next_u64() % n;
}

Tensor Generator::uniform(const Shape& shape, double lo, double hi, DType dtype) {
  if (!(lo < hi))
    throw InvalidArgument("Generator::uniform: need lo < hi, got [" + std::to_string(lo) + ", " + std::to_string(hi) +
                          ")");
  Tensor t = Tensor::empty(shape, dtype);
  const std::uint64_t key = next_u64();
  t.visit([&](auto& a) { fill(a.data(), a.size(), key, [&](std::size_t, double u) { return lo + (hi - lo) * u; }); });
  return t;
}

Tensor Generator::normal(const Shape& shape, double mean, double stddev, DType dtype) {
  if (!(stddev >= 0)) throw InvalidArgument("Generator::normal: stddev must be >= 0, got " + std::to_string(stddev));
  Tensor t = Tensor::empty(shape, dtype);
  const std::uint64_t key = next_u64();
  const std::uint64_t key2 = splitmix64(key + 1);
  // Box-Muller, mean + stddev * sqrt(-2 log u1) cos(2 pi u2), in xsimd batches of doubles (the last batch of
  // a block padded), so each element's value depends on (key, index) only.
  t.visit([&](auto& a) {
    using T = kernels::value_of<decltype(a)>;
    using batch = xsimd::batch<double>;
    constexpr std::size_t W = batch::size;
    T* out = a.data();
    parallel::for_blocks(a.size(), [&](std::size_t b, std::size_t e) {
      alignas(64) double u1[W], u2[W], z[W];
      for (std::size_t i = b; i < e; i += W) {
        const std::size_t n = std::min(W, e - i);
        for (std::size_t j = 0; j < W; ++j) {
          u1[j] = j < n ? uniform_at(key, i + j) : 0.5;
          u2[j] = j < n ? uniform_at(key2, i + j) : 0.5;
        }
        const batch r = xsimd::sqrt(batch(-2.0) * xsimd::log(batch::load_aligned(u1)));
        const batch c = xsimd::cos(batch(6.283185307179586) * batch::load_aligned(u2));
        (batch(mean) + batch(stddev) * r * c).store_aligned(z);
        for (std::size_t j = 0; j < n; ++j) out[i + j] = static_cast<T>(z[j]);
      }
    });
  });
  return t;
}

Tensor Generator::bernoulli(const Tensor& p) {
  const std::size_t bad = p.visit([](const auto& a) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!(a.data()[i] >= 0 && a.data()[i] <= 1)) return i;
    return a.size();
  });
  if (bad < p.size())
    throw InvalidArgument("Generator::bernoulli: probability " + std::to_string(p.at(bad)) + " at flat index " +
                          std::to_string(bad) + " is outside [0,1]");
  Tensor t = Tensor::empty(p.shape(), p.dtype());
  const std::uint64_t key = next_u64();
  t.visit([&](auto& a) {
    using T = kernels::value_of<decltype(a)>;
    const T* q = p.data<T>();
    fill(a.data(), a.size(), key, [&](std::size_t i, double u) { return u < q[i] ? 1.0 : 0.0; });
  });
  return t;
}

Tensor Generator::bernoulli(const Shape& shape, double p, DType dtype) {
  return bernoulli(Tensor::full(shape, p, dtype));
}

}  // namespace xgrad
