#pragma once
// Helpers for the distribution tests: float64 tensors, log-probabilities as plain numbers, sample moments.
#include <cmath>
#include <vector>

#include "autograd/xgrad.hpp"
#include "nn/distributions/columns.hpp"
#include "nn/distributions/conformance.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"
#include "test_helpers.hpp"

namespace xgrad::test {

inline Tensor f64(const Shape& shape, const std::vector<double>& v) {
  return Tensor::from(shape, v, DType::float64);
}

/// log_prob(x, raw) values (no tape).
inline Tensor log_prob_values(const nn::ReconstructionDistribution& d, const Tensor& x, const Tensor& raw) {
  NoGradGuard guard;
  return d.log_prob(constant(x), constant(raw)).value();
}

/// Column means and standard deviations of a [M, D] tensor.
inline void column_moments(const Tensor& t, std::vector<double>& mean, std::vector<double>& sd) {
  const std::size_t m = t.shape()[0], d = t.shape()[1];
  mean.assign(d, 0.0);
  sd.assign(d, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < d; ++j) mean[j] += t.at(i * d + j);
  for (auto& v : mean) v /= static_cast<double>(m);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < d; ++j) sd[j] += std::pow(t.at(i * d + j) - mean[j], 2);
  for (auto& v : sd) v = std::sqrt(v / static_cast<double>(m - 1));
}

/// Asserts the conformance checker passes and prints its report otherwise.
inline void check_conforms(const nn::ReconstructionDistribution& d, nn::ConformanceOptions o = {}) {
  const nn::ConformanceReport r = nn::check_conformance(d, o);
  BOOST_TEST(r.ok, d.describe() << " conformance:\n" << r.str());
  BOOST_TEST(r.lines.size() >= 6u);
}

}  // namespace xgrad::test
