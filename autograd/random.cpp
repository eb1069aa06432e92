#include "autograd/random.hpp"

#include <cmath>

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
inline double to_unit(std::uint64_t r) { return (static_cast<double>(r >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

// f(i, u) for every element, u = uniform (0,1) of (key, i); fixed blocks, any thread count
template <class T, class F>
void fill(T* out, std::size_t n, std::uint64_t key, F f) {
  parallel::for_blocks(n, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) out[i] = static_cast<T>(f(i, to_unit(splitmix64(key ^ splitmix64(i)))));
  });
}
}  // namespace

std::uint64_t Generator::next_u64() { return splitmix64(splitmix64(seed_) + 0x632be59bd9b4e019ULL * ++stream_); }

std::uint64_t Generator::next_below(std::uint64_t n) {
  if (n == 0) throw InvalidArgument("Generator::next_below: n must be > 0");
  return next_u64() % n;
}

Tensor Generator::uniform(const Shape& shape, double lo, double hi, DType dtype) {
  if (!(lo < hi)) throw InvalidArgument("Generator::uniform: need lo < hi, got [" + std::to_string(lo) + ", " +
                                        std::to_string(hi) + ")");
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
  t.visit([&](auto& a) {
    fill(a.data(), a.size(), key, [&](std::size_t i, double u1) {
      const double u2 = to_unit(splitmix64(key2 ^ splitmix64(i)));
      return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
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
