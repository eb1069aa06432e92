#pragma once
// Ctrl-C handling for long runs: while an InterruptGuard lives, SIGINT and SIGTERM only set a flag that the
// training loop checks between minibatches (so a checkpoint is never written half-way); a second signal restores
// the default action and terminates at once. SIGTERM counts because mpirun (Open MPI 4.1) turns the Ctrl-C it gets
// into SIGTERM for every rank, and batch schedulers stop jobs with it.
namespace xgrad::trainer {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  /// True once SIGINT or SIGTERM arrived.
  static bool requested();
  /// Sets the flag as SIGINT would (for tests).
  static void request();
};

}  // namespace xgrad::trainer
