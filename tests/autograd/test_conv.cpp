// conv2d and conv_transpose2d against direct loops (every stride, padding, dilation, groups, output_padding and
// Same-mode extra padding case below, float64 and float32), bit-identical results for 1 and 2 threads at the conv
// VAE's shapes, output shapes, and the errors for bad input. Gradient checks live in test_registry.cpp.
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_throws_with;
using xgrad::test::random_tensor;

namespace {

long signed_index(std::size_t i, std::size_t s, std::size_t u, std::size_t d, std::size_t p) {
  return static_cast<long>(i * s + u * d) - static_cast<long>(p);
}

// y[n,k,i,j] = b[k] + sum_{c,u,v} w[k,c,u,v] x[n, g*Cg + c, i*s + u*d - p, j*s + v*d - p] by the definition.
std::vector<double> conv_reference(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dOptions& o,
                                   const Shape& ys) {
  const std::size_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
  const std::size_t K = w.shape()[0], Cg = w.shape()[1], kh = w.shape()[2], kw = w.shape()[3];
  const std::size_t OH = ys[2], OW = ys[3], Kg = K / o.groups;
  std::vector<double> y(N * K * OH * OW);
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t i = 0; i < OH; ++i)
        for (std::size_t j = 0; j < OW; ++j) {
          double acc = b.defined() ? b.at(k) : 0.0;
          for (std::size_t c = 0; c < Cg; ++c)
            for (std::size_t u = 0; u < kh; ++u)
              for (std::size_t v = 0; v < kw; ++v) {
                const long r = signed_index(i, o.stride[0], u, o.dilation[0], o.padding[0]);
                const long q = signed_index(j, o.stride[1], v, o.dilation[1], o.padding[1]);
                if (r < 0 || q < 0 || r >= long(H) || q >= long(W)) continue;
                const std::size_t ch = (k / Kg) * Cg + c;
                acc += w.at(((k * Cg + c) * kh + u) * kw + v) * x.at(((n * C + ch) * H + r) * W + q);
              }
          y[((n * K + k) * OH + i) * OW + j] = acc;
        }
  return y;
}

// y[n, g*Kg + k, i*s + u*d - p, j*s + v*d - p] += x[n,c,i,j] w[c,k,u,v] (c in group g), plus b: the scatter form.
std::vector<double> transpose_reference(const Tensor& x, const Tensor& w, const Tensor& b,
                                        const ConvTranspose2dOptions& o, const Shape& ys) {
  const std::size_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
  const std::size_t Kg = w.shape()[1], kh = w.shape()[2], kw = w.shape()[3];
  const std::size_t K = ys[1], OH = ys[2], OW = ys[3], Cg = C / o.groups;
  std::vector<double> y(N * K * OH * OW, 0.0);
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t p = 0; p < OH * OW; ++p) y[(n * K + k) * OH * OW + p] = b.defined() ? b.at(k) : 0.0;
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t i = 0; i < H; ++i)
        for (std::size_t j = 0; j < W; ++j)
          for (std::size_t k = 0; k < Kg; ++k)
            for (std::size_t u = 0; u < kh; ++u)
              for (std::size_t v = 0; v < kw; ++v) {
                const long r = signed_index(i, o.stride[0], u, o.dilation[0], o.padding[0]);
                const long q = signed_index(j, o.stride[1], v, o.dilation[1], o.padding[1]);
                if (r < 0 || q < 0 || r >= long(OH) || q >= long(OW)) continue;
                const std::size_t out_ch = (c / Cg) * Kg + k;
                y[((n * K + out_ch) * OH + r) * OW + q] +=
                    x.at(((n * C + c) * H + i) * W + j) * w.at(((c * Kg + k) * kh + u) * kw + v);
              }
  return y;
}

struct ConvCase {
  Shape x, w;
  Conv2dOptions o;
  bool bias;
};

std::vector<ConvCase> conv_cases() {
  std::vector<ConvCase> cases;
  cases.push_back({{1, 1, 5, 5}, {1, 1, 3, 3}, {}, false});
  cases.push_back({{3, 2, 7, 6}, {4, 2, 3, 2}, {{2, 1}, {1, 0}, {0, 0}, {1, 1}, 1}, true});
  cases.push_back({{2, 3, 9, 8}, {2, 3, 3, 3}, {{1, 2}, {2, 1}, {0, 0}, {2, 3}, 1}, true});
  cases.push_back({{3, 4, 6, 7}, {6, 2, 2, 3}, {{1, 1}, {1, 1}, {0, 0}, {1, 1}, 2}, true});
  cases.push_back({{2, 4, 5, 5}, {4, 1, 3, 3}, {{2, 2}, {1, 1}, {0, 0}, {1, 1}, 4}, false});    // depthwise
  cases.push_back({{1, 2, 5, 6}, {3, 2, 2, 2}, {{2, 2}, {0, 0}, {1, 1}, {1, 1}, 1}, true});     // Same: extra end
  cases.push_back({{3, 1, 28, 28}, {32, 1, 4, 4}, {{2, 2}, {1, 1}, {0, 0}, {1, 1}, 1}, true});  // the VAE's first
  return cases;
}

struct TransposeCase {
  Shape x, w;
  ConvTranspose2dOptions o;
  bool bias;
};

std::vector<TransposeCase> transpose_cases() {
  std::vector<TransposeCase> cases;
  ConvTranspose2dOptions o;
  cases.push_back({{1, 1, 3, 3}, {1, 1, 3, 3}, o, false});
  o = {};
  o.stride = {2, 1}, o.padding = {1, 0}, o.output_padding = {1, 0};
  cases.push_back({{3, 2, 4, 5}, {2, 3, 3, 2}, o, true});
  o = {};
  o.stride = {2, 2}, o.padding = {1, 2}, o.dilation = {2, 3}, o.output_padding = {1, 2};
  cases.push_back({{2, 3, 5, 4}, {3, 2, 3, 3}, o, true});
  o = {};
  o.groups = 2, o.stride = {1, 2}, o.padding = {1, 1};
  cases.push_back({{3, 4, 5, 4}, {4, 3, 2, 3}, o, true});
  o = {};
  o.stride = {2, 2}, o.extra_end_padding = {1, 0};
  cases.push_back({{1, 2, 3, 4}, {2, 2, 3, 2}, o, false});
  o = {};
  o.stride = {2, 2}, o.padding = {1, 1};
  cases.push_back({{3, 32, 14, 14}, {32, 1, 4, 4}, o, true});  // the VAE's last layer
  return cases;
}

std::string describe(const Shape& x, const Shape& w) {
  return "x " + shape_string(x) + " w " + shape_string(w);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(conv)

BOOST_AUTO_TEST_CASE(conv2d_matches_the_direct_loops) {
  std::uint64_t seed = 1;
  for (const ConvCase& c : conv_cases()) {
    const Tensor x = random_tensor(c.x, ++seed), w = random_tensor(c.w, ++seed);
    const Tensor b = c.bias ? random_tensor({c.w[0]}, ++seed) : Tensor();
    const Shape ys = conv2d_output_shape(c.x, c.w, c.o);
    const std::vector<double> expected = conv_reference(x, w, b, c.o, ys);
    for (DType dt : {DType::float64, DType::float32}) {
      const Variable y = conv2d(constant(x.to(dt)), constant(w.to(dt)), c.bias ? constant(b.to(dt)) : Variable(), c.o);
      BOOST_TEST(shape_string(y.shape()) == shape_string(ys));
      BOOST_TEST((y.dtype() == dt));
      xgrad::test::check_close(y.value(), expected, dt == DType::float64 ? 1e-12 : 2e-5,
                               "conv2d " + describe(c.x, c.w) + " " + dtype_name(dt));
    }
  }
}

// The gradients are conv_transpose2d and the weight product: checked against the direct loops through the adjoint
// identity <conv2d(x, w), g> = <x, dx> = <w, dw> (conv2d is linear in each of x and w).
BOOST_AUTO_TEST_CASE(conv2d_gradients_satisfy_the_adjoint_identity) {
  std::uint64_t seed = 50;
  for (const ConvCase& c : conv_cases()) {
    const Tensor x = random_tensor(c.x, ++seed), w = random_tensor(c.w, ++seed);
    const Shape ys = conv2d_output_shape(c.x, c.w, c.o);
    const Tensor g = random_tensor(ys, ++seed);
    Variable xv = parameter(x), wv = parameter(w), bv = parameter(random_tensor({c.w[0]}, ++seed));
    conv2d(xv, wv, bv, c.o).backward(g);
    const std::vector<double> y = conv_reference(x, w, Tensor(), c.o, ys);
    double yg = 0, xdx = 0, wdw = 0, gsum = 0;
    for (std::size_t i = 0; i < y.size(); ++i) yg += y[i] * g.at(i), gsum += g.at(i);
    for (std::size_t i = 0; i < x.size(); ++i) xdx += x.at(i) * xv.grad().at(i);
    for (std::size_t i = 0; i < w.size(); ++i) wdw += w.at(i) * wv.grad().at(i);
    double bsum = 0;
    for (std::size_t i = 0; i < c.w[0]; ++i) bsum += bv.grad().at(i);
    BOOST_TEST(xdx == yg, boost::test_tools::tolerance(1e-10));
    BOOST_TEST(wdw == yg, boost::test_tools::tolerance(1e-10));
    BOOST_TEST(bsum == gsum, boost::test_tools::tolerance(1e-10));
  }
}

BOOST_AUTO_TEST_CASE(conv_transpose2d_matches_the_direct_loops) {
  std::uint64_t seed = 100;
  for (const TransposeCase& c : transpose_cases()) {
    const Tensor x = random_tensor(c.x, ++seed), w = random_tensor(c.w, ++seed);
    const Shape ys = conv_transpose2d_output_shape(c.x, c.w, c.o);
    const Tensor b = c.bias ? random_tensor({ys[1]}, ++seed) : Tensor();
    const std::vector<double> expected = transpose_reference(x, w, b, c.o, ys);
    for (DType dt : {DType::float64, DType::float32}) {
      const Variable y =
          conv_transpose2d(constant(x.to(dt)), constant(w.to(dt)), c.bias ? constant(b.to(dt)) : Variable(), c.o);
      BOOST_TEST(shape_string(y.shape()) == shape_string(ys));
      xgrad::test::check_close(y.value(), expected, dt == DType::float64 ? 1e-12 : 2e-5,
                               "conv_transpose2d " + describe(c.x, c.w) + " " + dtype_name(dt));
    }
  }
}

// conv_transpose2d is conv2d's adjoint in x: <conv2d(z, w), x> = <z, conv_transpose2d(x, w)> for z of its output
// shape, with the same stride, padding, dilation and groups.
BOOST_AUTO_TEST_CASE(conv_transpose2d_is_the_adjoint_of_conv2d) {
  std::uint64_t seed = 200;
  for (const TransposeCase& c : transpose_cases()) {
    const Shape ys = conv_transpose2d_output_shape(c.x, c.w, c.o);
    if (c.o.output_padding[0] >= c.o.stride[0] || c.o.output_padding[1] >= c.o.stride[1]) continue;
    const Conv2dOptions co{c.o.stride, c.o.padding, c.o.extra_end_padding, c.o.dilation, c.o.groups};
    const Tensor x = random_tensor(c.x, ++seed), w = random_tensor(c.w, ++seed), z = random_tensor(ys, ++seed);
    const Variable t = conv_transpose2d(constant(x), constant(w), Variable(), c.o);
    const Variable y = conv2d(constant(z), constant(w), Variable(), co);
    BOOST_TEST_REQUIRE(shape_string(y.shape()) == shape_string(c.x));
    double lhs = 0, rhs = 0;
    for (std::size_t i = 0; i < x.size(); ++i) lhs += y.value().at(i) * x.at(i);
    for (std::size_t i = 0; i < z.size(); ++i) rhs += z.at(i) * t.value().at(i);
    BOOST_TEST(lhs == rhs, boost::test_tools::tolerance(1e-10));
  }
}

BOOST_AUTO_TEST_CASE(output_shapes_follow_the_formulas) {
  // floor((H + 2p + e - d(k-1) - 1)/s) + 1
  BOOST_TEST(shape_string(conv2d_output_shape({100, 1, 28, 28}, {32, 1, 4, 4}, {{2, 2}, {1, 1}})) == "[100,32,14,14]");
  BOOST_TEST(shape_string(conv2d_output_shape({100, 32, 14, 14}, {64, 32, 4, 4}, {{2, 2}, {1, 1}})) == "[100,64,7,7]");
  BOOST_TEST(shape_string(conv2d_output_shape({1, 3, 10, 11}, {2, 3, 3, 3}, {{3, 2}, {0, 1}, {1, 0}, {2, 1}})) ==
             "[1,2,3,6]");
  // (H-1)s - 2p - e + d(k-1) + output_padding + 1
  ConvTranspose2dOptions o;
  o.stride = {2, 2}, o.padding = {1, 1};
  BOOST_TEST(shape_string(conv_transpose2d_output_shape({100, 64, 7, 7}, {64, 32, 4, 4}, o)) == "[100,32,14,14]");
  BOOST_TEST(shape_string(conv_transpose2d_output_shape({100, 32, 14, 14}, {32, 1, 4, 4}, o)) == "[100,1,28,28]");
  o.output_padding = {1, 0}, o.dilation = {2, 1}, o.extra_end_padding = {0, 1}, o.groups = 2;
  BOOST_TEST(shape_string(conv_transpose2d_output_shape({1, 4, 5, 5}, {4, 3, 3, 3}, o)) == "[1,6,12,8]");
}

// The VAE's four convolutions at batch 100 (several chunks and weight-gradient runs): forward and every gradient
// bit-identical for 1 and 2 threads, float32.
BOOST_AUTO_TEST_CASE(bit_identical_for_1_and_2_threads) {
  xgrad::test::ThreadCount restore;
  Generator gen(7);
  const Tensor x1 = gen.normal({100, 1, 28, 28}), w1 = gen.normal({32, 1, 4, 4}), w2 = gen.normal({64, 32, 4, 4});
  const Tensor b1 = gen.normal({32}), b2 = gen.normal({64}), b3 = gen.normal({32}), b4 = gen.normal({1});
  const Tensor w3 = gen.normal({64, 32, 4, 4}), w4 = gen.normal({32, 1, 4, 4});
  auto run = [&](int threads) {
    set_num_threads(threads);
    std::vector<Variable> p = {parameter(x1), parameter(w1), parameter(b1), parameter(w2), parameter(b2),
                               parameter(w3), parameter(b3), parameter(w4), parameter(b4)};
    const Conv2dOptions co{{2, 2}, {1, 1}};
    ConvTranspose2dOptions to;
    to.stride = {2, 2}, to.padding = {1, 1};
    const Variable h1 = conv2d(p[0], p[1], p[2], co), h2 = conv2d(h1, p[3], p[4], co);
    const Variable h3 = conv_transpose2d(h2, p[5], p[6], to), h4 = conv_transpose2d(h3, p[7], p[8], to);
    std::vector<std::vector<double>> out = {h1.value().to_vector(), h2.value().to_vector(), h3.value().to_vector(),
                                            h4.value().to_vector()};
    sum(h4 * h4).backward();
    for (const Variable& v : p) out.push_back(v.grad().to_vector());
    return out;
  };
  const auto one = run(1), two = run(2);
  BOOST_TEST_REQUIRE(one.size() == two.size());
  for (std::size_t i = 0; i < one.size(); ++i) BOOST_TEST(one[i] == two[i], "result " << i << " differs");
}

BOOST_AUTO_TEST_CASE(bad_input_names_the_op_the_argument_and_the_shapes) {
  const auto v = [](const Shape& s) { return constant(Tensor::zeros(s)); };
  check_throws_with<ShapeError>(
      [&] {
        conv2d(v({1, 3, 5}), v({2, 3, 3, 3}), Variable());
      },
      {"conv2d", "x must be 4-D", "[1,3,5]"});
  check_throws_with<ShapeError>(
      [&] {
        conv2d(v({1, 3, 5, 5}), v({2, 3, 3}), Variable());
      },
      {"conv2d", "w must be 4-D", "[2,3,3]"});
  check_throws_with<ShapeError>(
      [&] {
        conv2d(v({1, 3, 5, 5}), v({2, 4, 3, 3}), Variable());
      },
      {"conv2d", "channel mismatch", "[1,3,5,5]", "[2,4,3,3]"});
  check_throws_with<ShapeError>(
      [&] {
        conv2d(v({1, 3, 5, 5}), v({2, 3, 6, 3}), Variable());
      },
      {"conv2d", "kernel along the rows", "larger than the padded input", "[2,3,6,3]"});
  check_throws_with<ShapeError>(
      [&] {
        conv2d(v({1, 3, 5, 5}), v({2, 3, 3, 3}), Variable(), {{1, 1}, {0, 0}, {0, 0}, {3, 1}});
      },
      {"conv2d", "dilation 3", "extent 7", "output size would be below 1"});
  check_throws_with<InvalidArgument>(
      [&] {
        conv2d(v({1, 3, 5, 5}), v({2, 3, 3, 3}), Variable(), {{1, 0}});
      },
      {"conv2d", "stride along the columns is 0", "[1,3,5,5]"});
  check_throws_with<InvalidArgument>(
      [&] {
        conv2d(v({1, 3, 5, 5}), v({2, 3, 3, 3}), Variable(), {{1, 1}, {0, 0}, {0, 0}, {0, 1}});
      },
      {"conv2d", "dilation along the rows is 0"});
  check_throws_with<InvalidArgument>(
      [&] {
        conv2d(v({1, 4, 5, 5}), v({3, 2, 3, 3}), Variable(), {{1, 1}, {0, 0}, {0, 0}, {1, 1}, 2});
      },
      {"conv2d", "groups 2 does not divide", "output channels 3", "[1,4,5,5]"});
  check_throws_with<ShapeError>(
      [&] {
        conv2d(v({1, 3, 5, 5}), v({2, 3, 3, 3}), v({3}));
      },
      {"conv2d", "bias b [3] must be [2]"});
  check_throws_with<InvalidArgument>(
      [&] {
        conv2d(v({1, 3, 5, 5}), constant(Tensor::zeros({2, 3, 3, 3}, DType::float64)), Variable());
      },
      {"conv2d"});
  check_throws_with<ShapeError>(
      [&] {
        conv_transpose2d(v({1, 3, 5, 5}), v({2, 3, 3, 3}), Variable());
      },
      {"conv_transpose2d", "channel mismatch", "[1,3,5,5]", "[2,3,3,3]"});
  check_throws_with<ShapeError>(
      [&] {
        conv_transpose2d(v({3, 5, 5}), v({3, 3, 3, 3}), Variable());
      },
      {"conv_transpose2d", "x must be 4-D", "[3,5,5]"});
  ConvTranspose2dOptions o;
  o.padding = {2, 0};
  check_throws_with<ShapeError>(
      [&] {
        conv_transpose2d(v({1, 3, 1, 5}), v({3, 2, 3, 3}), Variable(), o);
      },
      {"conv_transpose2d", "output size along the rows would be below 1", "[1,3,1,5]"});
  o = {};
  o.stride = {2, 2}, o.output_padding = {0, 2};
  check_throws_with<InvalidArgument>(
      [&] {
        conv_transpose2d(v({1, 3, 4, 5}), v({3, 2, 3, 3}), Variable(), o);
      },
      {"conv_transpose2d", "output_padding along the columns is 2", "below max(stride, dilation) = 2"});
  o = {};
  o.groups = 2;
  check_throws_with<InvalidArgument>(
      [&] {
        conv_transpose2d(v({1, 3, 4, 5}), v({3, 2, 3, 3}), Variable(), o);
      },
      {"conv_transpose2d", "groups 2 does not divide the input channels 3"});
  o = {};
  o.stride = {0, 1};
  check_throws_with<InvalidArgument>(
      [&] {
        conv_transpose2d(v({1, 3, 4, 5}), v({3, 2, 3, 3}), Variable(), o);
      },
      {"conv_transpose2d", "stride along the rows is 0"});
}

BOOST_AUTO_TEST_SUITE_END()
