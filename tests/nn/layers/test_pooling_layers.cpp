// SubsamplingLayer (MAX/AVG/SUM/PNORM, Truncate and Same) and Upsampling2D:
// DL4J defaults, values by hand, float64 gradient checks of the input, config
// round trip, errors.
#include <cmath>

#include "cnn_test_helpers.hpp"
#include "nn/layers/subsampling.hpp"
#include "nn/layers/upsampling.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
const Tensor kImage = Tensor::from({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}, DType::float64);

SubsamplingOptions pool(PoolingType t, Size2 kernel, Size2 stride, ConvolutionMode m = ConvolutionMode::Truncate) {
  SubsamplingOptions o;
  o.input = {1, 3, 3};
  o.pooling_type = t;
  o.window.kernel = kernel;
  o.window.stride = stride;
  o.window.mode = m;
  o.pnorm = 2;
  return o;
}

Tensor run(const SubsamplingOptions& o, const Tensor& x = kImage) {
  SubsamplingLayer l(o);
  const Variable y = l.forward(constant(x));
  BOOST_TEST((Shape(y.shape().begin() + 1, y.shape().end()) == l.output_shape()));
  return y.value();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(subsampling_layer)

BOOST_AUTO_TEST_CASE(dl4j_defaults) {
  SubsamplingOptions o;
  o.input = {2, 6, 5};
  SubsamplingLayer l(o);
  BOOST_TEST(l.type_name() == "SubsamplingLayer");
  BOOST_TEST((o.pooling_type == PoolingType::MAX));
  BOOST_TEST((o.window.kernel == Size2{1, 1}));
  BOOST_TEST((o.window.stride == Size2{2, 2}));
  BOOST_TEST(!o.avg_pool_include_pad_in_divisor);
  BOOST_TEST((l.output_shape() == Shape{2, 3, 3}));
  BOOST_TEST(l.parameters().empty());
}

BOOST_AUTO_TEST_CASE(values_by_hand_truncate) {
  test::check_close((run(pool(PoolingType::MAX, {2, 2}, {1, 1}))), {5, 6, 8, 9}, 0, "max");
  test::check_close((run(pool(PoolingType::AVG, {2, 2}, {1, 1}))), {3, 4, 6, 7}, 1e-15, "avg");
  test::check_close((run(pool(PoolingType::SUM, {2, 2}, {1, 1}))), {12, 16, 24, 28}, 1e-14, "sum");
  test::check_close((run(pool(PoolingType::PNORM, {2, 2}, {1, 1}))),
                    {std::sqrt(1 + 4 + 16 + 25.0), std::sqrt(4 + 9 + 25 + 36.0), std::sqrt(16 + 25 + 49 + 64.0),
                     std::sqrt(25 + 36 + 64 + 81.0)},
                    1e-14, "pnorm 2");
}

BOOST_AUTO_TEST_CASE(values_by_hand_same_mode) {
  // out = ceil(3 / 2) = 2; total padding 1, after: windows {0,1} and {2, pad}
  const auto m = ConvolutionMode::Same;
  test::check_close((run(pool(PoolingType::MAX, {2, 2}, {2, 2}, m))), {5, 6, 8, 9}, 0, "max");
  test::check_close((run(pool(PoolingType::AVG, {2, 2}, {2, 2}, m))), {3, 4.5, 7.5, 9}, 1e-15,
                    "avg excludes padding (DL4J's default)");
  SubsamplingOptions inc = pool(PoolingType::AVG, {2, 2}, {2, 2}, m);
  inc.avg_pool_include_pad_in_divisor = true;
  test::check_close((run(inc)), {3, 9 / 4.0, 15 / 4.0, 9 / 4.0}, 1e-15, "avg includes padding");
  test::check_close((run(pool(PoolingType::SUM, {2, 2}, {2, 2}, m))), {12, 9, 15, 9}, 1e-14, "sum");
}

BOOST_AUTO_TEST_CASE(gradient_checks) {
  const Tensor x = test::random_tensor({2, 3, 6, 5}, 4);
  for (PoolingType t : {PoolingType::MAX, PoolingType::AVG, PoolingType::SUM, PoolingType::PNORM})
    for (ConvolutionMode m : {ConvolutionMode::Truncate, ConvolutionMode::Same}) {
      SubsamplingOptions o = pool(t, {3, 2}, {2, 2}, m);
      o.input = {3, 6, 5};
      o.pnorm = 3;
      BOOST_TEST_CONTEXT(pooling_type_name(t) << " " << convolution_mode_name(m)) {
        SubsamplingLayer l(o);
        test::check_layer_gradients(l, x);
        test::check_config_round_trip(l);
      }
    }
}

BOOST_AUTO_TEST_CASE(bad_options_and_inputs) {
  SubsamplingLayer l(pool(PoolingType::MAX, {2, 2}, {2, 2}));
  test::check_throws_with<ShapeError>(
      [&] {
        l.forward(constant(Tensor::zeros({1, 9}, DType::float64)));
      },
      {"SubsamplingLayer::forward", "[1,9]", "[N, 1, 3, 3]"});
  SubsamplingOptions p = pool(PoolingType::PNORM, {2, 2}, {2, 2});
  p.pnorm = 0;
  test::check_throws_with<InvalidArgument>([&] { SubsamplingLayer{p}; }, {"SubsamplingLayer", "PNORM", "pnorm >= 1"});
  test::check_throws_with<ShapeError>(
      [&] {
        SubsamplingLayer{pool(PoolingType::MAX, {4, 2}, {1, 1})};
      },
      {"SubsamplingLayer", "rows", "kernel_size (4, 2)"});
  test::check_throws_with<InvalidArgument>([] { pooling_type_from_name("median"); },
                                           {"median", "MAX, AVG, SUM, PNORM"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(upsampling_2d)

BOOST_AUTO_TEST_CASE(values_gradients_round_trip_errors) {
  Upsampling2D d({{1, 3, 3}, {1, 1}});
  BOOST_TEST((d.output_shape() == Shape{1, 3, 3}));  // DL4J's default size 1
  Upsampling2D u({{1, 2, 2}, {2, 3}});
  BOOST_TEST((u.output_shape() == Shape{1, 4, 6}));
  const Variable y = u.forward(constant(Tensor::from({1, 1, 2, 2}, {1, 2, 3, 4}, DType::float64)));
  test::check_close(y.value(), {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}, 0,
                    "nearest neighbour");
  Upsampling2D g({{3, 2, 3}, {2, 2}});
  test::check_layer_gradients(g, test::random_tensor({2, 3, 2, 3}, 6));
  test::check_config_round_trip(g);
  test::check_throws_with<InvalidArgument>([] { Upsampling2D({{1, 2, 2}, {0, 2}}); }, {"Upsampling2D", "size (0, 2)"});
  test::check_throws_with<ShapeError>(
      [&] {
        u.forward(constant(Tensor::zeros({1, 2, 2, 2}, DType::float64)));
      },
      {"Upsampling2D::forward", "[1,2,2,2]", "[N, 1, 2, 2]"});
}

BOOST_AUTO_TEST_SUITE_END()
