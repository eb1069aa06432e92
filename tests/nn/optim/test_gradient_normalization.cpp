// Gradient normalisation: every DL4J variant (and global clipping) on hand-picked gradients, the optimizer
// applying it without modifying the stored gradients, names and JSON.
#include <cmath>

#include "nn/optim/gradient_normalization.hpp"
#include "nn/optim/optimizers.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
// layer "0": W = (3, 4) (norm 5), b = (0, 12) (norm 12): layer norm 13; layer "1": W = (1, 0); all: sqrt(170)
struct Grads {
  Tensor w0 = Tensor::from({2}, {3, 4}, DType::float64);
  Tensor b0 = Tensor::from({2}, {0, 12}, DType::float64);
  Tensor w1 = Tensor::from({2}, {1, 0}, DType::float64);
  std::vector<std::string> names{"0.W", "0.b", "1.W"};
  std::vector<Tensor*> ptrs() { return {&w0, &b0, &w1}; }
};

Grads apply(GradientNormalization::Kind kind, double threshold = 1.0) {
  Grads g;
  apply_gradient_normalization({kind, threshold}, g.names, g.ptrs());
  return g;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(gradient_normalization)

BOOST_AUTO_TEST_CASE(none_leaves_gradients) {
  Grads g = apply(GradientNormalization::None);
  test::check_close(g.b0, {0, 12}, 0, "b0");
}

BOOST_AUTO_TEST_CASE(renormalize_per_layer_and_per_param) {
  Grads l = apply(GradientNormalization::RenormalizeL2PerLayer);
  test::check_close(l.w0, {3.0 / 13, 4.0 / 13}, 1e-15, "layer 0 W");
  test::check_close(l.b0, {0, 12.0 / 13}, 1e-15, "layer 0 b");
  test::check_close(l.w1, {1, 0}, 1e-15, "layer 1 W");
  Grads p = apply(GradientNormalization::RenormalizeL2PerParamType);
  test::check_close(p.w0, {0.6, 0.8}, 1e-15, "W per param");
  test::check_close(p.b0, {0, 1}, 1e-15, "b per param");
}

BOOST_AUTO_TEST_CASE(clip_elementwise) {
  Grads g = apply(GradientNormalization::ClipElementWiseAbsoluteValue, 3.5);
  test::check_close(g.w0, {3, 3.5}, 0, "W");
  test::check_close(g.b0, {0, 3.5}, 0, "b");
}

BOOST_AUTO_TEST_CASE(clip_l2_per_layer_per_param_and_global) {
  Grads l = apply(GradientNormalization::ClipL2PerLayer, 6.5);  // layer 0 norm 13 -> halved; layer 1 untouched
  test::check_close(l.w0, {1.5, 2}, 1e-15, "layer W");
  test::check_close(l.b0, {0, 6}, 1e-15, "layer b");
  test::check_close(l.w1, {1, 0}, 0, "layer 1");
  Grads p = apply(GradientNormalization::ClipL2PerParamType, 6);  // W norm 5 stays, b norm 12 halves
  test::check_close(p.w0, {3, 4}, 0, "param W");
  test::check_close(p.b0, {0, 6}, 1e-15, "param b");
  Grads a = apply(GradientNormalization::ClipL2Global, 1);  // all scaled by 1 / sqrt(170)
  const double s = 1 / std::sqrt(170.0);
  test::check_close(a.w0, {3 * s, 4 * s}, 1e-15, "global W");
  test::check_close(a.w1, {s, 0}, 1e-15, "global w1");
}

BOOST_AUTO_TEST_CASE(optimizer_applies_it_without_touching_the_gradients) {
  // Sgd lr 1 with per-layer clipping at 6.5: w -= g / 2 for layer "0"
  Variable W = parameter(Tensor::zeros({2}, DType::float64));
  Variable b = parameter(Tensor::zeros({2}, DType::float64));
  Sgd opt({{"0.W", W}, {"0.b", b}}, SgdOptions{1.0});
  opt.set_gradient_normalization({GradientNormalization::ClipL2PerLayer, 6.5});
  sum(W * constant(Tensor::from({2}, {3, 4}, DType::float64)) +
      b * constant(Tensor::from({2}, {0, 12}, DType::float64)))
      .backward();
  opt.step();
  test::check_close(W.value(), {-1.5, -2}, 1e-15, "W");
  test::check_close(b.value(), {0, -6}, 1e-15, "b");
  test::check_close(W.grad(), {3, 4}, 0, "stored gradient unchanged");
  // element-wise clipping inside the update
  opt.set_gradient_normalization({GradientNormalization::ClipElementWiseAbsoluteValue, 1.0});
  opt.step();
  test::check_close(W.value(), {-2.5, -3}, 1e-15, "W clipped");
}

BOOST_AUTO_TEST_CASE(names_and_json) {
  for (int k = GradientNormalization::None; k <= GradientNormalization::ClipL2Global; ++k) {
    const GradientNormalization gn{static_cast<GradientNormalization::Kind>(k), 2.0};
    BOOST_TEST((GradientNormalization::from_json(gn.to_json()) == gn));
  }
  BOOST_TEST((GradientNormalization::kind_from_name("clipl2perlayer") == GradientNormalization::ClipL2PerLayer));
  test::check_throws_with<InvalidArgument>([] { GradientNormalization::kind_from_name("ClipNorm"); },
                                           {"unknown kind 'ClipNorm'", "ClipL2PerParamType"});
  test::check_throws_with<InvalidArgument>(
      [] {
        GradientNormalization::from_json({{"kind", "ClipL2PerLayer"}, {"threshold", 0}});
      },
      {"threshold must be > 0"});
}

BOOST_AUTO_TEST_SUITE_END()
