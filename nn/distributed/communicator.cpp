#include "nn/distributed/communicator.hpp"

#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace xgrad::nn::distributed {
namespace {
std::string mpi_error_string(int rc) {
  char buf[MPI_MAX_ERROR_STRING];
  int len = 0;
  if (MPI_Error_string(rc, buf, &len) != MPI_SUCCESS) return "MPI error " + std::to_string(rc);
  return std::string(buf, static_cast<std::size_t>(len));
}
}  // namespace

Environment::Environment(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) throw DistributedError("distributed::Environment: MPI is already initialised (one per process)");
  int provided = 0;
  const int rc = MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  if (rc != MPI_SUCCESS) throw DistributedError("MPI_Init_thread failed: " + mpi_error_string(rc));
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw DistributedError("MPI_Init_thread: the MPI library provides thread level " + std::to_string(provided) +
                           ", xgrad needs MPI_THREAD_FUNNELED");
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

Environment::~Environment() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void Environment::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

bool Environment::launched_by_mpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(v)) return true;
  return false;
}

Communicator::Communicator(MPI_Comm comm, double timeout_seconds) {
  set_timeout(timeout_seconds);
  check(MPI_Comm_dup(comm, &comm_), "MPI_Comm_dup");
  check(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
  check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
}

Communicator::~Communicator() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (comm_ != MPI_COMM_NULL && !finalized) MPI_Comm_free(&comm_);
}

void Communicator::set_timeout(double seconds) {
  if (!(seconds > 0))
    throw InvalidArgument("distributed::Communicator: the timeout must be > 0 seconds, got " + std::to_string(seconds));
  timeout_ = seconds;
}

void Communicator::check(int rc, const std::string& what) const {
  if (rc != MPI_SUCCESS)
    throw DistributedError(what + " failed on rank " + std::to_string(rank_) + ": " + mpi_error_string(rc));
}

bool Communicator::test(MPI_Request& request, const std::string& what) const {
  int done = 0;
  check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), what);
  return done != 0;
}

void Communicator::wait(MPI_Request& request, const std::string& what) const {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_));
  for (std::size_t polls = 0;; ++polls) {
    if (test(request, what)) return;
    const auto now = Clock::now();
    if (now > deadline)
      throw DistributedError(what + ": rank " + std::to_string(rank_) + " of " + std::to_string(size_) +
                             " waited " + std::to_string(timeout_) +
                             " s without completion; another rank has probably died, hung or been stopped");
    if (now - start < std::chrono::milliseconds(1))
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

void Communicator::broadcast(void* data, std::size_t bytes, int root, const std::string& what) const {
  auto* p = static_cast<char*>(data);
  constexpr std::size_t kChunk = std::size_t{1} << 30;
  for (std::size_t off = 0; off < bytes || (bytes == 0 && off == 0); off += kChunk) {
    const std::size_t n = std::min(kChunk, bytes - off);
    MPI_Request r;
    check(MPI_Ibcast(p + off, static_cast<int>(n), MPI_BYTE, root, comm_, &r), what + " (MPI_Ibcast)");
    wait(r, what);
    if (bytes == 0) break;
  }
}

void Communicator::broadcast(std::string& text, int root, const std::string& what) const {
  std::uint64_t n = text.size();
  broadcast(&n, sizeof n, root, what + " (length)");
  text.resize(n);
  if (n) broadcast(text.data(), n, root, what);
}

void Communicator::broadcast(Tensor& tensor, int root, const std::string& what) const {
  tensor.visit([&](auto& a) { broadcast(a.data(), a.size() * sizeof(*a.data()), root, what); });
}

void Communicator::allreduce_sum(std::vector<double>& values, const std::string& what) const {
  if (values.size() > static_cast<std::size_t>(INT_MAX))
    throw InvalidArgument(what + ": allreduce of " + std::to_string(values.size()) + " values (at most INT_MAX)");
  MPI_Request r;
  check(MPI_Iallreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM, comm_, &r),
        what + " (MPI_Iallreduce)");
  wait(r, what);
}

void Communicator::barrier(const std::string& what) const {
  MPI_Request r;
  check(MPI_Ibarrier(comm_, &r), what + " (MPI_Ibarrier)");
  wait(r, what);
}

void Communicator::agree(bool ok, const std::string& reason, const std::string& what) const {
  std::vector<double> flags(static_cast<std::size_t>(size_), 0.0);
  flags[static_cast<std::size_t>(rank_)] = ok ? 0.0 : 1.0;
  allreduce_sum(flags, what);
  int first = -1;
  std::string failing;
  for (int r = 0; r < size_; ++r)
    if (flags[static_cast<std::size_t>(r)] != 0) {
      if (first < 0) first = r;
      failing += (failing.empty() ? "" : ", ") + std::to_string(r);
    }
  if (first < 0) return;
  std::string first_reason = ok ? std::string() : reason;
  broadcast(first_reason, first, what + " (reason)");
  throw DistributedError(what + ": rank " + std::to_string(first) + ": " + first_reason + " (rank" +
                         (failing.find(',') == std::string::npos ? " " : "s ") + failing + " of " +
                         std::to_string(size_) + " disagree)");
}

}  // namespace xgrad::nn::distributed
