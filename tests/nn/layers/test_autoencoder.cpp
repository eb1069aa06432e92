// AutoEncoder: DL4J's parameters and defaults, the CLEAN reconstruction target (known mask), masking noise
// (fresh, seeded, training only), the KL sparsity penalty against its formula, the output activation applied
// once, gradient checks, JSON round trip and rejections.
#include "autograd/kernels.hpp"
#include "nn/layers/autoencoder.hpp"
#include "nn/module_gradcheck.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::AutoEncoder;
using nn::AutoEncoderOptions;

namespace {
AutoEncoderOptions small_ae(std::size_t n_in = 5, std::size_t n_out = 3) {
  AutoEncoderOptions o;
  o.n_in = n_in;
  o.n_out = n_out;
  o.dtype = DType::float64;
  o.seed = 11;
  return o;
}
double sig(double v) {
  return 1 / (1 + std::exp(-v));
}

// the score by hand, in double: mean_n -sum_i [x log p + (1-x) log(1-p)], p = sigmoid(y W^T + vb),
// y = sigmoid(xin W + b)
double xent_score_by_hand(const AutoEncoder& ae, const Tensor& target, const Tensor& input,
                          std::vector<double>* codes) {
  const Tensor W = ae.parameter("W").value(), b = ae.parameter("b").value(), vb = ae.parameter("vb").value();
  const std::size_t n = target.shape()[0], d = ae.n_in(), h = ae.n_out();
  double total = 0;
  if (codes) codes->assign(n * h, 0.0);
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<double> y(h);
    for (std::size_t j = 0; j < h; ++j) {
      double a = b.at(j);
      for (std::size_t i = 0; i < d; ++i) a += input.at(r * d + i) * W.at(i * h + j);
      y[j] = sig(a);
      if (codes) (*codes)[r * h + j] = y[j];
    }
    for (std::size_t i = 0; i < d; ++i) {
      double a = vb.at(i);
      for (std::size_t j = 0; j < h; ++j) a += y[j] * W.at(i * h + j);
      const double p = sig(a), x = target.at(r * d + i);
      total -= x * std::log(p) + (1 - x) * std::log(1 - p);
    }
  }
  return total / static_cast<double>(n);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(autoencoder)

BOOST_AUTO_TEST_CASE(dl4j_parameters_and_defaults) {
  const AutoEncoderOptions d;
  BOOST_TEST(d.corruption_level == 0.3);
  BOOST_TEST(d.activation.name() == "sigmoid");
  BOOST_TEST(nn::loss_name(d.loss) == "XENT");
  BOOST_TEST(d.sparsity == 0.0);
  const AutoEncoder ae(small_ae(7, 4));
  std::vector<std::string> names;
  for (const auto& p : ae.named_parameters()) names.push_back(p.name);
  BOOST_TEST(names == (std::vector<std::string>{"W", "b", "vb"}));
  BOOST_TEST(ae.parameter_count() == 7u * 4 + 4 + 7);
  BOOST_TEST(ae.parameter("W").shape() == (Shape{7, 4}));
  BOOST_TEST(ae.pretrain_only_parameters() == std::vector<std::string>{"vb"});
}

BOOST_AUTO_TEST_CASE(reconstruction_target_is_the_clean_input) {
  AutoEncoder ae(small_ae());
  const Tensor x = random_tensor({3, 5}, 1, 0.0, 1.0);
  Tensor mask = Tensor::full({3, 5}, 1.0, DType::float64);
  for (std::size_t i : {0u, 4u, 7u, 8u, 13u}) mask.set(i, 0.0);  // a known mask
  Tensor corrupted = x.clone();
  for (std::size_t i = 0; i < x.size(); ++i) corrupted.set(i, x.at(i) * mask.at(i));
  NoGradGuard guard;
  const double s = ae.score(constant(x), constant(corrupted)).item();
  BOOST_TEST(std::fabs(s - xent_score_by_hand(ae, x, corrupted, nullptr)) < 1e-12);
  // DL4J's defect would score against the corrupted input: a different number
  BOOST_TEST(std::fabs(s - xent_score_by_hand(ae, corrupted, corrupted, nullptr)) > 1e-3);
}

BOOST_AUTO_TEST_CASE(masking_noise_is_fresh_seeded_and_training_only) {
  AutoEncoder ae(small_ae(50, 3));
  const Tensor x = Tensor::full({40, 50}, 1.0, DType::float64);
  ae.seed(5);
  const Tensor a = ae.corrupt(x), b = ae.corrupt(x);
  BOOST_TEST(a.to_vector() != b.to_vector());
  const double kept = kernels::sum_all(a) / 2000.0;
  BOOST_TEST(std::fabs(kept - 0.7) < 5 * std::sqrt(0.21 / 2000));
  for (std::size_t i = 0; i < a.size(); ++i) BOOST_TEST_REQUIRE((a.at(i) == 0.0 || a.at(i) == 1.0));
  ae.seed(5);
  BOOST_TEST(ae.corrupt(x).to_vector() == a.to_vector());
  // pretrain_loss = score(x, corrupt(x)) with the same draws in training, score(x, x) in eval
  const Tensor xs = random_tensor({4, 50}, 2, 0.0, 1.0);
  NoGradGuard guard;
  ae.seed(9);
  const double train = ae.pretrain_loss(constant(xs)).item();
  ae.seed(9);
  BOOST_TEST(train == ae.score(constant(xs), constant(ae.corrupt(xs))).item());
  ae.eval();
  BOOST_TEST(ae.pretrain_loss(constant(xs)).item() == ae.score(constant(xs), constant(xs)).item());
}

BOOST_AUTO_TEST_CASE(sparsity_penalty_equals_its_formula) {
  AutoEncoderOptions o = small_ae();
  o.sparsity = 0.1;
  o.sparsity_beta = 3.0;
  o.corruption_level = 0.0;
  AutoEncoder ae(o);
  const Tensor x = random_tensor({4, 5}, 3, 0.0, 1.0);
  std::vector<double> y;
  const double rec = xent_score_by_hand(ae, x, x, &y);
  double penalty = 0;
  for (std::size_t j = 0; j < 3; ++j) {
    double rho_hat = 0;
    for (std::size_t r = 0; r < 4; ++r) rho_hat += y[r * 3 + j] / 4;
    penalty += 0.1 * std::log(0.1 / rho_hat) + 0.9 * std::log(0.9 / (1 - rho_hat));
  }
  penalty *= 3.0;
  NoGradGuard guard;
  const Variable codes = ae.encode(constant(x));
  BOOST_TEST(std::fabs(ae.sparsity_penalty(codes).item() - penalty) < 1e-12);
  BOOST_TEST(std::fabs(ae.pretrain_loss(constant(x)).item() - (rec + penalty)) < 1e-12);  // in the reported score
}

BOOST_AUTO_TEST_CASE(output_activation_is_applied_once) {
  AutoEncoderOptions o = small_ae(2, 2);
  o.loss = nn::Loss::MSE;
  o.corruption_level = 0;
  AutoEncoder ae(o);
  const Tensor x = Tensor::from({1, 2}, {0.25, 0.75}, DType::float64);
  NoGradGuard guard;
  const Tensor rec = ae.reconstruct(constant(x)).value();
  const double want = (std::pow(0.25 - rec.at(0), 2) + std::pow(0.75 - rec.at(1), 2)) / 2;
  BOOST_TEST(std::fabs(ae.pretrain_loss(constant(x)).item() - want) < 1e-12);
  for (std::size_t i = 0; i < 2; ++i) BOOST_TEST((rec.at(i) > 0.0 && rec.at(i) < 1.0));
}

BOOST_AUTO_TEST_CASE(gradient_checks) {
  struct Case {
    const char* act;
    nn::Loss loss;
    double corruption, sparsity;
    bool reg;
  };
  for (const Case& c : {Case{"sigmoid", nn::Loss::XENT, 0.3, 0.0, false}, Case{"tanh", nn::Loss::MSE, 0.3, 0.0, true},
                        Case{"sigmoid", nn::Loss::XENT, 0.0, 0.2, true},
                        Case{"sigmoid", nn::Loss::MEAN_ABSOLUTE_ERROR, 0.5, 0.05, false}}) {
    AutoEncoderOptions o = small_ae();
    o.activation = Activation::from_name(c.act);
    o.loss = c.loss;
    o.corruption_level = c.corruption;
    o.sparsity = c.sparsity;
    o.sparsity_beta = 2.0;
    if (c.reg) o.reg = nn::Regularization{0.01, 0.02, 0.003, 0.004};
    AutoEncoder ae(o);
    const Variable x = constant(random_tensor({4, 5}, 4, 0.0, 1.0));
    const GradcheckResult r = nn::gradcheck_module(ae, [&] {
      ae.seed(77);
      return ae.pretrain_loss(x);
    });
    BOOST_TEST(r.ok, c.act << " " << nn::loss_name(c.loss) << ": " << r.message);
  }
}

BOOST_AUTO_TEST_CASE(json_round_trip_and_forward) {
  AutoEncoderOptions o = small_ae();
  o.sparsity = 0.05;
  o.sparsity_beta = 0.5;
  o.corruption_level = 0.1;
  o.loss = nn::Loss::MSE;
  o.reg.l2 = 0.001;
  AutoEncoder ae(o);
  const auto back = nn::layer_from_config(nlohmann::json::parse(ae.config().dump()));
  BOOST_TEST(back->config() == ae.config());
  BOOST_TEST(back->parameter_count() == ae.parameter_count());
  NoGradGuard guard;
  const Variable x = constant(random_tensor({2, 5}, 5, 0.0, 1.0));
  BOOST_TEST(ae.forward(x).shape() == (Shape{2, 3}));
  BOOST_TEST(ae.forward(x).value().to_vector() == ae.encode(x).value().to_vector());
}

BOOST_AUTO_TEST_CASE(rejections) {
  auto reject = [](const std::function<void(AutoEncoderOptions&)>& edit, const std::vector<std::string>& fragments) {
    AutoEncoderOptions o = small_ae();
    edit(o);
    check_throws_with<InvalidArgument>([&] { AutoEncoder a(o); }, fragments);
  };
  reject([](auto& o) { o.n_in = 0; }, {"AutoEncoder", "n_in and n_out must be >= 1"});
  reject([](auto& o) { o.corruption_level = 1.0; }, {"corruption_level", "[0, 1)"});
  reject([](auto& o) { o.sparsity = 1.5; }, {"sparsity", "[0, 1)"});
  reject(
      [](auto& o) {
        o.sparsity = 0.1;
        o.activation = Activation::from_name("tanh");
      },
      {"sparsity > 0 needs an activation with range (0,1)", "tanh"});
  reject([](auto& o) { o.sparsity_beta = -1; }, {"sparsity_beta"});
  AutoEncoder ae(small_ae());
  check_throws_with<ShapeError>(
      [&] {
        ae.pretrain_loss(constant(random_tensor({2, 4}, 1)));
      },
      {"AutoEncoder(n_in=5, n_out=3)", "[2,4]", "[N, 5]"});
}

BOOST_AUTO_TEST_SUITE_END()
