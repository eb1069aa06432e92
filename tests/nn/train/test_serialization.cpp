// Model files: bit-exact round trip (parameters, optimizer state, config, extra), rejection of
// corrupted / truncated / foreign / mismatched files, atomic saves, and .npy parameter export.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "nn/data/file_io.hpp"
#include "nn/data/npy.hpp"
#include "temp_dir.hpp"
#include "nn/layers/dense.hpp"
#include "nn/train/network.hpp"
#include "nn/train/serialization.hpp"
#include "test_helpers.hpp"
#include "tiny_layers.hpp"

using namespace xgrad;
using namespace xgrad::nn;
using xgrad::test::check_throws_with;

namespace {
std::unique_ptr<Network> small_net(std::size_t hidden = 5, std::uint64_t seed = 1) {
  auto net = std::make_unique<Network>();
  DenseOptions d;
  d.n_in = 4;
  d.n_out = hidden;
  d.activation = Activation::from_name("tanh");
  d.seed = seed;
  net->add(std::make_shared<Dense>(d));
  net->add(
      std::make_shared<OutputLayer>(OutputLayerOptions(hidden, 3, Loss::MCXENT, Activation::from_name("softmax"))));
  net->set_optimizer({{"type", "adam"}, {"learning_rate", 0.01}});
  return net;
}

data::Dataset small_data() {
  Generator g(3);
  std::vector<int> labels;
  for (int i = 0; i < 24; ++i) labels.push_back(i % 3);
  return data::Dataset(g.uniform({24, 4}), labels);
}

void expect_bit_equal(const Tensor& a, const Tensor& b, const std::string& what) {
  BOOST_TEST_REQUIRE((a.shape() == b.shape()), what);
  BOOST_TEST_REQUIRE((a.dtype() == b.dtype()), what);
  const std::size_t bytes = a.size() * (a.dtype() == DType::float32 ? 4 : 8);
  const void* pa = a.dtype() == DType::float32 ? static_cast<const void*>(a.data<float>()) : a.data<double>();
  const void* pb = b.dtype() == DType::float32 ? static_cast<const void*>(b.data<float>()) : b.data<double>();
  BOOST_TEST(std::memcmp(pa, pb, bytes) == 0, what << " differs");
}

nn::data::Bytes file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(serialization)

BOOST_AUTO_TEST_CASE(round_trip_is_bit_exact) {
  test::TempDir dir;
  auto net = small_net();
  net->fit(small_data(), {2, 8});  // non-zero Adam moments and counters
  const nlohmann::json extra{{"note", "hello"}, {"scale", 1.0 / 3.0}};
  save_model(dir.file("m.xgrad"), *net, net->config(), net->optimizer(), extra);
  const LoadedModel m = load_model(dir.file("m.xgrad"));
  BOOST_TEST(m.format_version == kModelFormatVersion);
  BOOST_TEST(m.config == net->config());
  BOOST_TEST(m.extra == extra);
  BOOST_TEST(m.optimizer_config == net->optimizer()->config());
  const auto params = net->named_parameters();
  BOOST_TEST_REQUIRE(m.parameters.size() == params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    BOOST_TEST(m.parameters[i].first == params[i].name);
    expect_bit_equal(m.parameters[i].second, params[i].variable.value(), params[i].name);
  }
  const auto state = net->optimizer()->state();
  BOOST_TEST_REQUIRE(m.optimizer_state.size() == state.size());
  for (std::size_t i = 0; i < state.size(); ++i)
    expect_bit_equal(m.optimizer_state[i].second, state[i].second, state[i].first);

  // The same through Network::save / load, including the output.
  net->save(dir.file("n.xgrad"), {{"k", 1}});
  auto back = Network::load(dir.file("n.xgrad"));
  BOOST_TEST(back->extra() == (nlohmann::json{{"k", 1}}));
  BOOST_TEST(back->training_state().epoch == 2u);
  BOOST_TEST(back->training_state().iteration == 6u);
  const Tensor x = small_data().features();
  expect_bit_equal(back->output(x), net->output(x), "output");
  const auto s2 = back->optimizer()->state();
  for (std::size_t i = 0; i < state.size(); ++i) expect_bit_equal(s2[i].second, state[i].second, state[i].first);
}

BOOST_AUTO_TEST_CASE(float64_layer_without_optimizer) {
  // A single pretrainable layer (as a VAE is saved): config + parameters, no optimizer.
  test::TempDir dir;
  xgrad::test::TinyAutoEncoder::register_type();
  xgrad::test::TinyAutoEncoder layer(3, 2, 9);
  layer.to(DType::float64);
  save_model(dir.file("l.xgrad"), layer, layer.config());
  const LoadedModel m = load_model(dir.file("l.xgrad"));
  BOOST_TEST(m.optimizer_config.is_null());
  BOOST_TEST(m.extra.is_null());
  auto rebuilt = layer_from_config(m.config);
  rebuilt->to(DType::float64);
  load_parameters_into(*rebuilt, m);
  expect_bit_equal(rebuilt->parameter("D").value(), layer.parameter("D").value(), "D");
  BOOST_TEST((m.parameter("W").dtype() == DType::float64));
  check_throws_with<DataError>([&] { m.parameter("Q"); }, {"no parameter 'Q' (stored: W, b, D)"});
  check_throws_with<DataError>([&] { restore_optimizer(m, layer.named_parameters()); }, {"holds no optimizer"});
}

BOOST_AUTO_TEST_CASE(flipped_byte_is_rejected_by_the_checksum) {
  test::TempDir dir;
  auto net = small_net();
  net->save(dir.file("m.xgrad"));
  auto bytes = file_bytes(dir.file("m.xgrad"));
  for (std::size_t at : {std::size_t(40), bytes.size() / 2, bytes.size() - 1}) {
    auto bad = bytes;
    bad[at] ^= 0x01;
    nn::data::write_file(dir.file("bad.xgrad"), bad);
    check_throws_with<DataError>([&] { load_model(dir.file("bad.xgrad")); },
                                 {"load_model: " + dir.file("bad.xgrad") + ": corrupted: checksum mismatch"});
  }
}

BOOST_AUTO_TEST_CASE(truncated_and_foreign_files_are_rejected) {
  test::TempDir dir;
  auto net = small_net();
  net->save(dir.file("m.xgrad"));
  const auto bytes = file_bytes(dir.file("m.xgrad"));
  nn::data::write_file(dir.file("cut.xgrad"), {bytes.begin(), bytes.end() - 100});
  check_throws_with<DataError>([&] { Network::load(dir.file("cut.xgrad")); },
                               {"cut.xgrad: truncated: the header declares", "the file has"});
  nn::data::write_file(dir.file("tiny.xgrad"), {bytes.begin(), bytes.begin() + 10});
  check_throws_with<DataError>([&] { load_model(dir.file("tiny.xgrad")); }, {"truncated: the file has 10 bytes"});
  auto longer = bytes;
  longer.push_back(0);
  nn::data::write_file(dir.file("long.xgrad"), longer);
  check_throws_with<DataError>([&] { load_model(dir.file("long.xgrad")); },
                               {"1 unexpected bytes after the declared payload"});
  nn::data::write_file(dir.file("foreign"), nn::data::Bytes(64, 'x'));
  check_throws_with<DataError>([&] { load_model(dir.file("foreign")); }, {"byte 0: not an xgrad model file"});
  auto future = bytes;
  future[8] = 9;
  nn::data::write_file(dir.file("future.xgrad"), future);
  check_throws_with<DataError>([&] { load_model(dir.file("future.xgrad")); }, {"byte 8: format version 9"});
  check_throws_with<DataError>([&] { load_model(dir.file("absent.xgrad")); }, {"absent.xgrad: cannot open"});
}

BOOST_AUTO_TEST_CASE(mismatched_model_is_rejected_by_name_and_shape) {
  test::TempDir dir;
  auto net = small_net(5);
  net->save(dir.file("m.xgrad"));
  const LoadedModel m = load_model(dir.file("m.xgrad"));
  auto other = small_net(6);
  const Tensor before = other->parameter("0.W").value();
  check_throws_with<DataError>([&] { load_parameters_into(*other, m); },
                               {"do not match the model", "wrong shape: 0.W (file [4,5], model [4,6])",
                                "0.b (file [5], model [6])", "1.W (file [5,3], model [6,3])"});
  expect_bit_equal(other->parameter("0.W").value(), before, "unchanged after a failed load");
  xgrad::test::TinyAutoEncoder::register_type();
  xgrad::test::TinyAutoEncoder ae(4, 5, 1);
  check_throws_with<DataError>([&] { load_parameters_into(ae, m); },
                               {"missing from the file: W [4,5], b [5], D [5,4]", "not in the model: 0.W [4,5]"});
}

BOOST_AUTO_TEST_CASE(failed_save_keeps_the_previous_file) {
  test::TempDir dir;
  auto net = small_net();
  const std::string path = dir.file("m.xgrad");
  net->save(path);
  const auto before = file_bytes(path);
  net->fit(small_data(), {1, 8});                    // the model changes
  std::filesystem::create_directory(path + ".tmp");  // the temporary file cannot be created
  check_throws_with<DataError>([&] { net->save(path); },
                               {"cannot create temporary file " + path + ".tmp", path + " is unchanged"});
  BOOST_TEST((file_bytes(path) == before));
  BOOST_TEST(Network::load(path)->training_state().epoch == 0u);
  std::filesystem::remove(path + ".tmp");
  net->save(path);  // works again, and leaves no temporary behind
  BOOST_TEST(!std::filesystem::exists(path + ".tmp"));
  BOOST_TEST(Network::load(path)->training_state().epoch == 1u);
}

BOOST_AUTO_TEST_CASE(npy_export_and_import_by_name) {
  test::TempDir dir;
  auto net = small_net();
  export_parameters_npy(*net, dir.file("params"));
  for (const auto& name : {"0.W", "0.b", "1.W", "1.b"})
    BOOST_TEST(std::filesystem::exists(dir.file("params") + "/" + name + ".npy"));
  const Tensor w = net->parameter("1.W").value();
  auto other = small_net(5, 77);
  BOOST_TEST(other->parameter("0.W").value().to_vector() != net->parameter("0.W").value().to_vector());
  import_parameters_npy(*other, dir.file("params"));
  for (const auto& p : net->named_parameters())
    expect_bit_equal(other->parameter(p.name).value(), p.variable.value(), p.name);
  nn::data::write_npy(dir.file("params") + "/1.W.npy", Tensor::zeros({2, 2}));
  check_throws_with<DataError>([&] { import_parameters_npy(*other, dir.file("params")); },
                               {"1.W.npy holds [2,2], parameter '1.W' is [5,3]"});
  std::filesystem::remove(dir.file("params") + "/1.b.npy");
  check_throws_with<DataError>([&] { import_parameters_npy(*other, dir.file("params")); }, {"1.W.npy holds"});
  nn::data::write_npy(dir.file("params") + "/1.W.npy", w);
  check_throws_with<DataError>([&] { import_parameters_npy(*other, dir.file("params")); },
                               {"1.b.npy not found (parameter '1.b' [3])"});
}

BOOST_AUTO_TEST_SUITE_END()
