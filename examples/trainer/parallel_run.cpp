#include "trainer/parallel_run.hpp"

#include <cstdlib>

#ifdef XGRAD_HAVE_MPI
#include "nn/distributed/data_parallel.hpp"
#endif

namespace xgrad::trainer {

#ifdef XGRAD_HAVE_MPI
namespace dist = nn::distributed;
namespace {
double env_number(const char* name, double fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const double x = std::strtod(v, &end);
  if (*end != '\0' || !(x > 0))
    throw InvalidArgument(std::string("environment variable ") + name + "='" + v + "' is not a number > 0");
  return x;
}
}  // namespace

struct ParallelRun::Impl {
  std::unique_ptr<dist::Communicator> comm;
  std::unique_ptr<dist::GradientSynchronizer> sync;
};

ParallelRun::ParallelRun() : impl_(std::make_unique<Impl>()) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) return;
  impl_->comm = std::make_unique<dist::Communicator>(MPI_COMM_WORLD, env_number("XGRAD_MPI_TIMEOUT", 60));
  rank_ = impl_->comm->rank();
  size_ = impl_->comm->size();
}

void ParallelRun::check_same(const nlohmann::json& settings, const Tensor& train_features) const {
  if (!distributed()) return;
  dist::check_same_settings(*impl_->comm, settings, {"threads", "progress"});
  const std::uint64_t mine = dist::tensor_fingerprint(train_features);
  std::uint64_t root = mine;
  impl_->comm->broadcast(&root, sizeof root, 0, "training data fingerprint");
  impl_->comm->agree(mine == root, "its training data differ from rank 0's (another --data-dir or dataset version)",
                     "the ranks read different training data");
}

void ParallelRun::on_root(const std::string& what, const std::function<void()>& f) const {
  if (!distributed()) return f();
  std::exception_ptr error;
  std::string message;
  if (is_root()) {
    try {
      f();
    } catch (const std::exception& e) {
      error = std::current_exception();
      message = e.what();
    }
  }
  try {
    impl_->comm->agree(!error, message, what);
  } catch (const dist::DistributedError&) {
    if (error) std::rethrow_exception(error);
    throw;
  }
}

void ParallelRun::broadcast(nlohmann::json& j, const std::string& what) const {
  if (!distributed()) return;
  std::string text = is_root() ? j.dump() : std::string();
  impl_->comm->broadcast(text, 0, what);
  if (!is_root()) j = nlohmann::json::parse(text);
}

void ParallelRun::start_training(const std::vector<nn::NamedParameter>& params, nn::Optimizer& optimizer) {
  if (!distributed()) return;
  dist::broadcast_parameters(*impl_->comm, params);
  dist::broadcast_optimizer_state(*impl_->comm, optimizer);
  const double mb = env_number("XGRAD_BUCKET_MB", 4);
  impl_->sync =
      std::make_unique<dist::GradientSynchronizer>(*impl_->comm, params, static_cast<std::size_t>(mb * 1024 * 1024));
}

void ParallelRun::backward(const Variable& loss) {
  if (!distributed()) return loss.backward();
  if (loss.defined()) {
    impl_->sync->backward(loss);
  } else {
    impl_->sync->begin();
    impl_->sync->finish();
  }
}

void ParallelRun::sum(std::vector<double>& values) const {
  if (distributed()) impl_->comm->allreduce_sum(values, "sum of the training metrics");
}

bool ParallelRun::any(bool flag) const {
  if (!distributed()) return flag;
  std::vector<double> count{flag ? 1.0 : 0.0};
  impl_->comm->allreduce_sum(count, "agreement on a stop (SIGINT/SIGTERM)");
  return count[0] > 0;
}

void ParallelRun::check_parameters_agree(const std::vector<nn::NamedParameter>& params, const std::string& what) const {
  if (distributed()) dist::check_parameters_agree(*impl_->comm, params, what);
}

#else  // one process

struct ParallelRun::Impl {};
ParallelRun::ParallelRun() = default;
void ParallelRun::check_same(const nlohmann::json&, const Tensor&) const {}
void ParallelRun::on_root(const std::string&, const std::function<void()>& f) const {
  f();
}
void ParallelRun::broadcast(nlohmann::json&, const std::string&) const {}
void ParallelRun::start_training(const std::vector<nn::NamedParameter>&, nn::Optimizer&) {}
void ParallelRun::backward(const Variable& loss) {
  loss.backward();
}
void ParallelRun::sum(std::vector<double>&) const {}
bool ParallelRun::any(bool flag) const {
  return flag;
}
void ParallelRun::check_parameters_agree(const std::vector<nn::NamedParameter>&, const std::string&) const {}

#endif

ParallelRun::~ParallelRun() = default;

}  // namespace xgrad::trainer
