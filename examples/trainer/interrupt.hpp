#pragma once
// Ctrl-C handling for long runs: while an InterruptGuard lives, SIGINT only sets a flag that the
// training loop checks between minibatches (so a checkpoint is never written half-way); a second
// SIGINT restores the default action and terminates at once.
namespace xgrad::trainer {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  /// True once SIGINT arrived.
  static bool requested();
  /// Sets the flag as SIGINT would (for tests).
  static void request();
};

}  // namespace xgrad::trainer
