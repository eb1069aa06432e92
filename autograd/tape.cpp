#include "autograd/tape.hpp"

#include <algorithm>
#include <atomic>
#include <unordered_map>
#include <utility>

#include "autograd/kernels.hpp"
#include "autograd/op.hpp"

namespace xgrad {
namespace {
thread_local Tape t_default_tape;
thread_local Tape* t_current = nullptr;
thread_local bool t_grad_enabled = true;
thread_local LeafGradientHook t_leaf_hook;
std::atomic<bool> g_anomaly{false};
std::atomic<std::uint64_t> g_next_generation{1};
}  // namespace

Tape& current_tape() { return t_current ? *t_current : t_default_tape; }
bool grad_enabled() { return t_grad_enabled; }

Tape::Tape() : generation_(g_next_generation.fetch_add(1)) {}

void Tape::clear() {
  nodes_.clear();
  generation_ = g_next_generation.fetch_add(1);
}

void Tape::backward(const std::shared_ptr<detail::VariableState>& root, Tensor seed, BackwardOptions options) {
  if (root->generation != generation_)
    throw GraphError(std::string("backward: the variable (op '") + root->op +
                     "') was recorded on a tape that has since been cleared by an earlier backward(), or on "
                     "another thread's or scope's tape; pass BackwardOptions{true} (keep_tape) to the first "
                     "backward to run a second one");
  // Gradients of non-leaf variables are transient: start from none, so a kept tape can be replayed.
  for (std::size_t i = 0; i <= root->node; ++i)
    if (!nodes_[i].output->retain_grad) nodes_[i].output->grad = Tensor();
  root->grad = std::move(seed);
  const bool anomaly = anomaly_detection();
  // With a leaf-gradient hook: each leaf's last use is the lowest node index that has it as an input; its
  // gradient is final once that node has been passed. ready[k] = (node index, leaf), highest index first.
  const LeafGradientHook hook = t_leaf_hook;  // a copy: the hook may install another
  std::vector<std::pair<std::size_t, detail::VariableState*>> ready;
  std::size_t next_ready = 0;
  if (hook) {
    std::unordered_map<detail::VariableState*, std::size_t> last_use;
    for (std::size_t i = 0; i <= root->node; ++i)
      for (const auto& in : nodes_[i].inputs)
        if (in->generation == 0 && in->requires_grad) last_use.emplace(in.get(), i);  // keeps the first (lowest)
    ready.reserve(last_use.size());
    for (const auto& [leaf, i] : last_use) ready.emplace_back(i, leaf);
    // Highest node first; ties (leaves last used by one node) in that node's input order.
    std::sort(ready.begin(), ready.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      const auto& ins = nodes_[a.first].inputs;
      auto pos = [&](detail::VariableState* v) {
        return std::find_if(ins.begin(), ins.end(), [&](const auto& p) { return p.get() == v; }) - ins.begin();
      };
      return pos(a.second) < pos(b.second);
    });
  }
  auto fire_ready = [&](std::size_t i) {
    for (; next_ready < ready.size() && ready[next_ready].first == i; ++next_ready) {
      const auto& ins = nodes_[i].inputs;
      auto it = std::find_if(ins.begin(), ins.end(), [&](const auto& p) { return p.get() == ready[next_ready].second; });
      hook(*it);
    }
  };
  for (std::size_t i = root->node + 1; i-- > 0;) {
    TapeNode& node = nodes_[i];
    detail::VariableState& out = *node.output;
    if (!out.grad.defined()) {  // does not lead to the root
      if (hook) fire_ready(i);
      continue;
    }
    GradientSink sink(node);
    node.backward(out.grad, sink);
    if (anomaly) {
      for (std::size_t k = 0; k < node.inputs.size(); ++k) {
        const Tensor& g = node.inputs[k]->grad;
        if (g.defined() && kernels::first_non_finite(g) < g.size())
          throw NumericalError(std::string("anomaly: backward of op '") + node.op +
                               "' produced a NaN/Inf gradient for input " + std::to_string(k) + " (shape " +
                               shape_string(g.shape()) + ")");
      }
    }
    if (!out.retain_grad) out.grad = Tensor();
    if (hook) fire_ready(i);
  }
  if (!options.keep_tape) clear();
}

LeafGradientHookGuard::LeafGradientHookGuard(LeafGradientHook hook) : previous_(std::move(t_leaf_hook)) {
  t_leaf_hook = std::move(hook);
}
LeafGradientHookGuard::~LeafGradientHookGuard() { t_leaf_hook = std::move(previous_); }
const LeafGradientHook& leaf_gradient_hook() { return t_leaf_hook; }

NoGradGuard::NoGradGuard() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = previous_; }

TapeScope::TapeScope() : tape_(std::make_unique<Tape>()), previous_(t_current) { t_current = tape_.get(); }
TapeScope::~TapeScope() { t_current = previous_; }

void set_anomaly_detection(bool enabled) { g_anomaly.store(enabled); }
bool anomaly_detection() { return g_anomaly.load(std::memory_order_relaxed); }

AnomalyGuard::AnomalyGuard(bool enabled) : previous_(anomaly_detection()) { set_anomaly_detection(enabled); }
AnomalyGuard::~AnomalyGuard() { set_anomaly_detection(previous_); }

}  // namespace xgrad
