// Teaches how to add your own differentiable op: "swish_beta", y = x * sigmoid(beta x), registered with
// define_op (the same API the built-in ops use), with a hand-written backward
//   dy/dx = s + beta x s (1 - s),  s = sigmoid(beta x),
// then checked twice: against the same function composed from built-in ops, and by gradcheck in float64.
// Run: custom_op [--short]   (exits 0 when both checks hold)
#include <cmath>
#include <cstdio>
#include <cstring>

#include "autograd/kernels.hpp"
#include "autograd/xgrad.hpp"

using namespace xgrad;

namespace {
// Registered once, at start-up, by name: it appears in registered_ops().
const Op swish_beta_op = define_op("example.swish_beta", 1, "x sigmoid(beta x), scalar beta");

Variable swish_beta(const Variable& x, double beta) {
  // Forward: kernels::map runs f on 1-D blocks (TBB-parallel for big tensors), for float and double.
  Tensor y = kernels::map(x.value(), [beta](auto&& a) {
    using T = kernels::value_of<decltype(a)>;
    return a / (T(1) + xt::exp(-T(beta) * a));
  });
  // Backward: read the input through the sink (no captured copies); add dL/dx = g * dy/dx.
  // The intermediate s is materialised as a Tensor: an xtensor expression must not outlive the
  // statement that evaluates it.
  return swish_beta_op.record({x}, std::move(y), [beta](const Tensor& g, GradientSink& sink) {
    const Tensor& xv = sink.input_value(0);
    const Tensor s = kernels::map(xv, [beta](auto&& a) {
      using T = kernels::value_of<decltype(a)>;
      return T(1) / (T(1) + xt::exp(-T(beta) * a));
    });
    sink.add(0, kernels::map3(g, xv, s, [beta](auto&& gg, auto&& a, auto&& sv) {
               using T = kernels::value_of<decltype(a)>;
               return gg * (sv + T(beta) * a * sv * (T(1) - sv));
             }));
  });
}
}  // namespace

int main(int argc, char** argv) {
  const bool short_run = argc > 1 && std::strcmp(argv[1], "--short") == 0;
  const double beta = 1.7;
  const std::size_t n = short_run ? 8 : 64;
  Generator gen(7);
  bool ok = true;

  // 1. The fused op agrees with its composition from built-in ops, values and gradients (float32).
  Variable x1 = parameter(gen.normal({n, 4}));
  Variable x2 = parameter(x1.value());
  Variable fused = swish_beta(x1, beta);
  sum(fused).backward();  // backward clears the tape: record the second graph after it
  Variable composed = x2 * sigmoid(x2 * beta);
  sum(composed).backward();
  double dv = 0, dg = 0;
  for (std::size_t i = 0; i < x1.size(); ++i) {
    dv = std::fmax(dv, std::fabs(fused.value().at(i) - composed.value().at(i)));
    dg = std::fmax(dg, std::fabs(x1.grad().at(i) - x2.grad().at(i)));
  }
  std::printf("fused vs composed (float32): max |value diff| %.3g, max |gradient diff| %.3g\n", dv, dg);
  ok &= dv < 1e-5 && dg < 1e-5;

  // 2. gradcheck in float64 (it converts the inputs): central differences vs backward().
  const GradcheckResult r = gradcheck([beta](const std::vector<Variable>& in) { return swish_beta(in[0], beta); },
                                      {gen.normal({n, 4}, 0, 2, DType::float64)});
  std::printf("%s\n", r.message.c_str());
  ok &= r.ok;

  bool listed = false;
  for (const OpSchema& op : registered_ops()) listed = listed || op.name == "example.swish_beta";
  std::printf("registered as 'example.swish_beta': %s\n", listed ? "yes" : "no");
  ok &= listed;
  std::printf("%s\n", ok ? "custom op OK" : "custom op FAILED");
  return ok ? 0 : 1;
}
