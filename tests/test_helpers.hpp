#pragma once
// Shared test helpers: gradient-check assertions and tensor comparisons.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "autograd/xgrad.hpp"

namespace xgrad::test {

/// A float64 tensor of the given shape with values uniform in [lo, hi) from `seed`.
inline Tensor random_tensor(const Shape& shape, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
  Generator g(seed);
  return g.uniform(shape, lo, hi, DType::float64);
}

/// Asserts a float64 gradient check of f at `inputs` and prints the worst element on failure.
#define XGRAD_CHECK_GRADIENT(f, inputs, ...)                                  \
  do {                                                                        \
    auto xgrad_gc_result_ = ::xgrad::gradcheck((f), (inputs), ##__VA_ARGS__); \
    BOOST_TEST(xgrad_gc_result_.ok, xgrad_gc_result_.message);                \
    BOOST_TEST(xgrad_gc_result_.checked > 0u);                                \
  } while (0)

/// Asserts every element of `actual` is within tol of `expected` (absolute), naming the first miss.
inline void check_close(const Tensor& actual, const std::vector<double>& expected, double tol,
                        const std::string& what = "") {
  BOOST_REQUIRE_MESSAGE(actual.size() == expected.size(),
                        what << ": size " << actual.size() << " != " << expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double a = actual.at(i);
    const bool ok = std::fabs(a - expected[i]) <= tol || (std::isnan(a) && std::isnan(expected[i]));
    BOOST_TEST_REQUIRE(
        ok, what << ": element " << i << " is " << a << ", expected " << expected[i] << " (tol " << tol << ")");
  }
}

/// Restores the kernel thread count on scope exit (tests that compare 1 and 2 threads).
struct ThreadCount {
  int previous = num_threads();
  ~ThreadCount() { set_num_threads(previous); }
};

/// Runs f, requires an exception of type E whose message contains every fragment.
template <class E, class F>
void check_throws_with(F&& f, const std::vector<std::string>& fragments) {
  try {
    f();
  } catch (const E& e) {
    const std::string msg = e.what();
    for (const auto& frag : fragments)
      BOOST_TEST(msg.find(frag) != std::string::npos, "message '" << msg << "' lacks '" << frag << "'");
    return;
  } catch (const std::exception& e) {
    BOOST_ERROR("wrong exception type, message: " << e.what());
    return;
  }
  BOOST_ERROR("no exception thrown");
}

}  // namespace xgrad::test
