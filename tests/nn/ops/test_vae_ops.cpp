// Fused VAE ops: gradient checks (with broadcasting over stacked samples) and agreement, value and
// gradient, with their unfused compositions from elementary ops; every registered vae_* op is covered.
#include <set>

#include "autograd/ops/activations.hpp"
#include "nn/ops/vae_ops.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;

namespace {
using Fn = std::function<Variable(const std::vector<Variable>&)>;

// [rows, cols] 0/1 matrix M with M[offset + j, j] = 1: x·M = columns offset..offset+cols of x (exact)
Variable picker(std::size_t rows, std::size_t cols, std::size_t offset) {
  Tensor s = Tensor::zeros(Shape{rows, cols}, DType::float64);
  for (std::size_t j = 0; j < cols; ++j) s.set((offset + j) * cols + j, 1.0);
  return constant(s);
}
// [L*N, N] stacking matrix: T·a = L copies of a's rows (exact)
Variable tiler(std::size_t samples, std::size_t n) {
  Tensor t = Tensor::zeros(Shape{samples * n, n}, DType::float64);
  for (std::size_t r = 0; r < samples * n; ++r) t.set(r * n + r % n, 1.0);
  return constant(t);
}

// Same value and same gradients (for the projection w) from the fused op and its composition.
void check_agree(const Fn& fused, const Fn& reference, const std::vector<Tensor>& inputs, double tol = 1e-10) {
  std::vector<Tensor> values, grads_f, grads_r;
  for (int pass = 0; pass < 2; ++pass) {
    TapeScope scope;
    std::vector<Variable> vars;
    for (const Tensor& t : inputs) vars.push_back(parameter(t));
    const Variable y = (pass == 0 ? fused : reference)(vars);
    values.push_back(y.value());
    Generator g(7);
    y.backward(g.uniform(y.shape(), 0.5, 1.5, DType::float64));
    for (const Variable& v : vars) (pass == 0 ? grads_f : grads_r).push_back(v.grad());
  }
  check_close(values[0], values[1].to_vector(), tol, "value");
  for (std::size_t i = 0; i < inputs.size(); ++i)
    check_close(grads_f[i], grads_r[i].to_vector(), tol, "gradient of input " + std::to_string(i));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_vae)

BOOST_AUTO_TEST_CASE(bernoulli_logits_log_prob) {
  const std::vector<Tensor> in = {random_tensor({4, 5}, 1, 0, 1), random_tensor({4, 5}, 2, -4, 4)};
  const Fn fused = [](const std::vector<Variable>& v) { return nn::bernoulli_logits_log_prob(v[0], v[1]); };
  XGRAD_CHECK_GRADIENT(fused, in);
  check_agree(
      fused, [](const std::vector<Variable>& v) { return sum(v[0] * v[1] - softplus(v[1]), 1); }, in);
}

BOOST_AUTO_TEST_CASE(gaussian_log_prob) {
  const std::vector<Tensor> in = {random_tensor({3, 4}, 3), random_tensor({3, 8}, 4)};
  const Fn fused = [](const std::vector<Variable>& v) { return nn::gaussian_log_prob(v[0], v[1]); };
  XGRAD_CHECK_GRADIENT(fused, in);
  check_agree(
      fused,
      [](const std::vector<Variable>& v) {
        const Variable mu = matmul(v[1], picker(8, 4, 0)), lv = matmul(v[1], picker(8, 4, 4));
        return -0.5 * sum(lv + square(v[0] - mu) * exp(-lv) + std::log(2 * M_PI), 1);
      },
      in);
}

BOOST_AUTO_TEST_CASE(exponential_log_prob) {
  const std::vector<Tensor> in = {random_tensor({3, 4}, 5, 0, 3), random_tensor({3, 4}, 6)};
  const Fn fused = [](const std::vector<Variable>& v) { return nn::exponential_log_prob(v[0], v[1]); };
  XGRAD_CHECK_GRADIENT(fused, in);
  check_agree(
      fused, [](const std::vector<Variable>& v) { return sum(v[1] - exp(v[1]) * v[0], 1); }, in);
}

BOOST_AUTO_TEST_CASE(continuous_bernoulli_log_prob) {
  const Fn fused = [](const std::vector<Variable>& v) { return nn::continuous_bernoulli_log_prob(v[0], v[1]); };
  XGRAD_CHECK_GRADIENT(fused, (std::vector<Tensor>{random_tensor({3, 4}, 7, 0, 1), random_tensor({3, 4}, 8, -5, 5)}));
  // away from r = 0 the direct formula log(r / tanh(r/2)) is accurate
  const std::vector<Tensor> in = {random_tensor({3, 4}, 9, 0, 1), random_tensor({3, 4}, 10, 0.5, 4)};
  check_agree(
      fused,
      [](const std::vector<Variable>& v) {
        return sum(v[0] * v[1] - softplus(v[1]) + log(v[1] / tanh(v[1] * 0.5)), 1);
      },
      in, 1e-9);
}

BOOST_AUTO_TEST_CASE(gaussian_kl_standard) {
  const std::vector<Tensor> in = {random_tensor({3, 4}, 11), random_tensor({3, 4}, 12)};
  const Fn fused = [](const std::vector<Variable>& v) { return nn::gaussian_kl_standard(v[0], v[1]); };
  XGRAD_CHECK_GRADIENT(fused, in);
  check_agree(
      fused, [](const std::vector<Variable>& v) { return 0.5 * sum(square(v[0]) + exp(v[1]) - 1.0 - v[1], 1); }, in);
}

BOOST_AUTO_TEST_CASE(reparameterize_with_stacked_samples) {
  for (std::size_t samples : {1, 3}) {
    const Tensor eps = random_tensor({samples * 2, 3}, 13);
    const std::vector<Tensor> in = {random_tensor({2, 3}, 14), random_tensor({2, 3}, 15)};
    const Fn fused = [&](const std::vector<Variable>& v) { return nn::reparameterize(v[0], v[1], eps); };
    XGRAD_CHECK_GRADIENT(fused, in);
    check_agree(
        fused,
        [&](const std::vector<Variable>& v) {
          const Variable t = tiler(samples, 2);
          return matmul(t, v[0]) + exp(matmul(t, v[1]) * 0.5) * constant(eps);
        },
        in);
  }
}

BOOST_AUTO_TEST_CASE(diagonal_gaussian_log_prob_with_stacked_samples) {
  const std::vector<Tensor> in = {random_tensor({6, 3}, 16), random_tensor({2, 3}, 17), random_tensor({2, 3}, 18)};
  const Fn fused = [](const std::vector<Variable>& v) { return nn::diagonal_gaussian_log_prob(v[0], v[1], v[2]); };
  XGRAD_CHECK_GRADIENT(fused, in);
  check_agree(
      fused,
      [](const std::vector<Variable>& v) {
        const Variable t = tiler(3, 2), mu = matmul(t, v[1]), lv = matmul(t, v[2]);
        return -0.5 * sum(lv + square(v[0] - mu) * exp(-lv) + std::log(2 * M_PI), 1);
      },
      in);
}

BOOST_AUTO_TEST_CASE(sample_mean_and_log_mean_exp) {
  const Tensor v = Tensor::from({6}, {1.0, 2.0, 3.0, -1.0, 5.0, 0.5}, DType::float64);  // L = 3, N = 2
  {
    NoGradGuard guard;
    check_close(nn::sample_mean(constant(v), 3).value(), {(1.0 + 3.0 + 5.0) / 3, (2.0 - 1.0 + 0.5) / 3}, 1e-12);
    check_close(nn::sample_log_mean_exp(constant(v), 3).value(),
                {std::log((std::exp(1.0) + std::exp(3.0) + std::exp(5.0)) / 3),
                 std::log((std::exp(2.0) + std::exp(-1.0) + std::exp(0.5)) / 3)},
                1e-12);
    // huge values: no overflow (log-sum-exp)
    const Tensor big = Tensor::from({2}, {1000.0, 1000.0}, DType::float64);
    check_close(nn::sample_log_mean_exp(constant(big), 2).value(), {1000.0}, 1e-12);
  }
  for (const Fn& f : {Fn([](const std::vector<Variable>& x) { return nn::sample_mean(x[0], 3); }),
                      Fn([](const std::vector<Variable>& x) { return nn::sample_log_mean_exp(x[0], 3); })})
    XGRAD_CHECK_GRADIENT(f, std::vector<Tensor>{random_tensor({6}, 19, -3, 3)});
}

BOOST_AUTO_TEST_CASE(float32_matches_float64) {
  const Tensor x = random_tensor({5, 7}, 20, 0, 1), r = random_tensor({5, 7}, 21, -6, 6);
  NoGradGuard guard;
  const Tensor a = nn::bernoulli_logits_log_prob(constant(x), constant(r)).value();
  const Tensor b =
      nn::bernoulli_logits_log_prob(constant(x.to(DType::float32)), constant(r.to(DType::float32))).value();
  BOOST_TEST((b.dtype() == DType::float32));
  check_close(b, a.to_vector(), 1e-4);
}

// The vectorised row kernel: widths below, at and past one SIMD batch, and past 64 batches (where the lane
// products of 1 + e^-|r| are logged and restarted); value and gradient against a long-double sum.
BOOST_AUTO_TEST_CASE(bernoulli_rows_of_every_width_match_a_long_double_sum) {
  for (const std::size_t d : {1, 7, 8, 15, 16, 17, 784, 1100, 2100}) {
    const Tensor x = random_tensor({3, d}, 30 + d, 0, 1);
    // row 0: logits in [-60, 60] with every 5th zero; row 1: all zero (factors 2: a float lane product
    // of 2100 / 16 of them would overflow without the restarts); row 2: in [-1, 1]
    Tensor r = random_tensor({3, d}, 40 + d, -60, 60);
    const Tensor small = random_tensor({d}, 50 + d, -1, 1);
    for (std::size_t j = 0; j < d; ++j) {
      if (j % 5 == 0) r.set(j, 0.0);
      r.set(d + j, 0.0);
      r.set(2 * d + j, small.at(j));
    }
    std::vector<double> value(3), grad(3 * d);
    for (std::size_t i = 0; i < 3; ++i) {
      long double row = 0;
      for (std::size_t j = 0; j < d; ++j) {
        const long double xv = x.at(i * d + j), rv = r.at(i * d + j);
        row += xv * rv - std::max(rv, 0.0L) - std::log1p(std::exp(-std::fabs(rv)));
        grad[i * d + j] = static_cast<double>(xv - 1 / (1 + std::exp(-rv)));
      }
      value[i] = static_cast<double>(row);
    }
    for (const DType type : {DType::float64, DType::float32}) {
      TapeScope scope;
      const Variable logits = parameter(r.to(type));
      const Variable lp = nn::bernoulli_logits_log_prob(constant(x.to(type)), logits);
      lp.backward(Tensor::full(lp.shape(), 1.0, type));
      const bool f32 = type == DType::float32;
      // float32: the inputs themselves are rounded (|x r| up to 60 loses 4e-6 each); the sum has d such terms
      const double value_tol = f32 ? 4e-6 * static_cast<double>(d) + 1e-4 : 1e-11 * static_cast<double>(d);
      const std::string what = "d = " + std::to_string(d) + (f32 ? " float32" : " float64");
      check_close(lp.value(), value, value_tol, what + " value");
      check_close(logits.grad(), grad, f32 ? 1e-6 : 1e-14, what + " gradient");
    }
  }
}

BOOST_AUTO_TEST_CASE(shape_errors_name_the_op_and_shapes) {
  const Variable x = constant(random_tensor({2, 3}, 1)), r = constant(random_tensor({2, 4}, 2));
  check_throws_with<ShapeError>([&] { nn::bernoulli_logits_log_prob(x, r); },
                                {"bernoulli_logits_log_prob", "[2,3]", "[2,4]", "expected [2,3]"});
  check_throws_with<ShapeError>([&] { nn::gaussian_log_prob(x, r); }, {"gaussian_log_prob", "expected [2,6]"});
  check_throws_with<ShapeError>(
      [&] {
        nn::reparameterize(x, x, random_tensor({5, 3}, 3));
      },
      {"reparameterize", "[5,3]", "[L*2,3]"});
  check_throws_with<ShapeError>([&] { nn::sample_mean(constant(random_tensor({5}, 4)), 2); }, {"sample_mean", "L = 2"});
}

BOOST_AUTO_TEST_CASE(every_vae_op_has_a_case_here) {
  const std::set<std::string> covered = {
      "vae_bernoulli_logits_log_prob",     "vae_gaussian_log_prob",    "vae_exponential_log_prob",
      "vae_continuous_bernoulli_log_prob", "vae_gaussian_kl_standard", "vae_reparameterize",
      "vae_diagonal_gaussian_log_prob",    "vae_sample_mean",          "vae_sample_log_mean_exp"};
  for (const OpSchema& op : registered_ops())
    if (op.name.rfind("vae_", 0) == 0) BOOST_TEST(covered.count(op.name) == 1u, op.name << " has no test here");
}

BOOST_AUTO_TEST_SUITE_END()
