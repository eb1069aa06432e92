#pragma once
// Data-parallel training over MPI: every rank holds the whole model and computes the gradient of its shard of each
// global minibatch; GradientSynchronizer sums those gradients over the ranks, so that with per-rank loss
// = (sum of the shard's per-example losses) / (global batch size) every rank ends backward with the gradient of
// the global batch mean, the gradient a one-process run computes (to float rounding: the sums are grouped
// differently).
//
// Gradients travel in buckets: the trainable parameters in reverse registration order (the order backward
// finishes them), cut into buckets of about bucket_bytes (a larger parameter is a bucket of its own; one dtype
// per bucket). A LeafGradientHook sees each parameter's gradient become final during backward; when a bucket's
// last one is final the bucket is packed and its MPI_Iallreduce started, while backward goes on. Buckets start
// strictly in bucket order (the same order on every rank, as MPI requires), and each later hook call progresses
// the started ones (MPI_Test). finish() starts what is left, waits (with the communicator's deadline) and writes
// the sums back into the gradients. A parameter without a gradient on a rank contributes zeros, and after
// finish() every trainable parameter has a gradient (zeros when no rank had one).
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/tape.hpp"
#include "autograd/variable.hpp"
#include "nn/distributed/communicator.hpp"
#include "nn/module.hpp"
#include "nn/optim/optimizer.hpp"

namespace xgrad::nn::distributed {

/// Default bucket size: 4 MiB (PyTorch DDP uses 25 MB; smaller buckets start earlier in a short backward).
inline constexpr std::size_t kDefaultBucketBytes = std::size_t{4} << 20;

struct Bucket {
  std::vector<std::size_t> params;  // indices into the parameter list, in the bucket's (reverse) order
  std::size_t elements = 0;
  DType dtype = DType::float32;
};

/// The buckets for `params` (only those that require a gradient), see the file comment. InvalidArgument when
/// bucket_bytes is 0 or a parameter has more than INT_MAX elements.
std::vector<Bucket> plan_buckets(const std::vector<NamedParameter>& params, std::size_t bucket_bytes);

struct SyncStats {
  std::size_t steps = 0;           // finish() calls
  std::size_t buckets_started_in_backward = 0;
  double finish_wait_seconds = 0;  // time blocked in finish(): the communication not hidden behind backward
  double backward_seconds = 0;     // time in backward() (the loss's backward plus finish())
  std::size_t bytes_per_step = 0;  // gradient bytes each rank sends into the allreduces per step
};

class GradientSynchronizer {
 public:
  /// overlap = false starts every bucket only in finish() (no hook): the baseline that shows how much of the
  /// allreduce the overlap hides.
  GradientSynchronizer(const Communicator& comm, std::vector<NamedParameter> params,
                       std::size_t bucket_bytes = kDefaultBucketBytes, bool overlap = true);
  ~GradientSynchronizer();
  GradientSynchronizer(const GradientSynchronizer&) = delete;
  GradientSynchronizer& operator=(const GradientSynchronizer&) = delete;

  /// loss.backward() with the hook installed, then finish(): afterwards every trainable parameter's gradient is
  /// the sum over the ranks. Call the optimizer's zero_grad() before (a gradient already present is summed too).
  void backward(const Variable& loss);
  /// For a custom backward: begin() installs the hook (until finish()), finish() completes the sums.
  void begin();
  void finish();

  const std::vector<Bucket>& buckets() const { return buckets_; }
  const SyncStats& stats() const { return stats_; }
  void reset_stats() { stats_ = SyncStats{}; }

 private:
  void on_ready(const detail::VariableState* leaf);
  void start(std::size_t bucket);
  void progress();

  const Communicator& comm_;
  std::vector<NamedParameter> params_;
  std::vector<Bucket> buckets_;
  bool overlap_;
  std::unordered_map<const detail::VariableState*, std::size_t> index_;  // state -> parameter index
  std::vector<std::size_t> bucket_of_;                                   // parameter index -> bucket
  std::vector<std::size_t> ready_count_;
  std::vector<char> param_ready_;
  std::vector<Tensor> buffers_;
  std::vector<MPI_Request> requests_;
  std::size_t next_to_start_ = 0;
  std::unique_ptr<LeafGradientHookGuard> hook_;
  SyncStats stats_;
};

/// Root's parameter values into every rank. First checks on every rank that names, shapes and dtypes agree with
/// the root's (DistributedError on every rank naming the first difference otherwise).
void broadcast_parameters(const Communicator& comm, const std::vector<NamedParameter>& params, int root = 0);
/// Root's optimizer state (Optimizer::state(): moments, iteration, epoch) into every rank, checked as above;
/// also the optimizer's config() (type and hyperparameters) must agree.
void broadcast_optimizer_state(const Communicator& comm, Optimizer& optimizer, int root = 0);
/// Collective check that `settings` is equal on every rank; the keys in `ignored` (e.g. the thread count) are
/// left out. DistributedError on every rank naming a rank whose settings differ, the first differing key and
/// both values.
void check_same_settings(const Communicator& comm, const nlohmann::json& settings,
                         const std::vector<std::string>& ignored = {});
/// 64-bit FNV-1a hash of a tensor's bytes (taken 8 at a time).
std::uint64_t tensor_fingerprint(const Tensor& t);
/// 64-bit FNV-1a hash of every parameter's bytes (a fingerprint to compare ranks' models).
std::uint64_t parameter_fingerprint(const std::vector<NamedParameter>& params);
/// Collective: DistributedError on every rank when the ranks' parameter_fingerprint()s differ (`what` names the
/// moment, e.g. "after epoch 3").
void check_parameters_agree(const Communicator& comm, const std::vector<NamedParameter>& params,
                            const std::string& what);

}  // namespace xgrad::nn::distributed
