#pragma once
// MPI for data-parallel training (xgrad::nn::distributed, library xgrad::distributed, built when CMake finds MPI).
// Communicator: a duplicate of a communicator (MPI_COMM_WORLD by default) with MPI_ERRORS_RETURN, so that every
// MPI failure is a DistributedError naming the operation instead of an abort; every blocking step is a
// non-blocking call polled until a deadline (timeout(), default 60 s): a peer that died, hangs or was stopped
// makes the waiting ranks throw "... did not complete within T s" instead of waiting forever.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <mpi.h>

#include "autograd/tensor.hpp"
#include "nn/distributed/shard.hpp"

namespace xgrad::nn::distributed {

/// A failed or timed-out MPI operation, or ranks that disagree (settings, parameter layout).
class DistributedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// MPI_Init_thread(MPI_THREAD_FUNNELED) for the process's lifetime (only the thread that runs backward calls
/// MPI; TBB's workers never do). Finalizes in the destructor unless abort() was called. One per process.
class Environment {
 public:
  Environment(int* argc, char*** argv);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  /// MPI_Abort(MPI_COMM_WORLD, code): every rank of the job ends (after a fatal error on one rank, so that
  /// no rank waits in MPI_Finalize for a peer that will never arrive). Does not return.
  [[noreturn]] static void abort(int code);
  /// True when this process was started by mpirun/mpiexec (Open MPI's, MPICH's or a PMI launcher's variables).
  static bool launched_by_mpirun();
};

class Communicator {
 public:
  /// Duplicates `comm` (MPI must be initialised) and sets MPI_ERRORS_RETURN on the copy.
  explicit Communicator(MPI_Comm comm = MPI_COMM_WORLD, double timeout_seconds = 60);
  ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  MPI_Comm comm() const { return comm_; }
  double timeout() const { return timeout_; }
  /// InvalidArgument unless seconds > 0.
  void set_timeout(double seconds);

  /// Throws DistributedError "<what>: <MPI's error string>" when rc is not MPI_SUCCESS.
  void check(int rc, const std::string& what) const;
  /// Polls MPI_Test until the request completes or timeout() passes (DistributedError naming `what`, the rank
  /// and the timeout). Between polls the thread yields, then sleeps 0.1 ms, so a waiting rank leaves the cores to
  /// the others.
  void wait(MPI_Request& request, const std::string& what) const;
  /// Progresses (MPI_Test) the request once without waiting; true when complete.
  bool test(MPI_Request& request, const std::string& what) const;

  /// Root's bytes into every rank's `data` (the same byte count on every rank).
  void broadcast(void* data, std::size_t bytes, int root, const std::string& what) const;
  /// Root's string into every rank's (lengths may differ).
  void broadcast(std::string& text, int root, const std::string& what) const;
  /// Root's values into every rank's tensor of the same shape and dtype (the caller checks the layout agrees).
  void broadcast(Tensor& tensor, int root, const std::string& what) const;
  /// In-place elementwise sum over the ranks.
  void allreduce_sum(std::vector<double>& values, const std::string& what) const;
  void barrier(const std::string& what) const;
  /// Collective: every rank passes ok and, when not ok, its reason. Returns when every rank is ok; otherwise
  /// throws DistributedError on every rank: "<what>: rank r: <reason>" for the first failing rank, and the list
  /// of failing ranks.
  void agree(bool ok, const std::string& reason, const std::string& what) const;

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
  double timeout_ = 60;
};

}  // namespace xgrad::nn::distributed
