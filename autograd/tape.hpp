#pragma once
// The tape: a per-thread linear record of differentiable ops in execution order (already a
// topological order). backward() walks it once in reverse; no recursion, no graph teardown.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "autograd/variable.hpp"

namespace xgrad {

class GradientSink;
/// Backward closure of an op: given dL/d(output), add dL/d(input i) into the sink for each input i
/// that needs it. Capture only what the gradient needs (inputs' values, the output, options).
using BackwardFunction = std::function<void(const Tensor& grad_output, GradientSink& sink)>;

struct TapeNode {
  const char* op = nullptr;
  std::vector<std::shared_ptr<detail::VariableState>> inputs;
  std::shared_ptr<detail::VariableState> output;
  BackwardFunction backward;
};

class Tape {
 public:
  Tape();
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  std::size_t size() const { return nodes_.size(); }
  /// Process-unique number of this tape's current recording; a new one after every clear(), so a
  /// variable recorded before a clear, or on another tape, is recognised without touching that tape.
  std::uint64_t generation() const { return generation_; }
  /// Drop every node (and with them the saved values and non-retained gradients).
  void clear();
  const std::vector<TapeNode>& nodes() const { return nodes_; }

  void push(TapeNode node) { nodes_.push_back(std::move(node)); }
  void backward(const std::shared_ptr<detail::VariableState>& root, Tensor seed, BackwardOptions options);

 private:
  std::vector<TapeNode> nodes_;
  std::uint64_t generation_;
};

/// The tape ops record onto in this thread.
Tape& current_tape();
/// False inside a NoGradGuard: ops compute values only.
bool grad_enabled();

/// Called during backward() with each leaf that requires a gradient as soon as that leaf's gradient for
/// this backward is final: right after the last (lowest-index) tape node that has the leaf as an input has
/// run its backward closure (or was skipped for not leading to the root). Each such leaf is reported once
/// per backward, in the order its gradient becomes final; a leaf that no node of the walked part of the
/// tape uses is not reported. The hook runs on the thread calling backward(), between two nodes' closures;
/// it may read (not resize) the leaf's grad. Data-parallel training starts gradient communication from it.
using LeafGradientHook = std::function<void(const std::shared_ptr<detail::VariableState>& leaf)>;

/// Installs `hook` for the backward passes this thread runs within the guard's lifetime; the previous hook
/// (or none) is restored after. An empty std::function means no hook (backward does no extra work).
class LeafGradientHookGuard {
 public:
  explicit LeafGradientHookGuard(LeafGradientHook hook);
  ~LeafGradientHookGuard();
  LeafGradientHookGuard(const LeafGradientHookGuard&) = delete;
  LeafGradientHookGuard& operator=(const LeafGradientHookGuard&) = delete;

 private:
  LeafGradientHook previous_;
};
/// The hook installed on this thread (empty when none).
const LeafGradientHook& leaf_gradient_hook();

/// Within its lifetime ops record nothing (inference, optimizer updates).
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

/// Within its lifetime this thread records onto a fresh tape; the previous tape is restored after.
class TapeScope {
 public:
  TapeScope();
  ~TapeScope();
  TapeScope(const TapeScope&) = delete;
  TapeScope& operator=(const TapeScope&) = delete;
  Tape& tape() { return *tape_; }

 private:
  std::unique_ptr<Tape> tape_;
  Tape* previous_;
};

/// Anomaly mode (process-wide): every op's output and every gradient is checked for NaN/Inf and a
/// NumericalError names the first op that produced one. Off by default (it costs a pass per op).
void set_anomaly_detection(bool enabled);
bool anomaly_detection();

/// RAII switch of anomaly mode.
class AnomalyGuard {
 public:
  explicit AnomalyGuard(bool enabled = true);
  ~AnomalyGuard();
  AnomalyGuard(const AnomalyGuard&) = delete;
  AnomalyGuard& operator=(const AnomalyGuard&) = delete;

 private:
  bool previous_;
};

}  // namespace xgrad
