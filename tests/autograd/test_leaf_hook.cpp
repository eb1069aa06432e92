// LeafGradientHookGuard: backward reports each leaf once, as soon as its gradient is final (the gradient seen by
// the hook equals the gradient after backward), in reverse order of last use; frozen and unused leaves are not
// reported; guards nest and restore; no hook means no change.
#include <map>
#include <string>
#include <vector>

#include "test_helpers.hpp"

using namespace xgrad;

BOOST_AUTO_TEST_SUITE(leaf_hook)

namespace {
struct Seen {
  std::vector<const detail::VariableState*> order;
  std::map<const detail::VariableState*, std::vector<double>> grad_at_hook;
  LeafGradientHook hook() {
    return [this](const std::shared_ptr<detail::VariableState>& leaf) {
      order.push_back(leaf.get());
      grad_at_hook[leaf.get()] = leaf->grad.defined() ? leaf->grad.to_vector() : std::vector<double>{};
    };
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(reports_each_leaf_once_with_its_final_gradient_in_reverse_order_of_last_use) {
  // Two layers: w1 is used first (and only there), w2 second; b is used in both layers, so its gradient is final
  // only after the first layer's node, i.e. after w2's.
  Variable x = constant(Tensor::from({3, 2}, {1, 2, 3, 4, 5, 6}, DType::float64));
  Variable w1 = parameter(Tensor::from({2, 2}, {0.1, -0.2, 0.3, 0.4}, DType::float64));
  Variable w2 = parameter(Tensor::from({2, 1}, {0.5, -1.0}, DType::float64));
  Variable b = parameter(Tensor::from({1}, {0.25}, DType::float64));
  Variable frozen = constant(Tensor::from({1}, {2.0}, DType::float64));
  Variable unused = parameter(Tensor::from({1}, {7.0}, DType::float64));
  Seen seen;
  {
    LeafGradientHookGuard guard(seen.hook());
    Variable h = tanh(matmul(x, w1) + b);
    Variable y = mean(square(matmul(h, w2) + b * frozen));
    y.backward();
  }
  BOOST_TEST_REQUIRE(seen.order.size() == 3u);  // w1, w2, b; not the constant, not the unused parameter
  BOOST_TEST(seen.order[0] == w2.state().get());
  BOOST_TEST(seen.order[2] == w1.state().get());
  BOOST_TEST(seen.order[1] == b.state().get());
  for (const Variable* v : {&w1, &w2, &b}) {
    const std::vector<double> final_grad = v->grad().to_vector();
    BOOST_TEST(seen.grad_at_hook[v->state().get()] == final_grad, boost::test_tools::per_element());
  }
  BOOST_TEST(!unused.has_grad());
}

BOOST_AUTO_TEST_CASE(counts_only_this_backward_and_accumulates_as_without_hook) {
  Variable w = parameter(Tensor::scalar(2.0, DType::float64));
  (w * w).backward();  // 4, no hook
  int calls = 0;
  double grad_seen = 0;
  {
    LeafGradientHookGuard guard([&](const std::shared_ptr<detail::VariableState>& leaf) {
      ++calls;
      grad_seen = leaf->grad.item();
    });
    (w * w * w).backward();  // + 12
  }
  BOOST_TEST(calls == 1);
  BOOST_TEST(grad_seen == 16.0);
  BOOST_TEST(w.grad().item() == 16.0);
  (w * 3.0).backward();  // no hook any more: nothing is reported
  BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(guards_nest_and_restore_the_previous_hook) {
  std::string log;
  Variable w = parameter(Tensor::scalar(1.0));
  BOOST_TEST(!leaf_gradient_hook());
  {
    LeafGradientHookGuard outer([&](const std::shared_ptr<detail::VariableState>&) { log += "o"; });
    (w * 2.0).backward();
    {
      LeafGradientHookGuard inner([&](const std::shared_ptr<detail::VariableState>&) { log += "i"; });
      (w * 2.0).backward();
    }
    (w * 2.0).backward();
  }
  BOOST_TEST(!leaf_gradient_hook());
  BOOST_TEST(log == "oio");
}

BOOST_AUTO_TEST_CASE(a_leaf_that_is_the_root_and_nodes_off_the_path_are_reported) {
  int calls = 0;
  LeafGradientHookGuard guard([&](const std::shared_ptr<detail::VariableState>&) { ++calls; });
  Variable w = parameter(Tensor::scalar(1.0));
  w.backward();  // the leaf itself: its gradient is the seed
  BOOST_TEST(calls == 1);
  // v feeds a node that does not lead to the root: its gradient is final (none) when that node is passed.
  Variable v = parameter(Tensor::scalar(3.0));
  Variable off_path = v * 2.0;
  Variable y = w * 5.0;
  y.backward();
  BOOST_TEST(calls == 3);  // w again, and v (without a gradient)
  BOOST_TEST(!v.has_grad());
  (void)off_path;
}

BOOST_AUTO_TEST_CASE(a_throwing_hook_propagates_out_of_backward) {
  Variable w = parameter(Tensor::scalar(1.0));
  LeafGradientHookGuard guard([](const std::shared_ptr<detail::VariableState>&) { throw InvalidArgument("hook says no"); });
  xgrad::test::check_throws_with<InvalidArgument>([&] { (w * 2.0).backward(); }, {"hook says no"});
  current_tape().clear();
}

BOOST_AUTO_TEST_SUITE_END()
