// Uses the installed xgrad::distributed under mpirun (N ranks): rank 0's parameter broadcast to every rank, a
// gradient summed by GradientSynchronizer (rank r's loss sum((r+1) * w) -> summed gradient N(N+1)/2 everywhere),
// the ranks' parameters compared; exit 0 when all agree.
#include <cstdio>

#include <autograd/xgrad.hpp>  // installed under <prefix>/include/xgrad
#include <nn/distributed/communicator.hpp>
#include <nn/distributed/data_parallel.hpp>
#include <nn/distributed/shard.hpp>

int main(int argc, char** argv) {
  using namespace xgrad;
  namespace dist = xgrad::nn::distributed;
  dist::Environment env(&argc, &argv);
  int failures = 0;
  try {
    dist::Communicator comm;
    const int n = comm.size(), r = comm.rank();
    Variable w = parameter(Tensor::from({2}, {double(r), -double(r)}, DType::float64));
    const std::vector<nn::NamedParameter> params{{"w", w}};
    dist::broadcast_parameters(comm, params);  // every rank now holds rank 0's (0, 0)
    failures += w.value().at(0) != 0.0 || w.value().at(1) != 0.0;
    dist::GradientSynchronizer sync(comm, params);
    sync.backward(sum(w * static_cast<double>(r + 1)));
    const double expected = n * (n + 1) / 2.0;
    failures += w.grad().at(0) != expected || w.grad().at(1) != expected;
    dist::check_parameters_agree(comm, params, "consumer");
    const dist::RowRange rows = dist::shard_rows(10, r, n);
    std::vector<double> count{static_cast<double>(rows.size())};
    comm.allreduce_sum(count, "consumer row count");
    failures += count[0] != 10.0;
    std::printf("xgrad distributed consumer: rank %d of %d, summed gradient %g (expected %g), rows %zu..%zu, %s\n", r,
                n, w.grad().at(0), expected, rows.begin, rows.end, failures ? "FAILED" : "ok");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xgrad distributed consumer: %s\n", e.what());
    dist::Environment::abort(2);
  }
  return failures ? 1 : 0;
}
