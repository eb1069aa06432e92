// Generator: seeded reproducibility, stream state, and sample moments within sampling error
// (4 standard errors). Thread-count independence is in test_threads.cpp.
#include <cmath>

#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_throws_with;

namespace {
struct Moments {
  double mean = 0, var = 0;
};
Moments moments(const Tensor& t) {
  Moments m;
  for (std::size_t i = 0; i < t.size(); ++i) m.mean += t.at(i);
  m.mean /= static_cast<double>(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) m.var += (t.at(i) - m.mean) * (t.at(i) - m.mean);
  m.var /= static_cast<double>(t.size() - 1);
  return m;
}
constexpr std::size_t kN = 200000;
}  // namespace

BOOST_AUTO_TEST_SUITE(generator)  // not "random": clashes with POSIX random()

BOOST_AUTO_TEST_CASE(same_seed_same_numbers_and_streams_advance) {
  Generator a(7), b(7), c(8);
  const Tensor a1 = a.uniform({100}), b1 = b.uniform({100}), c1 = c.uniform({100});
  BOOST_TEST(a1.to_vector() == b1.to_vector());
  BOOST_TEST(a1.to_vector() != c1.to_vector());
  BOOST_TEST(a.stream() == 1u);
  const Tensor a2 = a.uniform({100});
  BOOST_TEST(a1.to_vector() != a2.to_vector());
  // saving (seed, stream) and restoring it replays the next fill exactly
  Generator d(0);
  d.set_state(7, 1);
  BOOST_TEST(d.uniform({100}).to_vector() == a2.to_vector());
  BOOST_TEST(Generator(7).next_u64() == Generator(7).next_u64());
  // element i does not depend on the tensor's size (counter-based)
  Generator e(7);
  const Tensor e1 = e.uniform({10});
  for (std::size_t i = 0; i < 10; ++i) BOOST_TEST(e1.at(i) == a1.at(i));
}

BOOST_AUTO_TEST_CASE(uniform_moments_and_range) {
  Generator g(1);
  const Tensor u = g.uniform({kN}, -1.0, 3.0, DType::float64);
  BOOST_TEST((u.dtype() == DType::float64));
  for (std::size_t i = 0; i < u.size(); ++i) BOOST_TEST_REQUIRE((u.at(i) >= -1.0 && u.at(i) < 3.0));
  const Moments m = moments(u);
  const double var = 16.0 / 12.0;
  BOOST_TEST(std::fabs(m.mean - 1.0) < 4 * std::sqrt(var / kN), m.mean);
  BOOST_TEST(std::fabs(m.var - var) < 4 * var * std::sqrt(0.8 / kN),
             m.var);  // uniform kurtosis: Var(s^2) = 0.8 var^2/n
  check_throws_with<InvalidArgument>([&] { g.uniform({2}, 1.0, 1.0); }, {"uniform", "lo < hi"});
}

BOOST_AUTO_TEST_CASE(normal_moments) {
  Generator g(2);
  const Tensor z = g.normal({kN}, 2.0, 3.0, DType::float64);
  const Moments m = moments(z);
  BOOST_TEST(std::fabs(m.mean - 2.0) < 4 * 3.0 / std::sqrt(kN), m.mean);
  BOOST_TEST(std::fabs(m.var - 9.0) < 4 * 9.0 * std::sqrt(2.0 / kN), m.var);
  // a standard normal has P(|z| > 1.96) = 0.05
  std::size_t tail = 0;
  for (std::size_t i = 0; i < z.size(); ++i) tail += std::fabs((z.at(i) - 2.0) / 3.0) > 1.959964;
  const double p = static_cast<double>(tail) / kN;
  BOOST_TEST(std::fabs(p - 0.05) < 4 * std::sqrt(0.05 * 0.95 / kN), p);
  check_throws_with<InvalidArgument>([&] { g.normal({2}, 0.0, -1.0); }, {"normal", "stddev"});
}

BOOST_AUTO_TEST_CASE(bernoulli_moments_and_extremes) {
  Generator g(3);
  const Tensor b = g.bernoulli({kN}, 0.3);
  const Moments m = moments(b);
  BOOST_TEST(std::fabs(m.mean - 0.3) < 4 * std::sqrt(0.21 / kN), m.mean);
  for (std::size_t i = 0; i < 1000; ++i) BOOST_TEST_REQUIRE((b.at(i) == 0.0 || b.at(i) == 1.0));
  const Tensor e = g.bernoulli(Tensor::from({4}, {0, 1, 0, 1}, DType::float64));
  BOOST_TEST(e.to_vector() == (std::vector<double>{0, 1, 0, 1}));
  BOOST_TEST((e.dtype() == DType::float64));
  check_throws_with<InvalidArgument>(
      [&] {
        g.bernoulli(Tensor::from({2}, {0.5, 1.5}));
      },
      {"bernoulli", "1.5", "flat index 1", "[0,1]"});
}

BOOST_AUTO_TEST_CASE(next_below_is_in_range_and_roughly_uniform) {
  Generator g(4);
  std::vector<std::size_t> counts(5, 0);
  const std::size_t n = 50000;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = g.next_below(5);
    BOOST_TEST_REQUIRE(k < 5u);
    ++counts[k];
  }
  for (std::size_t c : counts) BOOST_TEST(std::fabs(c / double(n) - 0.2) < 4 * std::sqrt(0.16 / n), c);
  check_throws_with<InvalidArgument>([&] { g.next_below(0); }, {"next_below", "n must be > 0"});
}

BOOST_AUTO_TEST_SUITE_END()
