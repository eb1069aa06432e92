#include "nn/distributed/data_parallel.hpp"

#include <chrono>
#include <climits>
#include <cstring>

#include "autograd/tape.hpp"

namespace xgrad::nn::distributed {
namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
std::size_t dtype_bytes(DType d) { return d == DType::float32 ? 4 : 8; }
MPI_Datatype mpi_type(DType d) { return d == DType::float32 ? MPI_FLOAT : MPI_DOUBLE; }

std::string layout_of(const std::vector<std::pair<std::string, const Tensor*>>& entries) {
  std::string s;
  for (const auto& [name, t] : entries)
    s += name + " " + shape_string(t->shape()) + " " + dtype_name(t->dtype()) + "\n";
  return s;
}

// Collective: the root's layout text must equal this rank's; names the first differing line.
void check_layout(const Communicator& comm, const std::string& mine, int root, const std::string& what) {
  std::string theirs = mine;
  comm.broadcast(theirs, root, what + " (layout)");
  std::string reason;
  if (theirs != mine) {
    std::size_t a = 0, b = 0;
    while (true) {
      const std::size_t ea = mine.find('\n', a), eb = theirs.find('\n', b);
      const std::string la = ea == std::string::npos ? mine.substr(a) : mine.substr(a, ea - a);
      const std::string lb = eb == std::string::npos ? theirs.substr(b) : theirs.substr(b, eb - b);
      if (la != lb) {
        reason = "has '" + (la.empty() ? std::string("(nothing)") : la) + "' where rank " + std::to_string(root) +
                 " has '" + (lb.empty() ? std::string("(nothing)") : lb) + "'";
        break;
      }
      if (ea == std::string::npos || eb == std::string::npos) break;
      a = ea + 1;
      b = eb + 1;
    }
  }
  comm.agree(theirs == mine, reason, what);
}
}  // namespace

std::vector<Bucket> plan_buckets(const std::vector<NamedParameter>& params, std::size_t bucket_bytes) {
  if (bucket_bytes == 0) throw InvalidArgument("distributed::plan_buckets: bucket_bytes must be > 0");
  std::vector<Bucket> out;
  for (std::size_t k = params.size(); k-- > 0;) {
    const Variable& v = params[k].variable;
    if (!v.requires_grad()) continue;
    if (v.size() > static_cast<std::size_t>(INT_MAX))
      throw InvalidArgument("distributed::plan_buckets: parameter '" + params[k].name + "' has " +
                            std::to_string(v.size()) + " elements (at most INT_MAX per allreduce)");
    const std::size_t bytes = v.size() * dtype_bytes(v.dtype());
    const bool fits = !out.empty() && out.back().dtype == v.dtype() &&
                      (out.back().elements * dtype_bytes(v.dtype()) + bytes <= bucket_bytes) &&
                      out.back().elements + v.size() <= static_cast<std::size_t>(INT_MAX);
    if (!fits) {
      out.emplace_back();
      out.back().dtype = v.dtype();
    }
    out.back().params.push_back(k);
    out.back().elements += v.size();
  }
  return out;
}

GradientSynchronizer::GradientSynchronizer(const Communicator& comm, std::vector<NamedParameter> params,
                                           std::size_t bucket_bytes, bool overlap)
    : comm_(comm), params_(std::move(params)), buckets_(plan_buckets(params_, bucket_bytes)), overlap_(overlap) {
  bucket_of_.assign(params_.size(), static_cast<std::size_t>(-1));
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    for (std::size_t k : buckets_[b].params) {
      bucket_of_[k] = b;
      if (!index_.emplace(params_[k].variable.state().get(), k).second)
        throw InvalidArgument("distributed::GradientSynchronizer: parameter '" + params_[k].name +
                              "' appears twice in the parameter list");
    }
    buffers_.push_back(Tensor::empty(Shape{buckets_[b].elements}, buckets_[b].dtype));
    stats_.bytes_per_step += buckets_[b].elements * dtype_bytes(buckets_[b].dtype);
  }
  requests_.assign(buckets_.size(), MPI_REQUEST_NULL);
  ready_count_.assign(buckets_.size(), 0);
  param_ready_.assign(params_.size(), 0);
}

GradientSynchronizer::~GradientSynchronizer() {
  // A request still in flight (an exception between begin() and finish()) cannot be cancelled for collectives;
  // leave it to MPI_Finalize/MPI_Abort rather than freeing a buffer MPI still writes: keep buffers alive by leaking.
  for (const auto& r : requests_)
    if (r != MPI_REQUEST_NULL) {
      new std::vector<Tensor>(std::move(buffers_));
      break;
    }
}

void GradientSynchronizer::begin() {
  for (const auto& r : requests_)
    if (r != MPI_REQUEST_NULL)
      throw GraphError("distributed::GradientSynchronizer::begin: the previous step's finish() was not called");
  std::fill(ready_count_.begin(), ready_count_.end(), 0);
  std::fill(param_ready_.begin(), param_ready_.end(), 0);
  next_to_start_ = 0;
  if (overlap_)
    hook_ = std::make_unique<LeafGradientHookGuard>(
        [this](const std::shared_ptr<detail::VariableState>& leaf) { on_ready(leaf.get()); });
}

void GradientSynchronizer::on_ready(const detail::VariableState* leaf) {
  auto it = index_.find(leaf);
  if (it == index_.end()) return;  // not one of ours (an input that requires a gradient, another model)
  const std::size_t k = it->second;
  if (!param_ready_[k]) {
    param_ready_[k] = 1;
    ++ready_count_[bucket_of_[k]];
  }
  while (next_to_start_ < buckets_.size() &&
         ready_count_[next_to_start_] == buckets_[next_to_start_].params.size()) {
    start(next_to_start_++);
    ++stats_.buckets_started_in_backward;
  }
  progress();
}

void GradientSynchronizer::start(std::size_t b) {
  const Bucket& bucket = buckets_[b];
  Tensor& buffer = buffers_[b];
  buffer.visit([&](auto& a) {
    using T = std::decay_t<decltype(*a.data())>;
    T* dst = a.data();
    for (std::size_t k : bucket.params) {
      const auto& state = *params_[k].variable.state();
      const std::size_t n = state.value.size();
      if (state.grad.defined()) {
        if (state.grad.dtype() != bucket.dtype || state.grad.size() != n)
          throw ShapeError("distributed::GradientSynchronizer: the gradient of '" + params_[k].name + "' is " +
                           shape_string(state.grad.shape()) + " " + dtype_name(state.grad.dtype()) +
                           ", the parameter " + shape_string(state.value.shape()) + " " + dtype_name(bucket.dtype));
        std::memcpy(dst, state.grad.template data<T>(), n * sizeof(T));
      } else {
        std::memset(dst, 0, n * sizeof(T));
      }
      dst += n;
    }
    comm_.check(MPI_Iallreduce(MPI_IN_PLACE, a.data(), static_cast<int>(bucket.elements), mpi_type(bucket.dtype),
                               MPI_SUM, comm_.comm(), &requests_[b]),
                "gradient allreduce of bucket " + std::to_string(b) + " (MPI_Iallreduce)");
  });
}

void GradientSynchronizer::progress() {
  for (std::size_t b = 0; b < next_to_start_; ++b)
    if (requests_[b] != MPI_REQUEST_NULL) comm_.test(requests_[b], "gradient allreduce");
}

void GradientSynchronizer::finish() {
  hook_.reset();
  const auto t0 = Clock::now();
  while (next_to_start_ < buckets_.size()) start(next_to_start_++);
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    if (requests_[b] != MPI_REQUEST_NULL)
      comm_.wait(requests_[b], "gradient allreduce of bucket " + std::to_string(b) + " of " +
                                   std::to_string(buckets_.size()));
    const Bucket& bucket = buckets_[b];
    buffers_[b].visit([&](const auto& a) {
      using T = std::decay_t<decltype(*a.data())>;
      const T* src = a.data();
      for (std::size_t k : bucket.params) {
        auto& state = *params_[k].variable.state();
        const std::size_t n = state.value.size();
        if (!state.grad.defined()) state.grad = Tensor::empty(state.value.shape(), bucket.dtype);
        std::memcpy(state.grad.template data<T>(), src, n * sizeof(T));
        src += n;
      }
    });
  }
  stats_.finish_wait_seconds += since(t0);
  ++stats_.steps;
}

void GradientSynchronizer::backward(const Variable& loss) {
  const auto t0 = Clock::now();
  begin();
  try {
    loss.backward();
  } catch (...) {
    hook_.reset();
    throw;
  }
  finish();
  stats_.backward_seconds += since(t0);
}

void broadcast_parameters(const Communicator& comm, const std::vector<NamedParameter>& params, int root) {
  std::vector<std::pair<std::string, const Tensor*>> entries;
  for (const auto& p : params) entries.emplace_back(p.name, &p.variable.value());
  check_layout(comm, layout_of(entries), root, "broadcast_parameters: the models differ");
  for (const auto& p : params) {
    Variable v = p.variable;
    comm.broadcast(v.mutable_value(), root, "broadcast of parameter '" + p.name + "'");
  }
}

void broadcast_optimizer_state(const Communicator& comm, Optimizer& optimizer, int root) {
  std::string config = optimizer.config().dump();
  const std::string mine = config;
  comm.broadcast(config, root, "broadcast_optimizer_state (config)");
  comm.agree(config == mine, "optimizer " + mine + " where rank " + std::to_string(root) + " has " + config,
             "broadcast_optimizer_state: the optimizers differ");
  auto state = optimizer.state();
  std::vector<std::pair<std::string, const Tensor*>> entries;
  for (const auto& [name, t] : state) entries.emplace_back(name, &t);
  check_layout(comm, layout_of(entries), root, "broadcast_optimizer_state: the optimizer states differ");
  for (auto& [name, t] : state) comm.broadcast(t, root, "broadcast of optimizer state '" + name + "'");
  optimizer.load_state(state);
}

void check_same_settings(const Communicator& comm, const nlohmann::json& settings,
                         const std::vector<std::string>& ignored) {
  nlohmann::json mine = settings;
  if (mine.is_object())
    for (const auto& key : ignored) mine.erase(key);
  std::string root_text = mine.dump();
  comm.broadcast(root_text, 0, "check_same_settings");
  std::string reason;
  bool ok = true;
  try {
    const nlohmann::json root = nlohmann::json::parse(root_text);
    if (root != mine) {
      ok = false;
      reason = "its settings differ from rank 0's";
      if (root.is_object() && mine.is_object()) {
        for (const auto& [key, value] : mine.items())
          if (!root.contains(key) || root[key] != value) {
            reason = "setting '" + key + "' is " + value.dump() + " here but " +
                     (root.contains(key) ? root[key].dump() : std::string("absent")) + " on rank 0";
            break;
          }
        if (ok == false && reason == "its settings differ from rank 0's")
          for (const auto& [key, value] : root.items())
            if (!mine.contains(key)) {
              reason = "setting '" + key + "' is absent here but " + value.dump() + " on rank 0";
              break;
            }
      }
    }
  } catch (const nlohmann::json::exception& e) {
    ok = false;
    reason = std::string("cannot read rank 0's settings: ") + e.what();
  }
  comm.agree(ok, reason, "the ranks were started with different settings");
}

namespace {
std::uint64_t fnv_update(std::uint64_t h, const Tensor& t) {
  t.visit([&](const auto& a) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(a.data());
    const std::size_t n = a.size() * sizeof(*a.data());
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, bytes + i, 8);
      h = (h ^ w) * 1099511628211ull;
    }
    for (; i < n; ++i) h = (h ^ bytes[i]) * 1099511628211ull;
  });
  return h;
}
constexpr std::uint64_t kFnvOffset = 1469598103934665603ull;
}  // namespace

std::uint64_t tensor_fingerprint(const Tensor& t) { return fnv_update(kFnvOffset, t); }

std::uint64_t parameter_fingerprint(const std::vector<NamedParameter>& params) {
  std::uint64_t h = kFnvOffset;
  for (const auto& p : params) h = fnv_update(h, p.variable.value());
  return h;
}

void check_parameters_agree(const Communicator& comm, const std::vector<NamedParameter>& params,
                            const std::string& what) {
  std::uint64_t mine = parameter_fingerprint(params), root = mine;
  comm.broadcast(&root, sizeof root, 0, "check_parameters_agree");
  comm.agree(mine == root, "its parameters differ from rank 0's " + what,
             "the ranks' models diverged " + what);
}

}  // namespace xgrad::nn::distributed
