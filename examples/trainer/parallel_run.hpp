#pragma once
// The trainer's ranks: one process, or N processes started by mpirun (built with MPI, main() initialised it).
// Rank 0 alone reads the checkpoint and writes every file; every rank trains on its rows of each global batch
// (nn::distributed::shard_rows) and the gradients are summed by nn::distributed::GradientSynchronizer. Without
// MPI, or with one rank, every call here is the one-process behaviour (no communication).
// Environment: XGRAD_MPI_TIMEOUT (seconds any rank waits for the others, default 60), XGRAD_BUCKET_MB (gradient
// bucket size in MiB, default 4).
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/variable.hpp"
#include "nn/module.hpp"
#include "nn/optim/optimizer.hpp"

namespace xgrad::trainer {

class ParallelRun {
 public:
  /// The ranks of MPI_COMM_WORLD when MPI is initialised (built with MPI and started by mpirun), else one.
  ParallelRun();
  ~ParallelRun();
  ParallelRun(const ParallelRun&) = delete;
  ParallelRun& operator=(const ParallelRun&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }
  bool distributed() const { return size_ > 1; }

  /// Every rank: the settings (without threads/progress) and the training data's fingerprint must agree;
  /// nn::distributed::DistributedError on every rank naming the first difference otherwise.
  void check_same(const nlohmann::json& settings, const Tensor& train_features) const;
  /// Runs f on rank 0 only; if it throws, rank 0 rethrows it and the other ranks throw DistributedError quoting it.
  void on_root(const std::string& what, const std::function<void()>& f) const;
  /// Rank 0's JSON into every rank.
  void broadcast(nlohmann::json& j, const std::string& what) const;
  /// Rank 0's parameters and optimizer state into every rank; then makes the gradient synchroniser.
  void start_training(const std::vector<nn::NamedParameter>& params, nn::Optimizer& optimizer);
  /// loss.backward() and the sum of the gradients over the ranks (an undefined loss: this rank's shard is empty).
  void backward(const Variable& loss);
  /// Elementwise sum over the ranks.
  void sum(std::vector<double>& values) const;
  /// Collective: true on every rank when `flag` is true on any (one rank: flag). The ranks agree on a stop.
  bool any(bool flag) const;
  /// DistributedError on every rank when the ranks' parameters differ.
  void check_parameters_agree(const std::vector<nn::NamedParameter>& params, const std::string& what) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace xgrad::trainer
