// Losses: per-example values against hand-computed numbers, a float64 gradient check of every loss with its
// natural activation and others, numerical stability at extreme logits, names, and shape errors.
#include <cmath>

#include "autograd/ops/activations.hpp"
#include "nn/layers/losses.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
Variable c64(const Shape& s, const std::vector<double>& v) {
  return constant(Tensor::from(s, v, DType::float64));
}

const Shape kShape{2, 3};
const std::vector<double> kZ{0.5, -1.0, 2.0, 1.5, 0.0, -0.5};

std::vector<double> per_example(Loss loss, const std::vector<double>& y, const std::vector<double>& z,
                                const char* activation = "identity") {
  return loss_per_example(loss, c64(kShape, y), c64(kShape, z), Activation::from_name(activation)).value().to_vector();
}

void expect(const std::vector<double>& got, const std::vector<double>& want, double tol, const std::string& what) {
  BOOST_REQUIRE_EQUAL(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    BOOST_TEST(std::fabs(got[i] - want[i]) <= tol, what << " example " << i << ": " << got[i] << " vs " << want[i]);
}

double sigm(double z) {
  return 1 / (1 + std::exp(-z));
}

// softmax of row r of kZ-like data
std::vector<double> softmax_row(const std::vector<double>& z, std::size_t r) {
  std::vector<double> p(3);
  double s = 0;
  for (std::size_t k = 0; k < 3; ++k) s += p[k] = std::exp(z[r * 3 + k]);
  for (auto& v : p) v /= s;
  return p;
}

// Gradient check of the mean loss with respect to the preoutput.
void check_gradient(Loss loss, const char* activation, const Tensor& labels, const Tensor& preoutput) {
  const Activation act = Activation::from_name(activation);
  const Variable y = constant(labels);
  auto f = [&](const std::vector<Variable>& in) { return loss_mean(loss, y, in[0], act); };
  BOOST_TEST_CONTEXT(loss_name(loss) << " with " << activation) {
    XGRAD_CHECK_GRADIENT(f, std::vector<Tensor>{preoutput});
  }
}

Tensor uniform(const Shape& s, std::uint64_t seed, double lo, double hi) {
  return test::random_tensor(s, seed, lo, hi);
}
Tensor one_hot_rows(std::size_t n, std::size_t k) {
  std::vector<double> v(n * k, 0.0);
  for (std::size_t r = 0; r < n; ++r) v[r * k + (r * 7 + 3) % k] = 1.0;
  return Tensor::from({n, k}, v, DType::float64);
}
Tensor probability_rows(std::size_t n, std::size_t k, std::uint64_t seed) {
  Tensor t = uniform({n, k}, seed, 0.1, 1.0);
  for (std::size_t r = 0; r < n; ++r) {
    double s = 0;
    for (std::size_t c = 0; c < k; ++c) s += t.at(r * k + c);
    for (std::size_t c = 0; c < k; ++c) t.set(r * k + c, t.at(r * k + c) / s);
  }
  return t;
}
Tensor signs(std::size_t n, std::size_t k) {
  std::vector<double> v(n * k);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = (i * 5 + 1) % 3 == 0 ? 1.0 : -1.0;
  return Tensor::from({n, k}, v, DType::float64);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(losses)

BOOST_AUTO_TEST_CASE(regression_losses_by_hand) {
  const std::vector<double> y{1.0, 0.0, 1.0, 0.0, 1.0, 0.0};
  // differences y - z: row 0 (0.5, 1, -1), row 1 (-1.5, 1, 0.5)
  expect(per_example(Loss::L2, y, kZ), {2.25, 3.5}, 1e-14, "L2");
  expect(per_example(Loss::MSE, y, kZ), {0.75, 3.5 / 3}, 1e-14, "MSE");
  expect(per_example(Loss::L1, y, kZ), {2.5, 3.0}, 1e-14, "L1");
  expect(per_example(Loss::MEAN_ABSOLUTE_ERROR, y, kZ), {2.5 / 3, 1.0}, 1e-14, "MAE");
  // mean over examples
  BOOST_TEST(loss_mean(Loss::L2, c64(kShape, y), c64(kShape, kZ), Activation{}).item() == 2.875,
             boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(hinge_losses_by_hand) {
  const std::vector<double> y{1, -1, 1, -1, 1, -1};
  // margins 1 - y z: row 0 (0.5, 0, -1) -> 0.5; row 1 (2.5, 1, 0.5) -> 4
  expect(per_example(Loss::HINGE, y, kZ), {0.5, 4.0}, 1e-14, "HINGE");
  expect(per_example(Loss::SQUARED_HINGE, y, kZ), {0.25, 7.5}, 1e-14, "SQUARED_HINGE");
}

BOOST_AUTO_TEST_CASE(xent_by_hand) {
  const std::vector<double> y{1.0, 0.0, 0.25, 0.0, 1.0, 0.5};
  std::vector<double> want(2, 0.0), want_clipped(2, 0.0);
  for (std::size_t i = 0; i < 6; ++i) {
    const double p = sigm(kZ[i]);
    want[i / 3] -= y[i] * std::log(p) + (1 - y[i]) * std::log(1 - p);
  }
  expect(per_example(Loss::XENT, y, kZ, "sigmoid"), want, 1e-13, "XENT sigmoid (from logits)");
  // another activation: probabilities given directly (identity on values in (0,1))
  const std::vector<double> p{0.2, 0.7, 0.9, 0.5, 0.1, 0.6};
  std::vector<double> want_p(2, 0.0);
  for (std::size_t i = 0; i < 6; ++i) want_p[i / 3] -= y[i] * std::log(p[i]) + (1 - y[i]) * std::log(1 - p[i]);
  expect(per_example(Loss::XENT, y, p, "identity"), want_p, 1e-13, "XENT identity");
}

BOOST_AUTO_TEST_CASE(mcxent_nll_and_kl_by_hand) {
  const std::vector<double> onehot{0, 0, 1, 1, 0, 0};
  const auto p0 = softmax_row(kZ, 0), p1 = softmax_row(kZ, 1);
  expect(per_example(Loss::MCXENT, onehot, kZ, "softmax"), {-std::log(p0[2]), -std::log(p1[0])}, 1e-13, "MCXENT");
  expect(per_example(Loss::NEGATIVELOGLIKELIHOOD, onehot, kZ, "softmax"), {-std::log(p0[2]), -std::log(p1[0])}, 1e-13,
         "NLL");
  const std::vector<double> y{0.2, 0.3, 0.5, 0.0, 0.6, 0.4};  // includes a 0 label (0 log 0 = 0)
  double kl0 = 0, kl1 = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    kl0 += y[k] * std::log(y[k] / p0[k]);
    if (y[3 + k] > 0) kl1 += y[3 + k] * std::log(y[3 + k] / p1[k]);
  }
  expect(per_example(Loss::KL_DIVERGENCE, y, kZ, "softmax"), {kl0, kl1}, 1e-13, "KL_DIVERGENCE");
  // MCXENT on given probabilities (identity)
  const std::vector<double> probs{0.2, 0.3, 0.5, 0.6, 0.3, 0.1};
  expect(per_example(Loss::MCXENT, onehot, probs, "identity"), {-std::log(0.5), -std::log(0.6)}, 1e-13,
         "MCXENT identity");
}

BOOST_AUTO_TEST_CASE(cosine_poisson_mape_msle_by_hand) {
  const std::vector<double> y{1.0, 2.0, 2.0, 0.5, 1.0, 4.0};
  const std::vector<double> out{0.5, 1.0, 2.0, 1.5, 0.2, 3.0};
  // cosine: row 0 y.out = 0.5 + 2 + 4 = 6.5, |y| = 3, |out| = sqrt(5.25)
  const double cos1 = (0.75 + 0.2 + 12.0) / (std::sqrt(17.25) * std::sqrt(11.29));
  expect(per_example(Loss::COSINE_PROXIMITY, y, out), {-6.5 / (3 * std::sqrt(5.25)), -cos1}, 1e-13, "COSINE");
  std::vector<double> poisson(2, 0.0), mape(2, 0.0), msle(2, 0.0);
  for (std::size_t i = 0; i < 6; ++i) {
    poisson[i / 3] += out[i] - y[i] * std::log(out[i]);
    mape[i / 3] += std::fabs((y[i] - out[i]) / y[i]) * 100.0 / 3;
    msle[i / 3] += std::pow(std::log(out[i] + 1) - std::log(y[i] + 1), 2) / 3;
  }
  expect(per_example(Loss::POISSON, y, out), poisson, 1e-13, "POISSON");
  expect(per_example(Loss::MEAN_ABSOLUTE_PERCENTAGE_ERROR, y, out), mape, 1e-12, "MAPE");
  expect(per_example(Loss::MEAN_SQUARED_LOGARITHMIC_ERROR, y, out), msle, 1e-14, "MSLE");
  // row 0 of MAPE by hand: (50% + 50% + 0%) / 3
  BOOST_TEST(mape[0] == 100.0 / 3, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(gradient_checks_every_loss) {
  const std::size_t n = 4, k = 3;
  const Tensor z = uniform({n, k}, 1, -2.0, 2.0);
  const Tensor zpos = uniform({n, k}, 2, 0.2, 2.0);  // for identity outputs that must be positive
  const Tensor y01 = uniform({n, k}, 3, 0.0, 1.0);
  const Tensor ypos = uniform({n, k}, 4, 0.5, 3.0);
  const Tensor yreal = uniform({n, k}, 5, -1.0, 1.0);
  for (const char* a : {"identity", "tanh", "sigmoid"}) {
    check_gradient(Loss::MSE, a, yreal, z);
    check_gradient(Loss::L2, a, yreal, z);
    check_gradient(Loss::L1, a, yreal, z);
    check_gradient(Loss::MEAN_ABSOLUTE_ERROR, a, yreal, z);
    check_gradient(Loss::COSINE_PROXIMITY, a, yreal, z);
    check_gradient(Loss::HINGE, a, signs(n, k), z);
    check_gradient(Loss::SQUARED_HINGE, a, signs(n, k), z);
  }
  for (const char* a : {"sigmoid", "hardsigmoid", "softmax"}) check_gradient(Loss::XENT, a, y01, z);
  for (const char* a : {"softmax", "sigmoid"}) {
    check_gradient(Loss::MCXENT, a, one_hot_rows(n, k), z);
    check_gradient(Loss::NEGATIVELOGLIKELIHOOD, a, one_hot_rows(n, k), z);
    check_gradient(Loss::KL_DIVERGENCE, a, probability_rows(n, k, 6), z);
  }
  check_gradient(Loss::MCXENT, "softmax", probability_rows(n, k, 7), z);  // soft labels
  for (const char* a : {"softplus", "sigmoid"}) {
    check_gradient(Loss::POISSON, a, ypos, z);
    check_gradient(Loss::MEAN_SQUARED_LOGARITHMIC_ERROR, a, ypos, z);
    check_gradient(Loss::MEAN_ABSOLUTE_PERCENTAGE_ERROR, a, ypos, z);
  }
  check_gradient(Loss::POISSON, "identity", ypos, zpos);
  check_gradient(Loss::MEAN_SQUARED_LOGARITHMIC_ERROR, "identity", ypos, zpos);
  check_gradient(Loss::MEAN_ABSOLUTE_PERCENTAGE_ERROR, "identity", ypos, z);
  check_gradient(Loss::MEAN_SQUARED_LOGARITHMIC_ERROR, "relu", ypos, zpos);
}

BOOST_AUTO_TEST_CASE(stable_at_extreme_logits) {
  // XENT from logits: -[y log s(z) + (1-y) log s(-z)] = softplus(z) - y z, finite for |z| = 1000
  const auto xent = per_example(Loss::XENT, {1, 0, 0.5, 0, 1, 0.5}, {1000, 1000, 1000, -1000, -1000, -1000}, "sigmoid");
  expect(xent, {1000 + 500, 1000 + 500}, 1e-9, "XENT at +-1000");
  // MCXENT fused: -log softmax = logsumexp - z_label, finite for logits of 1e4
  const auto mc = per_example(Loss::MCXENT, {1, 0, 0, 0, 0, 1}, {1e4, 0, -1e4, 1e4, 0, -1e4}, "softmax");
  expect(mc, {0.0, 2e4}, 1e-6, "MCXENT at 1e4");
  // gradients stay finite in float32 too
  Variable z = parameter(Tensor::from({1, 2}, {80, -80}, DType::float32));
  loss_mean(Loss::XENT, constant(Tensor::from({1, 2}, {0, 1})), z, Activation{ActivationKind::sigmoid}).backward();
  BOOST_TEST(std::isfinite(z.grad().at(0)));
  BOOST_TEST(std::fabs(z.grad().at(0) - 1.0) < 1e-6);  // sigmoid(80) - 0
  BOOST_TEST(std::fabs(z.grad().at(1) + 1.0) < 1e-6);  // sigmoid(-80) - 1
}

BOOST_AUTO_TEST_CASE(float32_labels_with_float64_preoutput) {
  const Variable y32 = constant(Tensor::from(kShape, {1, 0, 1, 0, 1, 0}, DType::float32));
  const Variable s = loss_per_example(Loss::L2, y32, c64(kShape, kZ), Activation{});
  BOOST_TEST((s.dtype() == DType::float64));
  BOOST_TEST(s.value().at(0) == 2.25, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(names_and_natural_activations) {
  for (const auto& n : loss_names()) BOOST_TEST(loss_name(loss_from_name(n)) == n);
  BOOST_TEST(loss_names().size() == 14u);
  BOOST_TEST((loss_from_name("mcxent") == Loss::MCXENT));
  BOOST_TEST((loss_from_name("squared_loss") == Loss::MSE));
  BOOST_TEST((loss_from_name("mae") == Loss::MEAN_ABSOLUTE_ERROR));
  BOOST_TEST((loss_from_name("NLL") == Loss::NEGATIVELOGLIKELIHOOD));
  BOOST_TEST((natural_activation(Loss::MCXENT).kind == ActivationKind::softmax));
  BOOST_TEST((natural_activation(Loss::XENT).kind == ActivationKind::sigmoid));
  BOOST_TEST((natural_activation(Loss::MSE).kind == ActivationKind::identity));
  test::check_throws_with<InvalidArgument>([] { loss_from_name("crossentropy"); },
                                           {"unknown loss function 'crossentropy'", "MCXENT", "XENT"});
}

BOOST_AUTO_TEST_CASE(shape_errors_name_loss_and_shapes) {
  test::check_throws_with<ShapeError>(
      [] {
        loss_per_example(Loss::MSE, c64({2, 3}, std::vector<double>(6)), c64({2, 4}, std::vector<double>(8)),
                         Activation{});
      },
      {"loss_per_example(MSE)", "labels [2,3]", "preoutput [2,4]"});
  test::check_throws_with<ShapeError>(
      [] {
        loss_per_example(Loss::XENT, c64({6}, std::vector<double>(6)), c64({6}, std::vector<double>(6)), Activation{});
      },
      {"loss_per_example(XENT)", "[6]", "[N, K]"});
}

BOOST_AUTO_TEST_SUITE_END()
