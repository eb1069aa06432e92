// Normalizing flows: the planar flow against its formula, log|det J| against the numerical Jacobian (the
// flow conformance checker, which also fails a flow with a wrong log-determinant), invertibility of the
// constrained u^, the flow posterior's change of variables and its errors.
#include "distribution_helpers.hpp"
#include "nn/distributions/flow_conformance.hpp"
#include "nn/distributions/flow_posterior.hpp"
#include "nn/distributions/iaf_flow.hpp"
#include "nn/distributions/planar_flow.hpp"

using namespace xgrad;
using namespace xgrad::test;

namespace {
// log_det off by 0.01: the checker must catch it
class WrongDeterminant : public nn::PlanarFlow {
 public:
  using PlanarFlow::PlanarFlow;
  nn::FlowStep forward(const Variable& z) override {
    nn::FlowStep s = PlanarFlow::forward(z);
    s.log_det = s.log_det + 0.01;
    return s;
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(flows)

BOOST_AUTO_TEST_CASE(planar_flow_matches_its_formula) {
  Generator gen(1);
  nn::PlanarFlow f(2, gen, DType::float64);
  const std::vector<double> u{0.4, -1.2}, w{-0.8, 0.5};
  const double b = 0.3;
  f.parameter("u").mutable_value() = f64({2}, u);
  f.parameter("w").mutable_value() = f64({2}, w);
  f.parameter("b").mutable_value() = f64({1}, {b});
  const Tensor z = f64({2, 2}, {0.1, -0.2, 1.5, 0.7});
  NoGradGuard guard;
  const nn::FlowStep s = f.forward(constant(z));
  const double wu = w[0] * u[0] + w[1] * u[1], ww = w[0] * w[0] + w[1] * w[1];
  const double mwu = -1 + std::log1p(std::exp(wu));
  const double uh[2] = {u[0] + (mwu - wu) * w[0] / ww, u[1] + (mwu - wu) * w[1] / ww};
  const double wuh = w[0] * uh[0] + w[1] * uh[1];
  BOOST_TEST(wuh > -1);
  for (std::size_t r = 0; r < 2; ++r) {
    const double t = std::tanh(w[0] * z.at(2 * r) + w[1] * z.at(2 * r + 1) + b);
    BOOST_TEST(std::fabs(s.z.value().at(2 * r) - (z.at(2 * r) + uh[0] * t)) < 1e-12);
    BOOST_TEST(std::fabs(s.z.value().at(2 * r + 1) - (z.at(2 * r + 1) + uh[1] * t)) < 1e-12);
    BOOST_TEST(std::fabs(s.log_det.value().at(r) - std::log(1 + (1 - t * t) * wuh)) < 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(planar_flow_conforms_and_a_wrong_determinant_fails) {
  Generator gen(2);
  for (std::size_t j : {1u, 2u, 4u}) {
    nn::PlanarFlow f(j, gen, DType::float64, 1.0);  // large u, w: a strongly non-linear map
    const nn::ConformanceReport r = nn::check_flow_conformance(f);
    BOOST_TEST(r.ok, "J=" << j << ":\n" << r.str());
    BOOST_TEST(r.lines.size() == 3u, r.str());
  }
  WrongDeterminant bad(3, gen, DType::float64, 1.0);
  const nn::ConformanceReport r = nn::check_flow_conformance(bad);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.str().find("FAIL jacobian") != std::string::npos, r.str());
}

BOOST_AUTO_TEST_CASE(log_abs_determinant_of_known_matrices) {
  BOOST_TEST(std::fabs(nn::log_abs_determinant({2, 0, 0, 3}, 2) - std::log(6.0)) < 1e-14);
  BOOST_TEST(std::fabs(nn::log_abs_determinant({0, 1, 1, 0}, 2)) < 1e-14);  // det -1, needs the pivot
  BOOST_TEST(std::isinf(nn::log_abs_determinant({1, 2, 2, 4}, 2)));
}

BOOST_AUTO_TEST_CASE(flow_posterior_change_of_variables) {
  Generator gen(3);
  const nn::PosteriorPtr post =
      nn::posterior_from_config({{"type", "planar"}, {"flows", 3}}, {2, DType::float64, &gen});
  BOOST_TEST(post->config() == (nlohmann::json{{"type", "planar"}, {"flows", 3}, {"init_scale", 0.1}}));
  BOOST_TEST(post->parameter_count() == 3u * (2 + 2 + 1));
  BOOST_TEST(post->named_parameters()[0].name == "0.u");
  auto* fp = dynamic_cast<nn::FlowPosterior*>(post.get());
  BOOST_REQUIRE(fp != nullptr);
  const Tensor mu = f64({2, 2}, {0.5, -1.0, 0.0, 2.0}), lv = f64({2, 2}, {0.3, -0.5, 1.0, 0.0});
  const auto q = post->distribution(constant(mu), constant(lv));
  BOOST_TEST(q->type_name() == "FlowGaussian(planar x 3)");
  const Tensor eps = q->draw_noise(gen, 2);
  NoGradGuard guard;
  const nn::LatentSample s = q->rsample_with_log_prob(eps);
  // by hand: base sample, base density, the flows in order
  const nn::DiagonalGaussian base(constant(mu), constant(lv));
  Variable z = base.rsample(eps);
  Tensor want = base.log_prob(z).value();
  Tensor det = Tensor::zeros(Shape{4}, DType::float64);
  for (std::size_t k = 0; k < 3; ++k) {
    const nn::FlowStep st = fp->flow(k).forward(z);
    z = st.z;
    for (std::size_t i = 0; i < 4; ++i) det.set(i, det.at(i) + st.log_det.value().at(i));
  }
  check_close(s.z.value(), z.value().to_vector(), 1e-14);
  check_close(s.log_det.value(), det.to_vector(), 1e-14);
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(std::fabs(s.log_q.value().at(i) - (want.at(i) - det.at(i))) < 1e-12);
  BOOST_TEST(q->rsample(eps).value().to_vector() == s.z.value().to_vector());
  check_throws_with<InvalidArgument>([&] { q->log_prob(s.z); }, {"FlowGaussian(planar x 3).log_prob", "own samples"});
  check_throws_with<InvalidArgument>([&] { q->mean(); }, {"no closed form"});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::posterior_from_config({{"type", "planar"}}, {2, DType::float64, &gen});
      },
      {"planar", "\"flows\""});
}

BOOST_AUTO_TEST_CASE(flow_posterior_density_integrates_to_one_in_1d) {
  // q(z_K) of a 1-D posterior with two strongly non-linear planar flows, integrated over z_K by quadrature:
  // each point z_K is inverted by bisection (the flows are increasing) to the noise eps whose sample is z_K,
  // and rsample_with_log_prob gives log q there. A wrong sign or a missing log|det| breaks the integral.
  Generator gen(4);
  const nn::PosteriorPtr post =
      nn::posterior_from_config({{"type", "planar"}, {"flows", 2}, {"init_scale", 1.5}}, {1, DType::float64, &gen});
  const auto q = post->distribution(constant(f64({1, 1}, {0.2})), constant(f64({1, 1}, {-0.4})));
  auto z_of = [&](const std::vector<double>& eps) {
    NoGradGuard guard;
    return q->rsample(Tensor::from(Shape{eps.size(), 1}, eps, DType::float64)).value();
  };
  auto density = [&](const std::vector<double>& zk) {
    std::vector<double> lo(zk.size(), -60.0), hi(zk.size(), 60.0), mid(zk.size());
    for (int it = 0; it < 200; ++it) {
      for (std::size_t i = 0; i < zk.size(); ++i) mid[i] = 0.5 * (lo[i] + hi[i]);
      if (zk.empty()) break;
      const Tensor z = z_of(mid);
      for (std::size_t i = 0; i < zk.size(); ++i) (z.at(i) < zk[i] ? lo[i] : hi[i]) = mid[i];
    }
    std::vector<double> out;
    if (zk.empty()) return out;
    NoGradGuard guard;
    const nn::LatentSample s = q->rsample_with_log_prob(Tensor::from(Shape{mid.size(), 1}, mid, DType::float64));
    for (std::size_t i = 0; i < zk.size(); ++i) out.push_back(std::exp(s.log_q.value().at(i)));
    return out;
  };
  const double inf = std::numeric_limits<double>::infinity();
  const double c = z_of({0.0}).at(0);
  const double total = nn::integrate(density, -inf, c, 1e-9) + nn::integrate(density, c, inf, 1e-9);
  BOOST_TEST(std::fabs(total - 1.0) < 1e-6, "integral " << total);
}

namespace {
// dz'_j / dz_i of a flow at one point z [1, J], by central differences
std::vector<double> numerical_jacobian(nn::Flow& f, const std::vector<double>& z) {
  const std::size_t j = z.size();
  std::vector<double> jac(j * j);
  NoGradGuard guard;
  for (std::size_t i = 0; i < j; ++i) {
    std::vector<double> hi = z, lo = z;
    hi[i] += 1e-6;
    lo[i] -= 1e-6;
    const Tensor a = f.forward(constant(f64({1, j}, hi))).z.value(), b = f.forward(constant(f64({1, j}, lo))).z.value();
    for (std::size_t r = 0; r < j; ++r) jac[r * j + i] = (a.at(r) - b.at(r)) / 2e-6;
  }
  return jac;
}
}  // namespace

BOOST_AUTO_TEST_CASE(iaf_flow_matches_its_formula_and_is_autoregressive) {
  Generator gen(5);
  for (const bool reversed : {false, true}) {
    nn::IafFlow f(4, 6, reversed, gen, DType::float64, 1.0, 0.5);
    BOOST_TEST(f.parameter_count() == 4u * 6 + 6 + 6 * 4 + 4 + 6 * 4 + 4);
    const std::vector<double> z{0.3, -1.1, 0.8, 0.2};
    NoGradGuard guard;
    const nn::FlowStep st = f.forward(constant(f64({1, 4}, z)));
    // z'_j = sigma_j z_j + (1 - sigma_j) m_j: dz'_j/dz_j = sigma_j, and log|det| = sum_j log sigma_j
    const std::vector<double> jac = numerical_jacobian(f, z);
    double log_sigma = 0;
    for (std::size_t r = 0; r < 4; ++r) {
      log_sigma += std::log(jac[r * 4 + r]);
      BOOST_TEST(jac[r * 4 + r] > 0.0);
      BOOST_TEST(jac[r * 4 + r] < 1.0);
      for (std::size_t i = 0; i < 4; ++i) {
        // output r depends on input i only when i comes before r in the step's order
        const bool before = reversed ? i > r : i < r;
        if (i != r && !before) BOOST_TEST(jac[r * 4 + i] == 0.0, "r=" << r << " i=" << i << " reversed=" << reversed);
        if (before) BOOST_TEST(std::fabs(jac[r * 4 + i]) > 1e-8, "r=" << r << " i=" << i);
      }
    }
    BOOST_TEST(std::fabs(st.log_det.value().at(0) - log_sigma) < 1e-8);
    // the first variable of the order is a fixed affine map: sigma(bs) z + (1 - sigma(bs)) bm
    const std::size_t first = reversed ? 3 : 0;
    const double sig = 1.0 / (1.0 + std::exp(-0.5));
    BOOST_TEST(std::fabs(st.z.value().at(first) - sig * z[first]) < 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(iaf_flow_conforms_and_the_posterior_reverses_the_order) {
  Generator gen(6);
  for (std::size_t j : {1u, 2u, 5u})
    for (const bool reversed : {false, true}) {
      nn::IafFlow f(j, 7, reversed, gen, DType::float64, 1.0, 0.0);  // large weights: strongly non-linear
      const nn::ConformanceReport r = nn::check_flow_conformance(f);
      BOOST_TEST(r.ok, "J=" << j << " reversed=" << reversed << ":\n" << r.str());
      BOOST_TEST(r.lines.size() == 3u, r.str());
    }
  const nn::PosteriorPtr post =
      nn::posterior_from_config({{"type", "iaf"}, {"flows", 3}, {"hidden", 5}}, {3, DType::float64, &gen});
  BOOST_TEST(post->config() == (nlohmann::json{{"type", "iaf"},
                                               {"flows", 3},
                                               {"hidden", 5},
                                               {"init_scale", 0.1},
                                               {"sigma_bias", 1.0},
                                               {"context", "none"}}));
  BOOST_TEST(post->describe() == "iaf x 3");
  BOOST_TEST(post->named_parameters()[0].name == "0.W1");
  auto* fp = dynamic_cast<nn::FlowPosterior*>(post.get());
  BOOST_REQUIRE(fp != nullptr);
  for (std::size_t k = 0; k < 3; ++k) {
    const auto* step = dynamic_cast<const nn::IafFlow*>(&fp->flow(k));
    BOOST_REQUIRE(step != nullptr);
    BOOST_TEST(step->reversed() == (k % 2 == 1));
    BOOST_TEST(step->hidden() == 5u);
  }
  BOOST_TEST(
      nn::posterior_from_config({{"type", "iaf"}, {"flows", 1}}, {20, DType::float64, &gen})->config()["hidden"] == 40);
  check_throws_with<InvalidArgument>(
      [&] {
        nn::posterior_from_config({{"type", "iaf"}}, {2, DType::float64, &gen});
      },
      {"iaf", "missing \"flows\""});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::posterior_from_config({{"type", "iaf"}, {"flows", 1}, {"hidden", 0}}, {2, DType::float64, &gen});
      },
      {"IafFlow", "hidden width must be >= 1"});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::posterior_from_config({{"type", "iaf"}, {"flows", 1}}, {2, DType::float64, nullptr});
      },
      {"iaf", "needs a Generator"});
}

BOOST_AUTO_TEST_CASE(amortised_iaf_takes_the_heads_as_context) {
  Generator gen(8);
  for (const bool reversed : {false, true}) {  // the step alone: numerical Jacobian in z, gradients in z, c, params
    nn::IafFlow f(3, 6, reversed, gen, DType::float64, 1.0, 0.0, 4);
    BOOST_TEST(f.parameter("Wc").value().to_vector() == std::vector<double>(24, 0.0));  // starts as the global step
    f.parameter("Wc").mutable_value() = gen.normal(Shape{4, 6}, 0.0, 1.0, DType::float64);
    const nn::ConformanceReport r = nn::check_flow_conformance(f);
    BOOST_TEST(r.ok, r.str());
    BOOST_TEST(r.str().find("the context") != std::string::npos, r.str());
    BOOST_TEST(f.named_parameters().back().name == "Wc");
    BOOST_TEST(f.parameter("Wc").shape() == (Shape{4, 6}));
    check_throws_with<InvalidArgument>(
        [&] {
          f.forward(constant(Tensor::zeros(Shape{2, 3}, DType::float64)));
        },
        {"IafFlow.forward", "amortised", "forward_with_context"});
    check_throws_with<ShapeError>(
        [&] {
          f.forward_with_context(constant(Tensor::zeros(Shape{2, 3}, DType::float64)),
                                 constant(Tensor::zeros(Shape{3, 4}, DType::float64)));
        },
        {"context [3,4]", "[M, 4]", "z [2,3]"});
  }
  // in the posterior: z_K of L = 2 samples is the step applied with each row's [mu, logvar]
  const nn::PosteriorPtr post = nn::posterior_from_config(
      {{"type", "iaf"}, {"flows", 1}, {"hidden", 5}, {"init_scale", 0.7}, {"context", "heads"}},
      {2, DType::float64, &gen});
  BOOST_TEST(post->config()["context"] == "heads");
  BOOST_TEST(post->parameter("0.Wc").shape() == (Shape{4, 5}));
  post->parameter("0.Wc").mutable_value() = gen.normal(Shape{4, 5}, 0.0, 0.7, DType::float64);
  const Tensor mu = f64({2, 2}, {0.5, -1.0, 0.2, 0.3}), lv = f64({2, 2}, {-0.5, 0.1, 0.4, -1.2});
  const Tensor eps = f64({4, 2}, {0.3, -0.2, 1.1, 0.4, -0.7, 0.9, 0.05, -1.3});
  NoGradGuard guard;
  const auto q = post->distribution(constant(mu), constant(lv));
  const nn::LatentSample s = q->rsample_with_log_prob(eps);
  auto* fp = dynamic_cast<nn::FlowPosterior*>(post.get());
  BOOST_REQUIRE(fp != nullptr);
  const Tensor heads =
      f64({4, 4}, {0.5, -1.0, -0.5, 0.1, 0.2, 0.3, 0.4, -1.2, 0.5, -1.0, -0.5, 0.1, 0.2, 0.3, 0.4, -1.2});
  const Variable z0 = nn::DiagonalGaussian(constant(mu), constant(lv)).rsample(eps);
  const nn::FlowStep want = fp->flow(0).forward_with_context(z0, constant(heads));
  check_close(s.z.value(), want.z.value().to_vector(), 1e-14);
  check_close(s.log_det.value(), want.log_det.value().to_vector(), 1e-14);
  // the context changes the map: other heads, same z_0, another z_K
  const Tensor other = f64({4, 4}, std::vector<double>(16, 0.0));
  BOOST_TEST(fp->flow(0).forward_with_context(z0, constant(other)).z.value().to_vector() != want.z.value().to_vector());
  check_throws_with<InvalidArgument>(
      [&] {
        nn::posterior_from_config({{"type", "iaf"}, {"flows", 1}, {"context", "x"}}, {2, DType::float64, &gen});
      },
      {"iaf", "\"context\" must be \"none\"", "\"x\""});
}

BOOST_AUTO_TEST_SUITE_END()
