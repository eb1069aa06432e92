// xgrad::nn::distributed under `mpirun -np N` (N = 1, 2, 3; tests/distributed/mpirun.sh starts it): sharding
// helpers, bucket plan, the hook-driven overlap, broadcast of parameters and optimizer state, settings and layout
// mismatch detection on every rank, the deadline, and data-parallel training against a one-process run on the
// same global batches (each rank also computes that reference itself, without MPI) plus bit-identical repeats.
#define BOOST_TEST_MODULE xgrad_distributed
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "autograd/parallel.hpp"
#include "autograd/random.hpp"
#include "autograd/xgrad.hpp"
#include "nn/distributed/data_parallel.hpp"
#include "nn/layers/mlp.hpp"
#include "nn/optim/optimizers.hpp"

using namespace xgrad;
namespace dist = xgrad::nn::distributed;

namespace {
struct MpiFixture {
  MpiFixture() {
    static int argc = 0;
    static char** argv = nullptr;
    env = new dist::Environment(&argc, &argv);
    xgrad::set_num_threads(1);  // ranks share the cores
  }
  ~MpiFixture() { delete env; }
  dist::Environment* env = nullptr;
};

template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no exception)";
}

nn::MlpOptions seeded(std::uint64_t seed) {
  nn::MlpOptions o;
  o.seed = seed;
  return o;
}

// ---- the small network of the training comparison: 6-32-32-4 tanh MLP, squared error, Adam
constexpr std::size_t kGlobalBatch = 10;  // 3 ranks: shards of 4, 3, 3 rows
constexpr std::size_t kSteps = 30;

struct Data {
  Tensor x, y;  // [steps * batch, 6], [steps * batch, 4]
};
Data make_data() {
  Generator g(123);
  return {g.normal(Shape{kSteps * kGlobalBatch, 6}), g.uniform(Shape{kSteps * kGlobalBatch, 4}, -1, 1)};
}

// Per-row squared error of rows [begin, end) of step s, summed, divided by the global batch size.
Variable shard_loss(nn::Sequential& net, const Data& d, std::size_t s, std::size_t begin, std::size_t end) {
  const std::size_t base = s * kGlobalBatch;
  Variable x = constant(dist::take_rows(d.x, base + begin, base + end));
  Variable y = constant(dist::take_rows(d.y, base + begin, base + end));
  return sum(square(net.forward(x) - y)) / static_cast<double>(kGlobalBatch);
}

struct Trained {
  std::vector<std::vector<double>> params;
  std::uint64_t fingerprint = 0;
  dist::SyncStats stats;
};

Trained train(const dist::Communicator* comm, std::size_t bucket_bytes, bool overlap) {
  auto net = nn::mlp({6, 32, 32, 4}, Activation{ActivationKind::tanh}, seeded(5));
  auto opt = nn::optimizer_from_config(nlohmann::json{{"type", "adam"}, {"learning_rate", 0.01}}, net->named_parameters());
  const Data d = make_data();
  std::unique_ptr<dist::GradientSynchronizer> sync;
  if (comm) {
    dist::broadcast_parameters(*comm, net->named_parameters());
    dist::broadcast_optimizer_state(*comm, *opt);
    sync = std::make_unique<dist::GradientSynchronizer>(*comm, net->named_parameters(), bucket_bytes, overlap);
  }
  for (std::size_t s = 0; s < kSteps; ++s) {
    opt->zero_grad();
    if (comm) {
      const dist::RowRange r = dist::shard_rows(kGlobalBatch, comm->rank(), comm->size());
      sync->backward(shard_loss(*net, d, s, r.begin, r.end));
    } else {
      shard_loss(*net, d, s, 0, kGlobalBatch).backward();
    }
    opt->step();
  }
  Trained out;
  for (const auto& p : net->named_parameters()) out.params.push_back(p.variable.value().to_vector());
  out.fingerprint = dist::parameter_fingerprint(net->named_parameters());
  if (sync) out.stats = sync->stats();
  return out;
}
}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(MpiFixture);

BOOST_AUTO_TEST_SUITE(distributed)

BOOST_AUTO_TEST_CASE(shard_rows_cuts_contiguous_ranges_first_ranks_one_more) {
  const auto a = dist::shard_rows(10, 0, 3), b = dist::shard_rows(10, 1, 3), c = dist::shard_rows(10, 2, 3);
  BOOST_TEST(a.begin == 0u);
  BOOST_TEST(a.end == 4u);
  BOOST_TEST(b.begin == 4u);
  BOOST_TEST(b.end == 7u);
  BOOST_TEST(c.begin == 7u);
  BOOST_TEST(c.end == 10u);
  BOOST_TEST(dist::shard_rows(2, 2, 3).size() == 0u);
  BOOST_TEST(message_of<InvalidArgument>([] { dist::shard_rows(10, 3, 3); }).find("rank 3 is not in [0, 3)") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(take_rows_of_blocks_takes_the_range_of_every_block) {
  // 2 blocks of 3 rows, width 2: rows 1..2 of each block
  Tensor t = Tensor::from({6, 2}, {0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121});
  Tensor r = dist::take_rows_of_blocks(t, 2, 1, 3);
  BOOST_TEST(r.shape() == (Shape{4, 2}), boost::test_tools::per_element());
  BOOST_TEST(r.to_vector() == (std::vector<double>{10, 11, 20, 21, 110, 111, 120, 121}), boost::test_tools::per_element());
  BOOST_TEST(message_of<InvalidArgument>([&] { dist::take_rows(t, 2, 7); }).find("rows [2, 7)") != std::string::npos);
  BOOST_TEST(message_of<InvalidArgument>([&] { dist::take_rows_of_blocks(t, 4, 0, 1); }).find("not 4 equal blocks") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(plan_buckets_goes_in_reverse_order_and_skips_frozen_parameters) {
  auto net = nn::mlp({6, 32, 32, 4}, Activation{ActivationKind::tanh});  // W 6x32, b 32, W 32x32, b 32, W 32x4, b 4
  net->freeze("0.b");
  const auto params = net->named_parameters();
  // 600 bytes: [5 (16 B), 4 (512 B)], [3 (128 B)], [2 (4096 B, alone)], [0 (768 B)]; 1 (0.b) is frozen
  const auto buckets = dist::plan_buckets(params, 600);
  BOOST_TEST_REQUIRE(buckets.size() == 4u);
  BOOST_TEST(buckets[0].params == (std::vector<std::size_t>{5, 4}), boost::test_tools::per_element());
  BOOST_TEST(buckets[1].params == (std::vector<std::size_t>{3}), boost::test_tools::per_element());
  BOOST_TEST(buckets[2].params == (std::vector<std::size_t>{2}), boost::test_tools::per_element());
  BOOST_TEST(buckets[3].params == (std::vector<std::size_t>{0}), boost::test_tools::per_element());
  BOOST_TEST(buckets[0].elements == 132u);
  BOOST_TEST(dist::plan_buckets(params, 1 << 20).size() == 1u);
  BOOST_TEST(message_of<InvalidArgument>([&] { dist::plan_buckets(params, 0); }).find("bucket_bytes") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(data_parallel_training_matches_one_process_to_float_rounding) {
  dist::Communicator comm(MPI_COMM_WORLD, 30);
  const Trained ref = train(nullptr, 0, true);
  const Trained got = train(&comm, 512, true);  // 512-byte buckets: several per step
  double max_abs = 0, max_rel = 0;
  for (std::size_t k = 0; k < ref.params.size(); ++k)
    for (std::size_t i = 0; i < ref.params[k].size(); ++i) {
      const double d = std::abs(ref.params[k][i] - got.params[k][i]);
      max_abs = std::max(max_abs, d);
      max_rel = std::max(max_rel, d / std::max(1e-3, std::abs(ref.params[k][i])));
    }
  if (comm.rank() == 0)
    std::printf("data-parallel vs one process, %d rank(s), %zu Adam steps, global batch %zu: max |diff| %.3g, max "
                "rel diff %.3g (parameters of size >= 1e-3)\n",
                comm.size(), kSteps, kGlobalBatch, max_abs, max_rel);
  BOOST_TEST(max_abs < 2e-5);
  if (comm.size() == 1) BOOST_TEST(max_abs == 0.0);  // the same sums in the same order
  dist::check_parameters_agree(comm, nn::mlp({6, 32, 32, 4}, Activation{ActivationKind::tanh})->named_parameters(),
                               "(fresh nets)");
}

BOOST_AUTO_TEST_CASE(repeat_runs_are_bit_identical_and_ranks_agree) {
  dist::Communicator comm(MPI_COMM_WORLD, 30);
  const Trained a = train(&comm, 512, true);
  const Trained b = train(&comm, 512, true);
  const Trained c = train(&comm, 1 << 20, false);  // one bucket, no overlap: the same sums
  BOOST_TEST(a.fingerprint == b.fingerprint);
  BOOST_TEST(a.params == b.params);
  std::uint64_t root = a.fingerprint;
  comm.broadcast(&root, sizeof root, 0, "test");
  BOOST_TEST(root == a.fingerprint);  // every rank holds rank 0's bits
  // A different bucket cut may change MPI's reduction order only for float rounding.
  for (std::size_t k = 0; k < a.params.size(); ++k)
    for (std::size_t i = 0; i < a.params[k].size(); ++i) BOOST_TEST(std::abs(a.params[k][i] - c.params[k][i]) < 2e-5);
}

BOOST_AUTO_TEST_CASE(overlap_starts_every_bucket_inside_backward_and_the_baseline_none) {
  dist::Communicator comm(MPI_COMM_WORLD, 30);
  const Trained a = train(&comm, 512, true);
  const Trained c = train(&comm, 512, false);
  BOOST_TEST(a.stats.steps == kSteps);
  const std::size_t buckets = dist::plan_buckets(nn::mlp({6, 32, 32, 4}, Activation{ActivationKind::tanh})->named_parameters(), 512).size();
  BOOST_TEST(buckets >= 4u);
  BOOST_TEST(a.stats.buckets_started_in_backward == kSteps * buckets);
  BOOST_TEST(c.stats.buckets_started_in_backward == 0u);
  BOOST_TEST(a.stats.bytes_per_step == (6 * 32 + 32 + 32 * 32 + 32 + 32 * 4 + 4) * 4u);
}

BOOST_AUTO_TEST_CASE(a_parameter_without_gradient_is_summed_as_zeros) {
  dist::Communicator comm(MPI_COMM_WORLD, 30);
  Variable used = parameter(Tensor::from({2}, {1, 2}));
  Variable unused = parameter(Tensor::from({3}, {0, 0, 0}));
  dist::GradientSynchronizer sync(comm, {{"used", used}, {"unused", unused}}, 8);
  // rank r's loss (r+1) * sum(used): the summed gradient is sum_r (r+1) = n(n+1)/2 per element
  sync.backward(sum(used) * static_cast<double>(comm.rank() + 1));
  const double n = comm.size();
  BOOST_TEST(used.grad().to_vector() == (std::vector<double>{n * (n + 1) / 2, n * (n + 1) / 2}),
             boost::test_tools::per_element());
  BOOST_TEST(unused.grad().to_vector() == (std::vector<double>{0, 0, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(broadcast_gives_every_rank_rank_0s_parameters_and_optimizer_state) {
  dist::Communicator comm(MPI_COMM_WORLD, 30);
  auto net = nn::mlp({3, 4, 2}, Activation{ActivationKind::tanh}, seeded(100 + static_cast<std::uint64_t>(comm.rank())));
  auto opt = nn::optimizer_from_config(nlohmann::json{{"type", "adam"}}, net->named_parameters());
  for (int i = 0; i <= comm.rank(); ++i) {  // rank r takes r+1 steps: different moments and iteration
    opt->zero_grad();
    sum(square(net->forward(constant(Tensor::full({2, 3}, 0.5))))).backward();
    opt->step();
  }
  dist::broadcast_parameters(comm, net->named_parameters());
  dist::broadcast_optimizer_state(comm, *opt);
  BOOST_TEST(opt->iteration() == 1u);
  std::uint64_t fp = dist::parameter_fingerprint(net->named_parameters()), root = fp;
  comm.broadcast(&root, sizeof root, 0, "test");
  BOOST_TEST(fp == root);
  double m = 0;
  for (const auto& [name, t] : opt->state()) m += t.to_vector()[0];
  std::vector<double> all{m};
  comm.allreduce_sum(all, "test");
  BOOST_TEST(all[0] == m * comm.size());
}

BOOST_AUTO_TEST_CASE(different_models_or_settings_are_an_error_on_every_rank) {
  dist::Communicator comm(MPI_COMM_WORLD, 30);
  dist::check_same_settings(comm, nlohmann::json{{"batch_size", 10}, {"threads", comm.rank()}}, {"threads"});
  if (comm.size() == 1) return;
  const int last = comm.size() - 1;
  const std::string msg = message_of<dist::DistributedError>([&] {
    dist::check_same_settings(comm, nlohmann::json{{"batch_size", comm.rank() == last ? 20 : 10}});
  });
  BOOST_TEST(msg.find("different settings: rank " + std::to_string(last) +
                      ": setting 'batch_size' is 20 here but 10 on rank 0") != std::string::npos,
             msg);
  const std::size_t hidden = comm.rank() == last ? 5 : 4;
  auto net = nn::mlp({3, hidden, 2}, Activation{ActivationKind::tanh});
  const std::string m2 =
      message_of<dist::DistributedError>([&] { dist::broadcast_parameters(comm, net->named_parameters()); });
  BOOST_TEST(m2.find("the models differ: rank " + std::to_string(last) + ": has '0.W [3,5] float32' where rank 0 has "
                     "'0.W [3,4] float32'") != std::string::npos,
             m2);
}

BOOST_AUTO_TEST_CASE(a_rank_that_does_not_arrive_is_a_timeout_naming_the_wait) {
  dist::Communicator comm(MPI_COMM_WORLD, 30);
  BOOST_TEST(message_of<InvalidArgument>([&] { comm.set_timeout(0); }).find("timeout must be > 0") != std::string::npos);
  if (comm.size() == 1) return;
  comm.set_timeout(0.3);
  MPI_Request r;
  if (comm.rank() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the others time out meanwhile
    comm.check(MPI_Ibarrier(comm.comm(), &r), "test barrier");
    comm.set_timeout(30);
    comm.wait(r, "test barrier");
  } else {
    comm.check(MPI_Ibarrier(comm.comm(), &r), "test barrier");
    const auto t0 = std::chrono::steady_clock::now();
    const std::string msg = message_of<dist::DistributedError>([&] { comm.wait(r, "test barrier"); });
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    BOOST_TEST(msg.find("test barrier: rank " + std::to_string(comm.rank())) != std::string::npos, msg);
    BOOST_TEST(msg.find("another rank has probably died") != std::string::npos, msg);
    BOOST_TEST(waited < 1.0);
    comm.set_timeout(30);
    comm.wait(r, "test barrier");  // rank 0 arrives: the barrier completes
  }
}

BOOST_AUTO_TEST_SUITE_END()
