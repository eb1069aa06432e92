// The DL4J-options VAE is unchanged in bits by the pluggable prior/posterior: float32 VAEs configured with
// DL4J options only (and with the explicit default prior and posterior objects) take three plain SGD steps
// on pretrain_loss; the loss of each step, the gradients of the last step and the final parameters are
// hashed bit by bit and compared with the hashes the same program printed on commit f694dce (before the
// prior/posterior existed). A failure prints the hashes this build computes. f694dce ran every float product on
// skinny loops + OpenBLAS, so the products are forced onto that backend here (oneDNN, issue 18's default for
// wider float blocks, rounds differently; that change of bits is the GEMM backend's, not the composition's).
#include <cstdint>
#include <cstring>
#include <sstream>

#include "autograd/gemm_backend.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/gaussian.hpp"
#include "vae_test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;

namespace {
struct Hashes {
  std::uint64_t loss = 1469598103934665603ull, grad = 1469598103934665603ull, param = 1469598103934665603ull;
};
void mix(std::uint64_t& h, double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) {
    h ^= (bits >> (8 * i)) & 0xffu;
    h *= 1099511628211ull;
  }
}
void mix(std::uint64_t& h, const Tensor& t) {
  for (double v : t.to_vector()) mix(h, v);
}

// Three SGD steps (lr 0.05) on the training score, float32, with the layer's own rng.
Hashes run(nn::VariationalAutoencoder& vae, const Tensor& x) {
  Hashes h;
  for (int step = 0; step < 3; ++step) {
    TapeScope scope;
    vae.zero_grad();
    const Variable loss = vae.pretrain_loss(constant(x));
    loss.backward();
    mix(h.loss, loss.value().at(0));
    for (const auto& p : vae.named_parameters()) {
      if (step == 2) mix(h.grad, p.variable.grad());
      Variable v = p.variable;
      Tensor g = p.variable.grad();
      v.mutable_value().visit([&](auto& a) {
        using T = typename std::decay_t<decltype(a)>::value_type;
        g.visit([&](const auto& ga) {
          for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] -= static_cast<T>(0.05) * static_cast<T>(ga.data()[i]);
        });
      });
    }
  }
  for (const auto& p : vae.named_parameters()) mix(h.param, p.variable.value());
  return h;
}

std::string hex(std::uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

void check(const char* what, const Hashes& h, std::uint64_t loss, std::uint64_t grad, std::uint64_t param) {
  BOOST_TEST_MESSAGE(what << ": loss " << hex(h.loss) << " grad " << hex(h.grad) << " param " << hex(h.param));
  BOOST_TEST(h.loss == loss, what << ": loss hash " << hex(h.loss) << ", f694dce " << hex(loss));
  BOOST_TEST(h.grad == grad, what << ": gradient hash " << hex(h.grad) << ", f694dce " << hex(grad));
  BOOST_TEST(h.param == param, what << ": parameter hash " << hex(h.param) << ", f694dce " << hex(param));
}

nn::VariationalAutoencoderOptions gaussian_default() {
  nn::VariationalAutoencoderOptions o;  // DL4J defaults: gaussian(tanh), sigmoid hidden layers
  o.n_in = 6;
  o.n_out = 3;
  o.encoder_layer_sizes = {5, 4};
  o.decoder_layer_sizes = {4};
  o.seed = 7;
  return o;
}
nn::VariationalAutoencoderOptions bernoulli_two_samples() {
  nn::VariationalAutoencoderOptions o;
  o.n_in = 6;
  o.n_out = 2;
  o.encoder_layer_sizes = {5};
  o.decoder_layer_sizes = {5, 3};
  o.activation = Activation::from_name("tanh");
  o.reconstruction_distribution = std::make_shared<nn::BernoulliDistribution>();
  o.num_samples = 2;
  o.reg.l2 = 0.01;
  o.beta = 0.7;
  o.seed = 11;
  return o;
}
Tensor real_data() {
  Generator g(3);
  return g.uniform(Shape{5, 6}, -1.0, 1.0, DType::float32);
}
Tensor binary_data() {
  Generator g(4);
  return g.bernoulli(Shape{5, 6}, 0.5, DType::float32);
}
}  // namespace

// A named namespace: the fixture is a base of the test cases, and an anonymous one draws -Wsubobject-linkage
// when this file is compiled inside a unity batch.
namespace vae_default_bits_fixture {
struct OpenblasBackend {
  blas::Backend before = blas::backend();
  OpenblasBackend() { blas::set_backend(blas::Backend::openblas); }
  ~OpenblasBackend() { blas::set_backend(before); }
};
}  // namespace vae_default_bits_fixture

BOOST_FIXTURE_TEST_SUITE(vae_default_bits, vae_default_bits_fixture::OpenblasBackend)

BOOST_AUTO_TEST_CASE(dl4j_options_gaussian_same_bits_as_f694dce) {
  nn::VariationalAutoencoder vae(gaussian_default());
  check("gaussian default", run(vae, real_data()), 0xfbcb3fa85e2f80aaull, 0xc47fc53fe608f00dull, 0xcf6ae58839520f71ull);
}

BOOST_AUTO_TEST_CASE(dl4j_options_bernoulli_two_samples_same_bits_as_f694dce) {
  nn::VariationalAutoencoder vae(bernoulli_two_samples());
  check("bernoulli L=2", run(vae, binary_data()), 0xf75e6450de59dbecull, 0xdfec3ab6a1785508ull, 0x52118cf043993a79ull);
}

BOOST_AUTO_TEST_CASE(explicit_default_prior_and_posterior_same_bits_as_f694dce) {
  nn::VariationalAutoencoderOptions o = gaussian_default();
  o.prior = {{"type", "standard_normal"}};
  o.posterior = "diagonal_gaussian";
  nn::VariationalAutoencoder vae(o);
  check("explicit defaults", run(vae, real_data()), 0xfbcb3fa85e2f80aaull, 0xc47fc53fe608f00dull,
        0xcf6ae58839520f71ull);
}

BOOST_AUTO_TEST_SUITE_END()
