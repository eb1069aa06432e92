// Network: fit on a separable problem, output/score/evaluate, the no-output-layer error, pretrain-only
// parameters held fixed by fit, layerwise pretraining with earlier layers in inference mode, config
// round trip, fit continuation and checkpoint resume bit-exact.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>

#include "temp_dir.hpp"
#include "nn/layers/dense.hpp"
#include "nn/train/network.hpp"
#include "test_helpers.hpp"
#include "tiny_layers.hpp"

using namespace xgrad;
using namespace xgrad::nn;
using xgrad::test::check_throws_with;

namespace {
// Two Gaussian blobs in 2-D around (-1,-1) and (1,1), std 0.3: separable with a wide margin.
data::Dataset blobs(std::size_t n, std::uint64_t seed) {
  Generator g(seed);
  Tensor x = g.normal({n, 2}, 0.0, 0.3);
  std::vector<int> labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    labels[i] = static_cast<int>(i % 2);
    const double c = labels[i] ? 1.0 : -1.0;
    x.set(2 * i, x.at(2 * i) + c);
    x.set(2 * i + 1, x.at(2 * i + 1) + c);
  }
  return data::Dataset(x, labels);
}

std::shared_ptr<Dense> dense(std::size_t in, std::size_t out, const char* act, std::uint64_t seed, double dropout = 0) {
  DenseOptions d;
  d.n_in = in;
  d.n_out = out;
  d.activation = Activation::from_name(act);
  d.seed = seed;
  d.dropout = dropout;
  return std::make_shared<Dense>(d);
}

std::shared_ptr<OutputLayer> head(std::size_t in, std::size_t out, std::uint64_t seed = 5) {
  OutputLayerOptions o(in, out, Loss::MCXENT, Activation::from_name("softmax"));
  o.seed = seed;
  return std::make_shared<OutputLayer>(o);
}

std::vector<std::vector<double>> snapshot(const Module& m) {
  std::vector<std::vector<double>> out;
  for (const auto& p : m.parameters()) out.push_back(p.value().to_vector());
  return out;
}

bool bit_equal(const Module& a, const Module& b) {
  const auto pa = a.parameters(), pb = b.parameters();
  if (pa.size() != pb.size()) return false;
  for (std::size_t i = 0; i < pa.size(); ++i)
    if (pa[i].value().size() != pb[i].value().size() ||
        std::memcmp(pa[i].value().data<float>(), pb[i].value().data<float>(), pa[i].value().size() * 4) != 0)
      return false;
  return true;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(network)

BOOST_AUTO_TEST_CASE(fit_learns_a_separable_problem) {
  const auto train = blobs(200, 1), test = blobs(100, 2);
  Network net({dense(2, 8, "tanh", 1), head(8, 2)});
  net.set_optimizer({{"type", "adam"}, {"learning_rate", 0.05}});
  const double before = net.score(train);
  net.fit(train, {10, 20, true, 7});
  const double after = net.score(train);
  BOOST_TEST(after < 0.2 * before, "score " << before << " -> " << after);
  BOOST_TEST(net.evaluate(test).accuracy() == 1.0);
  BOOST_TEST(net.training_state().epoch == 10u);
  BOOST_TEST(net.training_state().iteration == 100u);
  BOOST_TEST(net.is_training());  // fit and score restore the mode
}

BOOST_AUTO_TEST_CASE(score_is_mean_loss_plus_every_layers_regularization) {
  // Hidden: W = ones [2,3], l2 0.1 -> penalty 0.5 * 0.1 * 6 = 0.3. Output: zero weights -> uniform softmax
  // over 3 classes -> MCXENT log 3 for every example.
  DenseOptions d;
  d.n_in = 2;
  d.n_out = 3;
  d.activation = Activation::from_name("identity");
  d.weight_init = WeightInitConfig::from_name("ONES");
  d.reg.l2 = 0.1;
  OutputLayerOptions o(3, 3, Loss::MCXENT, Activation::from_name("softmax"));
  o.weight_init = WeightInitConfig::from_name("ZERO");
  Network net({std::make_shared<Dense>(d), std::make_shared<OutputLayer>(o)});
  const data::Dataset ds(Tensor::from({4, 2}, {1, 2, -1, 0, 3, 3, 0, 0}), {0, 1, 2, 1});
  BOOST_TEST(net.score(ds) == std::log(3.0) + 0.3, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(net.score(ds, 3) == net.score(ds, 0), boost::test_tools::tolerance(1e-12));  // batching
}

BOOST_AUTO_TEST_CASE(output_is_inference_mode_and_batched) {
  const auto d = blobs(10, 3);
  Network net({dense(2, 4, "relu", 1, 0.5), head(4, 2)});  // dropout is off in inference
  const Tensor all = net.output(d.features(), 0);
  const Tensor batched = net.output(d.features(), 3);
  BOOST_TEST((all.shape() == Shape{10, 2}));
  BOOST_TEST(all.to_vector() == batched.to_vector());
  BOOST_TEST(net.output(d.features()).to_vector() == all.to_vector());  // deterministic: no dropout
  for (std::size_t i = 0; i < 10; ++i)
    BOOST_TEST(all.at(2 * i) + all.at(2 * i + 1) == 1.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(current_tape().size() == 0u);  // nothing recorded
  check_throws_with<ShapeError>(
      [&] {
        net.output(Tensor::zeros({2, 3}));
      },
      {"Network::output: input [2,3], expected [N, 2]"});
}

BOOST_AUTO_TEST_CASE(fit_without_output_layer_is_an_error_naming_pretrain) {
  xgrad::test::TinyAutoEncoder::register_type();
  Network net({std::make_shared<xgrad::test::TinyAutoEncoder>(2, 2, 1)});
  net.set_optimizer("adam");
  check_throws_with<InvalidArgument>(
      [&] {
        net.fit(blobs(4, 1), {1, 2});
      },
      {"Network::fit: the network has no supervised output layer; a "
       "VariationalAutoencoder/AutoEncoder is trained with pretrain(data, epochs)",
       "the last layer is a TinyAutoEncoder"});
  Network no_opt({head(2, 2)});
  check_throws_with<InvalidArgument>([&] { no_opt.fit(blobs(4, 1), {1, 2}); }, {"no optimizer"});
  check_throws_with<ShapeError>(
      [&] {
        no_opt.score(data::Dataset(Tensor::zeros({2, 3}), {0, 1}));
      },
      {"the data has 3 features per example, layer 0 (OutputLayer) expects n_in 2"});
  check_throws_with<ShapeError>(
      [] {
        Network({dense(2, 3, "tanh", 1), head(4, 2)});
      },
      {"layer 1 (OutputLayer, n_in 4) does not fit layer 0 (Dense, n_out 3)"});
}

BOOST_AUTO_TEST_CASE(fit_holds_pretrain_only_parameters_fixed) {
  auto ae = std::make_shared<xgrad::test::TinyAutoEncoder>(2, 3, 4);
  Network net({ae, head(3, 2)});
  net.set_optimizer({{"type", "sgd"}, {"learning_rate", 0.5}});
  const auto D = ae->parameter("D").value().to_vector();
  const auto W = ae->parameter("W").value().to_vector();
  net.fit(blobs(40, 1), {3, 8});
  BOOST_TEST(ae->parameter("D").value().to_vector() == D);  // decoder untouched
  BOOST_TEST(ae->parameter("W").value().to_vector() != W);  // encoder trained through
  BOOST_TEST(ae->parameter("D").requires_grad());           // unfrozen again afterwards
  // A parameter the user froze stays frozen.
  ae->freeze("D");
  net.fit(blobs(40, 1), {1, 8});
  BOOST_TEST(!ae->parameter("D").requires_grad());
}

BOOST_AUTO_TEST_CASE(pretrain_layer_trains_one_layer_with_earlier_layers_in_inference) {
  auto probe = std::make_shared<xgrad::test::ModeProbe>(2);
  auto first = dense(2, 2, "tanh", 2, 0.5);  // dropout would make training-mode outputs random
  auto ae = std::make_shared<xgrad::test::TinyAutoEncoder>(2, 2, 3);
  auto out = head(2, 2);
  Network net({probe, first, ae, out});
  net.set_optimizer({{"type", "adam"}, {"learning_rate", 0.05}});
  const auto d = blobs(64, 1);
  const auto first_before = snapshot(*first), out_before = snapshot(*out), ae_before = snapshot(*ae);
  const double before = net.pretrain_score(2, d);
  net.pretrain_layer(2, d, {20, 16});
  const double after = net.pretrain_score(2, d);
  BOOST_TEST(after < 0.5 * before, "pretrain score " << before << " -> " << after);
  BOOST_TEST(snapshot(*first) == first_before);  // earlier layer unchanged
  BOOST_TEST(snapshot(*out) == out_before);      // later layer unchanged
  BOOST_TEST(snapshot(*ae) != ae_before);
  BOOST_TEST(!probe->training_seen.empty());
  for (std::size_t i = 0; i < probe->training_seen.size(); ++i) {
    BOOST_TEST_REQUIRE(!probe->training_seen[i]);  // inference mode
    BOOST_TEST_REQUIRE(!probe->grad_seen[i]);      // no tape
  }
  BOOST_TEST(first->is_training());  // modes restored
  check_throws_with<InvalidArgument>(
      [&] {
        net.pretrain_layer(1, d, {1, 16});
      },
      {"Network::pretrain_layer: layer 1 (Dense) is not pretrainable"});
  Network plain({head(2, 2)});
  plain.set_optimizer("sgd");
  check_throws_with<InvalidArgument>([&] { plain.pretrain(d, {1, 16}); }, {"no layer is pretrainable"});
}

BOOST_AUTO_TEST_CASE(config_round_trip) {
  xgrad::test::TinyAutoEncoder::register_type();
  Network net({dense(4, 3, "leakyrelu", 1, 0.8), std::make_shared<xgrad::test::TinyAutoEncoder>(3, 2, 0), head(2, 5)});
  net.set_optimizer({{"type", "nesterovs"}, {"learning_rate", 0.02}});
  const auto cfg = net.config();
  BOOST_TEST(cfg["layers"].size() == 3u);
  BOOST_TEST(Network::from_config(cfg)->config() == cfg);
  check_throws_with<InvalidArgument>(
      [] {
        Network::from_config({{"type", "Sequential"}});
      },
      {"Network::from_config: expected {\"type\": \"Network\""});
}

BOOST_AUTO_TEST_CASE(two_fits_equal_one_longer_fit) {
  const auto d = blobs(50, 4);
  FitOptions o{4, 8, true, 11};
  o.binarization = data::Binarization::none;
  Network a({dense(2, 6, "tanh", 1, 0.7), head(6, 2)});
  a.set_optimizer("adam");
  a.fit(d, o);
  Network b({dense(2, 6, "tanh", 1, 0.7), head(6, 2)});
  b.set_optimizer("adam");
  o.epochs = 2;
  b.fit(d, o);
  b.fit(d, o);
  BOOST_TEST(bit_equal(a, b));
}

BOOST_AUTO_TEST_CASE(resume_from_checkpoint_equals_uninterrupted) {
  test::TempDir dir;
  // Features in [0,1] so that dynamic binarisation applies; dropout uses the layers' generators.
  Generator g(8);
  std::vector<int> labels(60);
  for (std::size_t i = 0; i < 60; ++i) labels[i] = static_cast<int>(i % 3);
  const data::Dataset d(g.uniform({60, 5}), labels);
  FitOptions o{6, 7, true, 21};
  o.binarization = data::Binarization::dynamic;
  auto build = [] {
    auto net = std::make_unique<Network>(std::vector<std::shared_ptr<Layer>>{dense(5, 8, "relu", 1, 0.6), head(8, 3)});
    net->set_optimizer({{"type", "adam"}, {"learning_rate", 0.01}});
    return net;
  };
  auto full = build();
  auto ck = std::make_shared<Checkpoint>(dir.file("ck_{epoch}.xgrad"), 2);
  full->add_listener(ck);
  full->fit(d, o);
  BOOST_TEST((ck->saved() ==
              std::vector<std::string>{dir.file("ck_2.xgrad"), dir.file("ck_4.xgrad"), dir.file("ck_6.xgrad")}));
  for (const char* from : {"ck_2.xgrad", "ck_4.xgrad"}) {
    auto resumed = Network::load(dir.file(from));
    const std::size_t done = resumed->training_state().epoch;
    FitOptions rest = o;
    rest.epochs = 6 - done;
    resumed->fit(d, rest);
    BOOST_TEST(bit_equal(*resumed, *full), "resumed from " << from);
    BOOST_TEST(resumed->training_state().iteration == full->training_state().iteration);
  }
  // A restart from scratch with another seed does not coincide (the test can tell runs apart).
  auto other = build();
  o.seed = 22;
  other->fit(d, o);
  BOOST_TEST(!bit_equal(*other, *full));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(network_training_state)

BOOST_AUTO_TEST_CASE(negative_counters_in_a_saved_training_state_are_rejected) {
  // nlohmann's get<std::size_t>() read -1 as 2^64-1: a resumed network would have thought it had finished.
  xgrad::test::check_throws_with<InvalidArgument>(
      [] { TrainingState::from_json({{"epoch", -1}, {"iteration", 0}, {"iterator", nullptr}}); },
      {"training state: epoch", "non-negative integer", "-1"});
  xgrad::test::check_throws_with<InvalidArgument>(
      [] { TrainingState::from_json({{"epoch", 0}, {"iteration", 2.5}, {"iterator", nullptr}}); },
      {"training state: iteration", "2.5"});
  BOOST_TEST(TrainingState::from_json({{"epoch", 3}, {"iteration", 7}, {"iterator", nullptr}}).iteration == 7u);
}

BOOST_AUTO_TEST_SUITE_END()
