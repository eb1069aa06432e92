// Data-parallel VAE training step over MPI (issue 17): the models of vae_step (vae_models.hpp), float32 Adam,
// a global batch cut into the ranks' shards (nn::distributed::shard_rows), per-rank loss = shard mean x
// shard/global (so the summed gradient is the global batch mean's), gradients summed by GradientSynchronizer.
// Run under mpirun (bench/mpi_run.sh); on 1 rank the step is plain backward (no MPI calls), the baseline.
// Prints one key=value line per (config, batch, overlap), from rank 0:
//   mpi_step config=kw batch=100 ranks=2 threads=1 overlap=1 bucket_kb=4096 buckets=1 buckets_in_backward=...
//            grad_bytes=... steps_per_s=... step_ms=... backward_ms=... finish_wait_ms=... allreduce_alone_ms=...
//            allreduce_alone_min_ms=... steps=... reps=...
// step_ms: median over --reps of the slowest rank's mean step time (steps_per_s = 1000 / step_ms);
// buckets_in_backward: buckets per step started from the gradient hook (the last of them when backward's last
// gradient is final); backward_ms, finish_wait_ms: rank 0's mean time in GradientSynchronizer::backward / blocked
// in finish() (the allreduce not hidden behind backward, plus waiting for a slower rank); allreduce_alone_ms: the
// same buckets' MPI_Iallreduce + wait with no backward running (barrier before each, median and minimum over
// steps). With both overlaps measured, a line
//   mpi_step_hidden config=kw batch=100 ranks=2 bucket_kb=4096 hidden=... wait_on_ms=... wait_off_ms=...
// gives hidden = 1 - wait(overlap on) / wait(overlap off), the fraction of the allreduce hidden behind backward
// (negative when the overlapped run waited longer: ranks drifting out of step on shared cores).
//   mpi_step [--config kw,dl4j] [--batch 100,256] [--threads 1] [--overlap 1,0] [--bucket-kb 4096]
//            [--steps 30] [--reps 3] [--warmup 10]
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "autograd/xgrad.hpp"
#include "bench_cli.hpp"
#include "nn/distributed/communicator.hpp"
#include "nn/distributed/data_parallel.hpp"
#include "nn/distributed/shard.hpp"
#include "nn/layers/vae.hpp"
#include "nn/optim/optimizers.hpp"
#include "vae_models.hpp"

using namespace xgrad;
namespace dist = xgrad::nn::distributed;

namespace {

struct Args {
  std::vector<std::string> configs{"kw", "dl4j"};
  std::vector<std::size_t> batches{100, 256};
  int threads = 1;
  std::vector<int> overlaps{1, 0};
  std::size_t bucket_kb = dist::kDefaultBucketBytes / 1024;
  int steps = 30;
  int reps = 3;
  int warmup = 10;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&] { return bench::option_value(argc, argv, i, "mpi_step"); };
    if (k == "--config") {
      a.configs = bench::split_list(next());
    } else if (k == "--batch") {
      a.batches.clear();
      for (auto& s : bench::split_list(next())) a.batches.push_back(std::stoul(s));
    } else if (k == "--threads") {
      a.threads = std::stoi(next());
    } else if (k == "--overlap") {
      a.overlaps.clear();
      for (auto& s : bench::split_list(next())) a.overlaps.push_back(std::stoi(s));
    } else if (k == "--bucket-kb") {
      a.bucket_kb = std::stoul(next());
    } else if (k == "--steps") {
      a.steps = std::stoi(next());
    } else if (k == "--reps") {
      a.reps = std::stoi(next());
    } else if (k == "--warmup") {
      a.warmup = std::stoi(next());
    } else {
      throw InvalidArgument("mpi_step: unknown option " + k);
    }
  }
  if (a.steps < 1 || a.reps < 1 || a.warmup < 0 || a.bucket_kb == 0)
    throw InvalidArgument("mpi_step: --steps, --reps and --bucket-kb must be >= 1, --warmup >= 0");
  return a;
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double max_over_ranks(const dist::Communicator& comm, double v) {
  double out = v;
  comm.check(MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, comm.comm()), "max over the ranks (MPI_Allreduce)");
  return out;
}

// The allreduce of the synchroniser's buckets with nothing else running: per step, a barrier, every bucket's
// MPI_Iallreduce started, each waited as finish() waits (Communicator::wait: polls, yields, sleeps). Median and
// minimum seconds over `steps` (the minimum: a step in which both ranks had a core).
std::pair<double, double> allreduce_alone(const dist::Communicator& comm, const std::vector<dist::Bucket>& buckets,
                                          int steps) {
  std::vector<std::vector<float>> buffers;
  for (const auto& b : buckets) buffers.emplace_back(b.elements, 1.0f);
  std::vector<MPI_Request> requests(buckets.size(), MPI_REQUEST_NULL);
  std::vector<double> times;
  for (int s = 0; s < steps; ++s) {
    comm.barrier("allreduce_alone barrier");
    const double t0 = now_s();
    for (std::size_t b = 0; b < buckets.size(); ++b)
      comm.check(MPI_Iallreduce(MPI_IN_PLACE, buffers[b].data(), static_cast<int>(buckets[b].elements), MPI_FLOAT,
                                MPI_SUM, comm.comm(), &requests[b]),
                 "MPI_Iallreduce");
    for (auto& r : requests) comm.wait(r, "allreduce_alone");
    times.push_back(now_s() - t0);
  }
  return {median(times), *std::min_element(times.begin(), times.end())};
}

struct Result {
  double step_ms = 0, backward_ms = 0, finish_wait_ms = 0, allreduce_ms = 0, allreduce_min_ms = 0;
  std::size_t buckets = 0, grad_bytes = 0;
  double buckets_in_backward = 0;  // per step: buckets whose allreduce started before backward ended
};

Result run(const Args& a, const dist::Communicator& comm, const std::string& config, std::size_t batch, bool overlap) {
  nn::VariationalAutoencoder vae(bench::vae_model(config));
  const auto params = vae.named_parameters();
  nn::Adam opt(params);
  dist::broadcast_parameters(comm, params);
  const std::size_t n_batches = 16;
  const Tensor data = bench::vae_data(batch * n_batches, 1);
  const dist::RowRange r = dist::shard_rows(batch, comm.rank(), comm.size());
  std::vector<Tensor> shards;
  for (std::size_t b = 0; b < n_batches; ++b)
    shards.push_back(dist::take_rows(data, b * batch + r.begin, b * batch + r.end));
  dist::GradientSynchronizer sync(comm, params, a.bucket_kb * 1024, overlap);
  const double scale = static_cast<double>(r.size()) / static_cast<double>(batch);
  auto step = [&](int i) {
    Variable loss = vae.pretrain_loss(constant(shards[i % n_batches])) * scale;
    opt.zero_grad();
    if (comm.size() > 1)
      sync.backward(loss);
    else
      loss.backward();
    opt.step();
  };
  for (int i = 0; i < a.warmup; ++i) step(i);
  sync.reset_stats();
  std::vector<double> per_step;
  for (int rep = 0; rep < a.reps; ++rep) {
    comm.barrier("mpi_step: start of a repetition");
    const double t0 = now_s();
    for (int i = 0; i < a.steps; ++i) step(i);
    per_step.push_back(max_over_ranks(comm, (now_s() - t0) / a.steps));
  }
  Result res;
  res.step_ms = median(per_step) * 1e3;
  const auto& st = sync.stats();
  if (st.steps > 0) {
    res.backward_ms = st.backward_seconds / st.steps * 1e3;
    res.finish_wait_ms = st.finish_wait_seconds / st.steps * 1e3;
    res.buckets_in_backward = static_cast<double>(st.buckets_started_in_backward) / st.steps;
  }
  res.buckets = sync.buckets().size();
  for (const auto& b : sync.buckets()) res.grad_bytes += b.elements * sizeof(float);
  if (comm.size() > 1) {
    const auto [med, min] = allreduce_alone(comm, sync.buckets(), a.steps);
    res.allreduce_ms = med * 1e3;
    res.allreduce_min_ms = min * 1e3;
  }
  return res;
}

}  // namespace

int main(int argc, char** argv) {
  dist::Environment env(&argc, &argv);
  try {
    const Args a = parse(argc, argv);
    set_num_threads(a.threads);
    dist::Communicator comm;
    for (const auto& config : a.configs)
      for (std::size_t batch : a.batches) {
        std::map<int, Result> by_overlap;
        for (int overlap : a.overlaps) {
          if (comm.size() == 1 && overlap != a.overlaps.front()) continue;  // no allreduce on one rank
          const Result r = run(a, comm, config, batch, overlap != 0);
          by_overlap[overlap] = r;
          if (comm.rank() == 0)
            std::printf(
                "mpi_step config=%s batch=%zu ranks=%d threads=%d overlap=%d bucket_kb=%zu buckets=%zu "
                "buckets_in_backward=%.2f "
                "grad_bytes=%zu steps_per_s=%.1f step_ms=%.3f backward_ms=%.3f finish_wait_ms=%.3f "
                "allreduce_alone_ms=%.3f allreduce_alone_min_ms=%.3f steps=%d reps=%d\n",
                config.c_str(), batch, comm.size(), a.threads, comm.size() > 1 ? overlap : -1, a.bucket_kb, r.buckets,
                r.buckets_in_backward, r.grad_bytes, 1e3 / r.step_ms, r.step_ms, r.backward_ms, r.finish_wait_ms,
                r.allreduce_ms, r.allreduce_min_ms, a.steps, a.reps);
          std::fflush(stdout);
        }
        if (comm.rank() == 0 && by_overlap.count(0) && by_overlap.count(1) && by_overlap[0].finish_wait_ms > 0)
          std::printf(
              "mpi_step_hidden config=%s batch=%zu ranks=%d bucket_kb=%zu hidden=%.3f wait_on_ms=%.3f "
              "wait_off_ms=%.3f\n",
              config.c_str(), batch, comm.size(), a.bucket_kb,
              1 - by_overlap[1].finish_wait_ms / by_overlap[0].finish_wait_ms, by_overlap[1].finish_wait_ms,
              by_overlap[0].finish_wait_ms);
      }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mpi_step: %s\n", e.what());
    dist::Environment::abort(2);
  }
  return 0;
}
