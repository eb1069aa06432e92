// Tape semantics: accumulation, no-grad, retained tape, detach, stale-tape error, zero_grad.
#include <thread>

#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_close;
using xgrad::test::check_throws_with;

BOOST_AUTO_TEST_SUITE(tape)

BOOST_AUTO_TEST_CASE(scalar_chain_gradient) {
  Variable x = parameter(Tensor::scalar(3.0, DType::float64));
  Variable y = x * x + 2.0 * x;  // dy/dx = 2x + 2 = 8
  y.backward();
  BOOST_TEST(y.item() == 15.0);
  BOOST_TEST(x.grad().item() == 8.0);
}

BOOST_AUTO_TEST_CASE(accumulates_when_used_twice_and_across_backwards) {
  Variable x = parameter(Tensor::scalar(2.0));
  Variable y = x * x * x;  // 3x^2 = 12
  y.backward();
  BOOST_TEST(x.grad().item() == 12.0);
  Variable z = x + x;  // +2
  z.backward();
  BOOST_TEST(x.grad().item() == 14.0);
  x.zero_grad();
  BOOST_TEST(!x.has_grad());
  (x * 5.0).backward();
  BOOST_TEST(x.grad().item() == 5.0);
}

BOOST_AUTO_TEST_CASE(no_grad_records_nothing) {
  Variable x = parameter(Tensor::scalar(2.0));
  const std::size_t before = current_tape().size();
  Variable y;
  {
    NoGradGuard guard;
    y = x * x;
  }
  BOOST_TEST(current_tape().size() == before);
  BOOST_TEST(!y.requires_grad());
  BOOST_TEST(y.is_leaf());
  BOOST_TEST(grad_enabled());
}

BOOST_AUTO_TEST_CASE(constants_are_not_recorded) {
  TapeScope scope;
  Variable a = constant(Tensor::scalar(2.0));
  Variable b = a * a + 1.0;
  BOOST_TEST(scope.tape().size() == 0u);
  BOOST_TEST(b.item() == 5.0);
}

BOOST_AUTO_TEST_CASE(tape_is_cleared_after_backward_and_stale_use_throws) {
  TapeScope scope;
  Variable x = parameter(Tensor::scalar(2.0));
  Variable y = x * x;
  Variable z = y * 3.0;
  BOOST_TEST(scope.tape().size() == 2u);  // two muls; the scalar 3.0 is a constant
  z.backward();
  BOOST_TEST(scope.tape().size() == 0u);
  check_throws_with<GraphError>([&] { (y * 2.0).backward(); }, {"mul", "cleared", "detach"});
  check_throws_with<GraphError>([&] { z.backward(); }, {"cleared", "keep_tape"});
  Variable y2 = y.detach() * 2.0;  // detach makes it usable as a constant
  BOOST_TEST(y2.item() == 8.0);
}

BOOST_AUTO_TEST_CASE(keep_tape_allows_a_second_backward) {
  TapeScope scope;
  Variable x = parameter(Tensor::scalar(3.0));
  Variable y = x * x;
  y.backward(BackwardOptions{true});
  BOOST_TEST(x.grad().item() == 6.0);
  y.backward();
  BOOST_TEST(x.grad().item() == 12.0);  // accumulated, intermediate grads were reset in between
  BOOST_TEST(scope.tape().size() == 0u);
}

BOOST_AUTO_TEST_CASE(detach_cuts_the_graph) {
  Variable x = parameter(Tensor::scalar(3.0));
  Variable d = (x * x).detach();
  BOOST_TEST(d.is_leaf());
  BOOST_TEST(!d.requires_grad());
  Variable y = d * x;  // dy/dx = d = 9 (d is constant)
  y.backward();
  BOOST_TEST(x.grad().item() == 9.0);
}

BOOST_AUTO_TEST_CASE(retain_grad_keeps_intermediate_gradient) {
  Variable x = parameter(Tensor::scalar(3.0));
  Variable h = x * 2.0;
  h.retain_grad();
  Variable y = h * h;  // dy/dh = 2h = 12
  y.backward();
  BOOST_TEST(h.grad().item() == 12.0);
  BOOST_TEST(x.grad().item() == 24.0);
}

// add, sub, add_scalar and broadcast_to hand their output gradient on without a copy (GradientSink::pass_through)
// unless the output retains it: every input still gets the right gradient, and a retained one survives.
BOOST_AUTO_TEST_CASE(pass_through_gradients_move_only_what_nothing_else_needs) {
  Variable x = parameter(Tensor::from({2}, {1.0, 2.0}, DType::float64));
  Variable b = parameter(Tensor::scalar(0.5, DType::float64));
  Variable s = x + x;  // both inputs are x: 2 per element
  s.retain_grad();
  Variable u = s + 1.0;
  u.retain_grad();
  Variable d = u - b;        // broadcast b: its gradient is minus the sum
  Variable t = d * d * 0.5;  // dt/dd = d
  sum(t).backward();
  const std::vector<double> dd = {2 * 1.0 + 1 - 0.5, 2 * 2.0 + 1 - 0.5};
  check_close(u.grad(), dd, 0, "u retained");
  check_close(s.grad(), dd, 0, "s retained");
  check_close(x.grad(), {2 * dd[0], 2 * dd[1]}, 0, "x used twice");
  BOOST_TEST(b.grad().item() == -(dd[0] + dd[1]));
  Variable y = parameter(Tensor::from({2}, {3.0, 4.0}, DType::float64));
  sum(broadcast_to(y, {3, 2}) + 2.0).backward();
  check_close(y.grad(), {3.0, 3.0}, 0, "broadcast_to");
}

BOOST_AUTO_TEST_CASE(backward_on_non_scalar_needs_a_seed) {
  Variable x = parameter(Tensor::from({2}, {1.0, 2.0}));
  Variable y = x * 3.0;
  check_throws_with<GraphError>([&] { y.backward(); }, {"backward", "[2]", "seed"});
  y.backward(Tensor::from({2}, {1.0, 10.0}));
  check_close(x.grad(), {3.0, 30.0}, 0.0, "x.grad");
}

BOOST_AUTO_TEST_CASE(tape_scope_isolates_and_foreign_variables_throw) {
  Variable x = parameter(Tensor::scalar(1.0));
  Variable outer = x * 2.0;
  {
    TapeScope scope;
    check_throws_with<GraphError>([&] { (void)(outer * 2.0); }, {"another", "detach"});
    Variable inner = x * 4.0;
    inner.backward();
    BOOST_TEST(x.grad().item() == 4.0);
  }
  outer.backward();
  BOOST_TEST(x.grad().item() == 6.0);
}

BOOST_AUTO_TEST_CASE(anomaly_mode_names_the_op) {
  AnomalyGuard on(true);
  Variable x = parameter(Tensor::from({2}, {1.0, -1.0}));
  check_throws_with<NumericalError>([&] { (void)log(x); }, {"anomaly", "'log'", "NaN"});
  Variable z = parameter(Tensor::from({2}, {0.0, 1.0}));
  Variable s = sqrt(z);  // finite output, infinite gradient at 0
  check_throws_with<NumericalError>([&] { sum(s).backward(); }, {"anomaly", "backward of op 'sqrt'", "input 0"});
}

BOOST_AUTO_TEST_SUITE_END()
