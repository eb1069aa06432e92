// Optimizers: the first steps of every DL4J updater against values computed by hand from its formula
// (in double), defaults, weight decay, frozen/gradient-less parameters, state save/load, config round trip.
#include <cmath>
#include <functional>

#include "nn/optim/optimizers.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
// Gives w the gradient g (as a backward of sum(w * g)).
void set_grad(Variable& w, const std::vector<double>& g) {
  w.zero_grad();
  sum(mul(w, constant(Tensor::from(w.shape(), g, w.dtype())))).backward();
}

// Runs `steps` steps of opt on w0 with the gradients gs[k]; returns w after each step.
std::vector<std::vector<double>> run(const std::function<std::unique_ptr<Optimizer>(std::vector<NamedParameter>)>& make,
                                     const std::vector<double>& w0, const std::vector<std::vector<double>>& gs,
                                     DType dtype = DType::float64) {
  Variable w = parameter(Tensor::from({w0.size()}, w0, dtype));
  auto opt = make({{"w", w}});
  std::vector<std::vector<double>> out;
  for (const auto& g : gs) {
    set_grad(w, g);
    opt->step();
    out.push_back(w.value().to_vector());
  }
  return out;
}

const std::vector<double> kW0{0.5, -1.0, 2.0};
const std::vector<std::vector<double>> kGrads{{0.1, -0.2, 0.3}, {-0.4, 0.05, 0.2}, {0.3, 0.3, -0.1}};

void check_steps(const std::vector<std::vector<double>>& got, const std::vector<std::vector<double>>& want, double tol,
                 const std::string& what) {
  BOOST_REQUIRE_EQUAL(got.size(), want.size());
  for (std::size_t s = 0; s < got.size(); ++s)
    for (std::size_t i = 0; i < got[s].size(); ++i)
      BOOST_TEST(std::fabs(got[s][i] - want[s][i]) <= tol,
                 what << " step " << s + 1 << " element " << i << ": " << got[s][i] << " vs " << want[s][i]);
}

// Reference: applies u = rule(g, t, state...) per element in double.
template <class Rule>
std::vector<std::vector<double>> reference(Rule rule, std::size_t slots) {
  std::vector<double> w = kW0;
  std::vector<std::vector<double>> state(w.size(), std::vector<double>(slots, 0.0));
  std::vector<std::vector<double>> out;
  for (std::size_t s = 0; s < kGrads.size(); ++s) {
    for (std::size_t i = 0; i < w.size(); ++i) w[i] -= rule(kGrads[s][i], static_cast<double>(s + 1), state[i]);
    out.push_back(w);
  }
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(optimizers)

BOOST_AUTO_TEST_CASE(dl4j_defaults) {
  Variable w = parameter(Tensor::zeros({2}));
  std::vector<NamedParameter> p{{"w", w}};
  BOOST_TEST(Sgd(p).learning_rate() == 1e-3);
  BOOST_TEST(Nesterovs(p).learning_rate() == 0.1);
  BOOST_TEST(Nesterovs(p).options().momentum == 0.9);
  BOOST_TEST(Adam(p).learning_rate() == 1e-3);
  BOOST_TEST(Adam(p).options().beta1 == 0.9);
  BOOST_TEST(Adam(p).options().beta2 == 0.999);
  BOOST_TEST(Adam(p).options().epsilon == 1e-8);
  BOOST_TEST(AdaGrad(p).learning_rate() == 0.1);
  BOOST_TEST(AdaGrad(p).config()["epsilon"].get<double>() == 1e-6);
  BOOST_TEST(RmsProp(p).learning_rate() == 0.1);
  BOOST_TEST(RmsProp(p).config()["rms_decay"].get<double>() == 0.95);
  BOOST_TEST(RmsProp(p).config()["epsilon"].get<double>() == 1e-8);
  BOOST_TEST(AdaDelta(p).config()["rho"].get<double>() == 0.95);
  BOOST_TEST(AdaDelta(p).config()["epsilon"].get<double>() == 1e-6);
  BOOST_TEST(!AdaDelta(p).has_learning_rate());
  BOOST_TEST(!AdaDelta(p).config().contains("learning_rate"));
}

BOOST_AUTO_TEST_CASE(sgd_hand_values) {
  auto got = run([](auto p) { return std::make_unique<Sgd>(std::move(p), SgdOptions{0.1}); }, kW0, kGrads);
  // w1 = w0 - 0.1 g1: 0.5 - 0.01 = 0.49, -1 + 0.02 = -0.98, 2 - 0.03 = 1.97
  check_steps({got[0]}, {{0.49, -0.98, 1.97}}, 1e-15, "Sgd literal");
  check_steps(got, reference([](double g, double, auto&) { return 0.1 * g; }, 0), 1e-14, "Sgd");
}

BOOST_AUTO_TEST_CASE(nesterovs_hand_values) {
  auto got = run(
      [](auto p) {
        return std::make_unique<Nesterovs>(std::move(p), NesterovsOptions{0.1, 0.9, nullptr});
      },
      kW0, kGrads);
  // step 1: v = -0.1 g; u = 0.9*0 - 1.9 v = 0.19 g -> 0.5 - 0.019 = 0.481
  BOOST_TEST(std::fabs(got[0][0] - 0.481) < 1e-15);
  check_steps(got,
              reference(
                  [](double g, double, std::vector<double>& s) {
                    const double prev = s[0];
                    s[0] = 0.9 * prev - 0.1 * g;
                    return 0.9 * prev - 1.9 * s[0];
                  },
                  1),
              1e-14, "Nesterovs");
}

BOOST_AUTO_TEST_CASE(nesterovs_momentum_schedule) {
  // DL4J's momentumSchedule: mu = 0.5 for iteration 0, 0.9 from iteration 1 on.
  auto schedule =
      std::make_shared<MapSchedule>(ScheduleType::ITERATION, std::map<std::size_t, double>{{0, 0.5}, {1, 0.9}});
  auto got = run(
      [&](auto p) {
        return std::make_unique<Nesterovs>(std::move(p), NesterovsOptions{0.1, 0.0, schedule});
      },
      kW0, kGrads);
  check_steps(got,
              reference(
                  [](double g, double t, std::vector<double>& s) {
                    const double mu = t == 1 ? 0.5 : 0.9, prev = s[0];
                    s[0] = mu * prev - 0.1 * g;
                    return mu * prev - (1 + mu) * s[0];
                  },
                  1),
              1e-14, "Nesterovs with a momentum schedule");
  // the schedule survives the configuration round trip
  Variable w = parameter(Tensor::from({1}, {1.0}, DType::float64));
  Nesterovs opt({{"w", w}}, NesterovsOptions{0.1, 0.0, schedule});
  auto copy = optimizer_from_config(opt.config(), {{"w", w}});
  const auto& back = dynamic_cast<const Nesterovs&>(*copy).options();
  BOOST_TEST_REQUIRE(back.momentum_schedule != nullptr);
  BOOST_TEST(back.momentum_schedule->to_json() == schedule->to_json());
}

BOOST_AUTO_TEST_CASE(adam_hand_values) {
  auto got = run([](auto p) { return std::make_unique<Adam>(std::move(p), AdamOptions{0.01}); }, kW0, kGrads);
  // step 1: m = 0.1 g, v = 0.001 g^2, a = 0.01 sqrt(0.001) / 0.1 -> u = 0.01 g / (|g| + 1e-8 / sqrt(0.001)) ~ 0.01
  // sign(g)
  BOOST_TEST(std::fabs(got[0][0] - (0.5 - 0.01 * 0.1 / (0.1 + 1e-8 / std::sqrt(0.001)))) < 1e-15);
  check_steps(got,
              reference(
                  [](double g, double t, std::vector<double>& s) {
                    s[0] = 0.9 * s[0] + 0.1 * g;
                    s[1] = 0.999 * s[1] + 0.001 * g * g;
                    const double a = 0.01 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
                    return a * s[0] / (std::sqrt(s[1]) + 1e-8);
                  },
                  2),
              1e-14, "Adam");
}

BOOST_AUTO_TEST_CASE(adamax_hand_values) {
  auto got = run([](auto p) { return std::make_unique<AdaMax>(std::move(p), AdamOptions{0.01}); }, kW0, kGrads);
  // step 1: m = 0.1 g, u = |g|, a = 0.01 / 0.1 -> update 0.01 sign(g)
  check_steps({got[0]}, {{0.49, -0.99, 1.99}}, 1e-15, "AdaMax literal");
  check_steps(got,
              reference(
                  [](double g, double t, std::vector<double>& s) {
                    s[0] = 0.9 * s[0] + 0.1 * g;
                    s[1] = std::max(0.999 * s[1], std::fabs(g)) + 1e-32;
                    return 0.01 / (1 - std::pow(0.9, t)) * s[0] / s[1];
                  },
                  2),
              1e-14, "AdaMax");
}

BOOST_AUTO_TEST_CASE(nadam_hand_values) {
  auto got = run([](auto p) { return std::make_unique<Nadam>(std::move(p), AdamOptions{0.01}); }, kW0, kGrads);
  check_steps(got,
              reference(
                  [](double g, double t, std::vector<double>& s) {
                    s[0] = 0.9 * s[0] + 0.1 * g;
                    s[1] = 0.999 * s[1] + 0.001 * g * g;
                    const double c = 1 - std::pow(0.9, t);
                    return 0.01 * (0.9 * s[0] / c + 0.1 * g / c) / (std::sqrt(s[1]) + 1e-8);
                  },
                  2),
              1e-14, "Nadam");
  // step 1 by hand for g = 0.1: m = 0.01, v = 1e-5; u = 0.01 (0.009 + 0.01) / 0.1 / (sqrt(1e-5) + 1e-8)
  BOOST_TEST(std::fabs(got[0][0] - (0.5 - 0.01 * 0.19 / (std::sqrt(1e-5) + 1e-8))) < 1e-15);
}

BOOST_AUTO_TEST_CASE(amsgrad_hand_values) {
  auto got = run([](auto p) { return std::make_unique<AMSGrad>(std::move(p), AdamOptions{0.01}); }, kW0, kGrads);
  check_steps(got,
              reference(
                  [](double g, double t, std::vector<double>& s) {
                    s[0] = 0.9 * s[0] + 0.1 * g;
                    s[1] = 0.999 * s[1] + 0.001 * g * g;
                    s[2] = std::max(s[2], s[1]);
                    const double a = 0.01 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
                    return a * s[0] / (std::sqrt(s[2]) + 1e-8);
                  },
                  3),
              1e-14, "AMSGrad");
}

BOOST_AUTO_TEST_CASE(amsgrad_keeps_the_maximum) {
  // a large then a small gradient: vhat stays at the first v, so the second step is smaller than Adam's
  Variable w1 = parameter(Tensor::from({1}, {0.0}, DType::float64));
  Variable w2 = parameter(Tensor::from({1}, {0.0}, DType::float64));
  AMSGrad ams({{"w", w1}});
  Adam adam({{"w", w2}});
  for (double g : {1.0, 0.01}) {
    set_grad(w1, {g});
    set_grad(w2, {g});
    ams.step();
    adam.step();
  }
  BOOST_TEST(std::fabs(w1.value().at(0)) < std::fabs(w2.value().at(0)));
  const auto st = ams.state();
  BOOST_TEST(st[2].first == "w.vhat");
  BOOST_TEST(st[2].second.at(0) == 0.001, boost::test_tools::tolerance(1e-12));  // max(0.001, 0.000999 + 1e-7)
}

BOOST_AUTO_TEST_CASE(adagrad_hand_values) {
  auto got = run([](auto p) { return std::make_unique<AdaGrad>(std::move(p), AdaGradOptions{}); }, kW0, kGrads);
  // step 1: h = g^2, u = 0.1 g / (|g| + 1e-6): 0.5 - 0.1 * 0.1 / 0.100001
  BOOST_TEST(std::fabs(got[0][0] - (0.5 - 0.01 / 0.100001)) < 1e-15);
  check_steps(got,
              reference(
                  [](double g, double, std::vector<double>& s) {
                    s[0] += g * g;
                    return 0.1 * g / (std::sqrt(s[0]) + 1e-6);
                  },
                  1),
              1e-14, "AdaGrad");
}

BOOST_AUTO_TEST_CASE(adadelta_hand_values) {
  auto got = run([](auto p) { return std::make_unique<AdaDelta>(std::move(p)); }, kW0, kGrads);
  // step 1: msg = 0.05 g^2, u = g sqrt(1e-6) / sqrt(0.05 g^2 + 1e-6)
  BOOST_TEST(std::fabs(got[0][0] - (0.5 - 0.1 * 1e-3 / std::sqrt(0.05 * 0.01 + 1e-6))) < 1e-15);
  check_steps(got,
              reference(
                  [](double g, double, std::vector<double>& s) {
                    s[0] = 0.95 * s[0] + 0.05 * g * g;
                    const double u = g * std::sqrt(s[1] + 1e-6) / std::sqrt(s[0] + 1e-6);
                    s[1] = 0.95 * s[1] + 0.05 * u * u;
                    return u;
                  },
                  2),
              1e-14, "AdaDelta");
}

BOOST_AUTO_TEST_CASE(rmsprop_hand_values) {
  auto got = run([](auto p) { return std::make_unique<RmsProp>(std::move(p), RmsPropOptions{}); }, kW0, kGrads);
  // step 1: s = 0.05 g^2, u = 0.1 g / (sqrt(0.05) |g| + 1e-8)
  BOOST_TEST(std::fabs(got[0][0] - (0.5 - 0.01 / (std::sqrt(0.05) * 0.1 + 1e-8))) < 1e-15);
  check_steps(got,
              reference(
                  [](double g, double, std::vector<double>& s) {
                    s[0] = 0.95 * s[0] + 0.05 * g * g;
                    return 0.1 * g / (std::sqrt(s[0]) + 1e-8);
                  },
                  1),
              1e-14, "RmsProp");
}

BOOST_AUTO_TEST_CASE(noop_changes_nothing) {
  auto got = run([](auto p) { return std::make_unique<NoOp>(std::move(p)); }, kW0, kGrads);
  check_steps(got, {kW0, kW0, kW0}, 0, "NoOp");
}

BOOST_AUTO_TEST_CASE(float32_matches_float64) {
  for (const char* type :
       {"Sgd", "Nesterovs", "Adam", "AdaMax", "Nadam", "AMSGrad", "AdaGrad", "AdaDelta", "RmsProp"}) {
    auto make = [&](auto p) { return optimizer_from_config({{"type", type}}, std::move(p)); };
    auto d = run(make, kW0, kGrads, DType::float64);
    auto f = run(make, kW0, kGrads, DType::float32);
    check_steps(f, d, 2e-6, type);
  }
}

BOOST_AUTO_TEST_CASE(schedule_drives_the_learning_rate) {
  Variable w = parameter(Tensor::from({1}, {1.0}, DType::float64));
  Sgd opt({{"w", w}}, SgdOptions{0.5});
  opt.set_schedule(std::make_shared<ExponentialSchedule>(ScheduleType::ITERATION, 0.1, 0.5));
  BOOST_TEST(opt.learning_rate() == 0.1);
  set_grad(w, {1.0});
  opt.step();  // lr 0.1
  BOOST_TEST(opt.learning_rate() == 0.05);
  set_grad(w, {1.0});
  opt.step();  // lr 0.05
  BOOST_TEST(w.value().at(0) == 1.0 - 0.1 - 0.05, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(opt.iteration() == 2u);
  opt.set_schedule(std::make_shared<StepSchedule>(ScheduleType::EPOCH, 1.0, 0.1, 1.0));
  opt.set_epoch(2);
  BOOST_TEST(opt.learning_rate() == 0.01, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(opt.base_learning_rate() == 0.5);
}

BOOST_AUTO_TEST_CASE(decoupled_weight_decay) {
  // Sgd lr 0.1, decay 0.5 with lr: w1 = w0 - 0.1 g - 0.1 * 0.5 * w0 (weights only: the rank-1 bias is untouched)
  Variable W = parameter(Tensor::from({1, 2}, {1.0, -2.0}, DType::float64));
  Variable b = parameter(Tensor::from({2}, {1.0, -2.0}, DType::float64));
  Sgd opt({{"W", W}, {"b", b}}, SgdOptions{0.1});
  opt.set_weight_decay({0.5, true, false});
  set_grad(W, {0.2, 0.2});
  set_grad(b, {0.2, 0.2});
  opt.step();
  test::check_close(W.value(), {1.0 - 0.02 - 0.05, -2.0 - 0.02 + 0.1}, 1e-15, "W decays");
  test::check_close(b.value(), {1.0 - 0.02, -2.0 - 0.02}, 1e-15, "b does not");
  // without lr, and with biases
  opt.set_weight_decay({0.5, false, true});
  const double b0 = b.value().at(0);
  set_grad(b, {0.0, 0.0});
  W.zero_grad();
  opt.step();
  BOOST_TEST(b.value().at(0) == b0 - 0.5 * b0, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(skips_frozen_and_gradientless_parameters) {
  Variable a = parameter(Tensor::from({1}, {1.0}, DType::float64));
  Variable b = parameter(Tensor::from({1}, {1.0}, DType::float64));
  Variable c = parameter(Tensor::from({1}, {1.0}, DType::float64));
  Adam opt({{"a", a}, {"b", b}, {"c", c}});
  set_grad(a, {1.0});
  set_grad(b, {1.0});
  b.set_requires_grad(false);  // frozen after its gradient arrived
  opt.step();                  // c has no gradient
  BOOST_TEST(a.value().at(0) != 1.0);
  BOOST_TEST(b.value().at(0) == 1.0);
  BOOST_TEST(c.value().at(0) == 1.0);
  BOOST_TEST(opt.state()[2].second.at(0) == 0.0);  // b.m untouched
  opt.zero_grad();
  BOOST_TEST(!a.has_grad());
}

BOOST_AUTO_TEST_CASE(updates_in_place_without_recording) {
  Variable w = parameter(Tensor::from({2}, {1.0, 2.0}, DType::float64));
  const double* before = w.value().data<double>();
  Adam opt({{"w", w}});
  set_grad(w, {1.0, 1.0});
  const std::size_t tape_before = current_tape().size();
  opt.step();
  BOOST_TEST(w.value().data<double>() == before);
  BOOST_TEST(current_tape().size() == tape_before);
  BOOST_TEST(w.is_leaf());
}

BOOST_AUTO_TEST_CASE(large_parameters_step_in_parallel_blocks) {
  // more than one kernel block: every element gets the same first Adam step lr * sign(g)
  const std::size_t n = 3 * parallel::kGrain + 7;
  Variable w = parameter(Tensor::zeros({n}, DType::float32));
  Adam opt({{"w", w}}, AdamOptions{0.01});
  w.zero_grad();
  sum(w * 2.0).backward();
  opt.step();
  const float* p = w.value().data<float>();
  for (std::size_t i = 0; i < n; i += 997) BOOST_TEST(std::fabs(p[i] + 0.01f) < 1e-6f);
  BOOST_TEST(std::fabs(p[n - 1] + 0.01f) < 1e-6f);
}

BOOST_AUTO_TEST_CASE(state_round_trip_resumes_exactly) {
  auto make_param = [] { return parameter(Tensor::from({3}, kW0, DType::float64)); };
  // uninterrupted: 3 steps
  Variable w1 = make_param();
  Adam a1({{"w", w1}}, AdamOptions{0.01});
  for (const auto& g : kGrads) {
    set_grad(w1, g);
    a1.step();
  }
  // 1 step, save, new optimizer, load, 2 steps
  Variable w2 = make_param();
  Adam a2({{"w", w2}}, AdamOptions{0.01});
  set_grad(w2, kGrads[0]);
  a2.step();
  const auto saved = a2.state();
  BOOST_REQUIRE_EQUAL(saved.size(), 4u);
  BOOST_TEST(saved[0].first == "w.m");
  BOOST_TEST(saved[1].first == "w.v");
  BOOST_TEST(saved[2].first == "iteration");
  BOOST_TEST(saved[2].second.item() == 1.0);
  Adam a3({{"w", w2}}, AdamOptions{0.01});
  a3.load_state(saved);
  BOOST_TEST(a3.iteration() == 1u);
  for (std::size_t s = 1; s < kGrads.size(); ++s) {
    set_grad(w2, kGrads[s]);
    a3.step();
  }
  for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(w1.value().at(i) == w2.value().at(i));
}

BOOST_AUTO_TEST_CASE(load_state_errors_name_the_entry) {
  Variable w = parameter(Tensor::zeros({3}, DType::float64));
  Adam opt({{"enc.W", w}});
  auto st = opt.state();
  auto missing = st;
  missing.erase(missing.begin() + 1);
  test::check_throws_with<InvalidArgument>([&] { opt.load_state(missing); },
                                           {"Adam::load_state", "missing", "'enc.W.v'"});
  auto wrong = st;
  wrong[0].second = Tensor::zeros({4}, DType::float64);
  test::check_throws_with<ShapeError>([&] { opt.load_state(wrong); }, {"'enc.W.m'", "[4]", "[3]"});
  auto extra = st;
  extra.emplace_back("dec.W.m", Tensor::zeros({3}));
  test::check_throws_with<InvalidArgument>([&] { opt.load_state(extra); }, {"unknown entry 'dec.W.m'"});
  Sgd sgd({{"enc.W", w}});
  test::check_throws_with<InvalidArgument>([&] { sgd.load_state(st); }, {"unknown entry 'enc.W.m'"});
}

BOOST_AUTO_TEST_CASE(config_round_trip) {
  Variable w = parameter(Tensor::zeros({2}, DType::float64));
  Nadam opt({{"w", w}}, AdamOptions{0.02, 0.8, 0.99, 1e-7});
  opt.set_schedule(
      std::make_shared<MapSchedule>(ScheduleType::EPOCH, std::map<std::size_t, double>{{0, 0.02}, {3, 0.01}}));
  opt.set_gradient_normalization({GradientNormalization::ClipL2PerLayer, 2.5});
  opt.set_weight_decay({1e-4, false, true});
  const nlohmann::json cfg = opt.config();
  BOOST_TEST(cfg["type"] == "Nadam");
  BOOST_TEST(cfg["beta1"].get<double>() == 0.8);
  auto back = optimizer_from_config(cfg, {{"w", w}});
  BOOST_TEST(back->type_name() == "Nadam");
  BOOST_TEST(back->config() == cfg, "round trip: " << back->config().dump() << " vs " << cfg.dump());
  // every type round-trips, short forms take DL4J defaults
  for (const auto& type : registered_optimizer_types()) {
    auto o = optimizer_from_config(type, {{"w", w}});
    BOOST_TEST(optimizer_from_config(o->config(), {{"w", w}})->config() == o->config(), type);
  }
  BOOST_TEST(optimizer_from_config({{"type", "adam"}, {"learning_rate", 0.5}}, {{"w", w}})->learning_rate() == 0.5);
}

BOOST_AUTO_TEST_CASE(bad_configuration_errors) {
  Variable w = parameter(Tensor::zeros({2}, DType::float64));
  test::check_throws_with<InvalidArgument>(
      [&] {
        optimizer_from_config("adamw", {{"w", w}});
      },
      {"unknown optimizer type 'adamw'", "Adam", "RmsProp"});
  test::check_throws_with<InvalidArgument>([&] { Adam({{"w", w}}, AdamOptions{1e-3, 1.0}); }, {"beta1", "[0, 1)"});
  test::check_throws_with<InvalidArgument>([&] { Sgd({{"w", w}}, SgdOptions{-1}); }, {"Sgd", "learning_rate"});
  test::check_throws_with<InvalidArgument>(
      [&] {
        AdaDelta({{"w", w}}).set_learning_rate(0.1);
      },
      {"AdaDelta has no learning rate"});
  test::check_throws_with<InvalidArgument>([&] { Sgd({{"w", w}, {"w", w}}); }, {"'w' appears twice"});
  test::check_throws_with<InvalidArgument>([&] { Sgd({{"h", sum(w)}}); }, {"'h' is not a leaf"});
}

BOOST_AUTO_TEST_SUITE_END()
