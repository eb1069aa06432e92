// max_pool2d, avg_pool2d, pnorm_pool2d and upsample2d against direct loops and hand-computed values, 1 vs 2 threads,
// and the errors for bad input. Gradient checks live in test_registry.cpp.
#include <cmath>
#include <functional>

#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_close;
using xgrad::test::check_throws_with;
using xgrad::test::random_tensor;

namespace {

enum class Kind { max, avg, pnorm };

// The pooling definitions (pooling.hpp) written out: every window cell's position, inside x or in the padding.
std::vector<double> pool_reference(const Tensor& x, const Pool2dOptions& o, Kind kind, double p, const Shape& ys) {
  const std::size_t planes = x.shape()[0] * x.shape()[1], H = x.shape()[2], W = x.shape()[3];
  const std::size_t OH = ys[2], OW = ys[3];
  const long padded_h = long(H + 2 * o.padding[0] + o.extra_end_padding[0]);
  const long padded_w = long(W + 2 * o.padding[1] + o.extra_end_padding[1]);
  std::vector<double> y;
  for (std::size_t q = 0; q < planes; ++q)
    for (std::size_t i = 0; i < OH; ++i)
      for (std::size_t j = 0; j < OW; ++j) {
        double best = -INFINITY, sum = 0;
        std::size_t inside = 0, in_padded = 0;
        for (std::size_t u = 0; u < o.kernel[0]; ++u)
          for (std::size_t v = 0; v < o.kernel[1]; ++v) {
            const long r = long(i * o.stride[0] + u * o.dilation[0]) - long(o.padding[0]);
            const long c = long(j * o.stride[1] + v * o.dilation[1]) - long(o.padding[1]);
            if (r + long(o.padding[0]) < padded_h && c + long(o.padding[1]) < padded_w) ++in_padded;
            if (r < 0 || c < 0 || r >= long(H) || c >= long(W)) continue;
            const double a = x.at((q * H + std::size_t(r)) * W + std::size_t(c));
            ++inside;
            best = std::max(best, a);
            sum += kind == Kind::pnorm ? std::pow(std::fabs(a), p) : a;
          }
        if (inside == 0) {
          y.push_back(0);
        } else if (kind == Kind::max) {
          y.push_back(best);
        } else if (kind == Kind::avg) {
          y.push_back(sum / double(o.count_include_pad ? in_padded : inside));
        } else {
          y.push_back(std::pow(sum, 1 / p));
        }
      }
  return y;
}

std::vector<Pool2dOptions> cases() {
  std::vector<Pool2dOptions> c(6);
  c[1].kernel = {3, 3}, c[1].stride = {2, 2}, c[1].padding = {1, 1};
  c[2].kernel = {3, 2}, c[2].stride = {1, 2}, c[2].padding = {1, 0}, c[2].count_include_pad = false;
  c[3].kernel = {2, 2}, c[3].stride = {2, 2}, c[3].extra_end_padding = {1, 1};  // Same mode on odd sizes
  c[4].kernel = {2, 3}, c[4].stride = {1, 1}, c[4].dilation = {3, 2}, c[4].padding = {2, 1};
  c[5] = c[3], c[5].count_include_pad = false;
  return c;
}

Variable run(Kind kind, const Variable& x, double p, const Pool2dOptions& o) {
  return kind == Kind::max ? max_pool2d(x, o) : kind == Kind::avg ? avg_pool2d(x, o) : pnorm_pool2d(x, p, o);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(pooling)

BOOST_AUTO_TEST_CASE(pools_match_the_direct_loops) {
  std::uint64_t seed = 1;
  for (const Shape& xs : {Shape{1, 1, 5, 5}, Shape{3, 2, 7, 6}})
    for (const Pool2dOptions& o : cases())
      for (Kind kind : {Kind::max, Kind::avg, Kind::pnorm})
        for (double p : {1.0, 2.0, 3.5}) {
          if (kind != Kind::pnorm && p != 1.0) continue;
          const Tensor x = random_tensor(xs, ++seed, -2, 2);
          const char* op = kind == Kind::max ? "max_pool2d" : kind == Kind::avg ? "avg_pool2d" : "pnorm_pool2d";
          const Shape ys = pool2d_output_shape(op, xs, o);
          const std::vector<double> expected = pool_reference(x, o, kind, p, ys);
          for (DType dt : {DType::float64, DType::float32}) {
            const Variable y = run(kind, constant(x.to(dt)), p, o);
            BOOST_TEST(shape_string(y.shape()) == shape_string(ys));
            check_close(y.value(), expected, dt == DType::float64 ? 1e-12 : 1e-5,
                        std::string(op) + " " + shape_string(xs) + " kernel " + std::to_string(o.kernel[0]));
          }
        }
}

BOOST_AUTO_TEST_CASE(hand_computed_values_and_gradients) {
  // x = 1..16 in a 4x4 plane
  std::vector<double> v(16);
  for (std::size_t i = 0; i < 16; ++i) v[i] = double(i + 1);
  Variable x = parameter(Tensor::from({1, 1, 4, 4}, v, DType::float64));
  Variable m = max_pool2d(x);
  check_close(m.value(), {6, 8, 14, 16}, 0, "max 2x2");
  m.backward(Tensor::from({1, 1, 2, 2}, {1, 2, 3, 4}, DType::float64));
  check_close(x.grad(), {0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4}, 0, "max gradient to the arg-max");
  check_close(avg_pool2d(x).value(), {3.5, 5.5, 11.5, 13.5}, 1e-15, "avg 2x2");
  // ones [2,2], kernel 2, stride 1, padding 1: corners see 1 cell of 4
  const Variable ones = constant(Tensor::full({1, 1, 2, 2}, 1.0, DType::float64));
  Pool2dOptions o;
  o.stride = {1, 1}, o.padding = {1, 1};
  check_close(avg_pool2d(ones, o).value(), {0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25}, 1e-15, "include pad");
  o.count_include_pad = false;
  check_close(avg_pool2d(ones, o).value(), std::vector<double>(9, 1.0), 1e-15, "exclude pad");
  // pnorm p = 2 of [3, 4] in one window: 5; gradient x / y
  Variable z = parameter(Tensor::from({1, 1, 1, 2}, {3, -4}, DType::float64));
  Pool2dOptions row;
  row.kernel = {1, 2}, row.stride = {1, 2};
  Variable pn = pnorm_pool2d(z, 2, row);
  check_close(pn.value(), {5}, 1e-14, "pnorm");
  pn.backward();
  check_close(z.grad(), {0.6, -0.8}, 1e-14, "pnorm gradient");
}

BOOST_AUTO_TEST_CASE(upsample2d_repeats_and_sums_back) {
  Variable x = parameter(Tensor::from({1, 1, 2, 2}, {1, 2, 3, 4}, DType::float64));
  Variable y = upsample2d(x, {2, 3});
  BOOST_TEST(shape_string(y.shape()) == "[1,1,4,6]");
  check_close(y.value(), {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}, 0, "upsample");
  std::vector<double> g(24);
  for (std::size_t i = 0; i < 24; ++i) g[i] = double(i);
  y.backward(Tensor::from({1, 1, 4, 6}, g, DType::float64));
  // block sums: rows {0,1} x cols {0,1,2} = 0+1+2+6+7+8 = 24, ...
  check_close(x.grad(), {24, 42, 96, 114}, 0, "upsample gradient");
}

BOOST_AUTO_TEST_CASE(bit_identical_for_1_and_2_threads) {
  xgrad::test::ThreadCount restore;
  const Tensor x = random_tensor({100, 32, 14, 14}, 9).to(DType::float32);
  Pool2dOptions o;
  o.kernel = {3, 3}, o.padding = {1, 1};
  auto go = [&](int threads) {
    set_num_threads(threads);
    Variable v = parameter(x);
    Variable y = sum(max_pool2d(v, o)) + sum(avg_pool2d(v)) + sum(pnorm_pool2d(v, 2, o)) + sum(upsample2d(v, {2, 2}));
    y.backward();
    return std::vector<std::vector<double>>{{y.item()}, v.grad().to_vector()};
  };
  BOOST_TEST((go(1) == go(2)));
}

BOOST_AUTO_TEST_CASE(bad_input_names_the_op_the_argument_and_the_shapes) {
  const Variable x = constant(Tensor::zeros({1, 2, 4, 4}));
  check_throws_with<ShapeError>(
      [] {
        max_pool2d(constant(Tensor::zeros({2, 4, 4})));
      },
      {"max_pool2d", "x must be 4-D", "[2,4,4]"});
  Pool2dOptions o;
  o.kernel = {5, 2};
  check_throws_with<ShapeError>([&] { avg_pool2d(x, o); },
                                {"avg_pool2d", "[1,2,4,4]", "kernel along the rows", "larger than the padded input"});
  o = {};
  o.stride = {0, 2};
  check_throws_with<InvalidArgument>([&] { max_pool2d(x, o); }, {"max_pool2d", "stride along the rows is 0"});
  o = {};
  o.kernel = {0, 2};
  check_throws_with<InvalidArgument>([&] { max_pool2d(x, o); }, {"max_pool2d", "kernel along the rows is 0"});
  o = {};
  o.dilation = {1, 0};
  check_throws_with<InvalidArgument>([&] { max_pool2d(x, o); }, {"max_pool2d", "dilation along the columns is 0"});
  o = {};
  o.padding = {2, 0};
  check_throws_with<InvalidArgument>([&] { max_pool2d(x, o); }, {"max_pool2d", "padding 2", "wholly in the padding"});
  check_throws_with<InvalidArgument>([&] { pnorm_pool2d(x, 0.5); }, {"pnorm_pool2d", "p must be >= 1", "[1,2,4,4]"});
  check_throws_with<InvalidArgument>([&] { upsample2d(x, {0, 2}); }, {"upsample2d", "scale [0,2]", "[1,2,4,4]"});
  check_throws_with<ShapeError>(
      [] {
        upsample2d(constant(Tensor::zeros({4, 4})), {2, 2});
      },
      {"upsample2d", "x must be 4-D", "[4,4]"});
}

BOOST_AUTO_TEST_SUITE_END()
