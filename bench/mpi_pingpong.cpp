// MPI ping-pong between ranks 0 and 1 (issue 17): latency and bandwidth of the transport Open MPI picked
// (bench/mpi_run.sh: shared memory `btl self,vader,tcp` and TCP `btl tcp,self`; bench/mpi_veth.sh: TCP across
// two network namespaces). For each message size, rank 0 sends, rank 1 sends it back (MPI_Send/MPI_Recv),
// --iters round trips after a warm-up; one line per size from rank 0:
//   mpi_pingpong transport=shm bytes=8 latency_us=... bandwidth_gb_s=... iters=...
// latency_us = half the median round trip of --reps timed blocks; bandwidth_gb_s = bytes / latency (10^9 B/s).
//   mpi_pingpong [--transport LABEL] [--sizes 8,1024,65536,1048576,16777216] [--iters 200] [--reps 3]
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_cli.hpp"

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  try {
    std::string transport = "default";
    std::vector<std::size_t> sizes{8, 1024, 65536, 1048576, 16777216};
    int iters = 200, reps = 3;
    for (int i = 1; i < argc; ++i) {
      const std::string k = argv[i];
      const std::string v = xgrad::bench::option_value(argc, argv, i, "mpi_pingpong");
      if (k == "--transport")
        transport = v;
      else if (k == "--sizes") {
        sizes.clear();
        for (const auto& item : xgrad::bench::split_list(v)) sizes.push_back(std::stoul(item));
      } else if (k == "--iters")
        iters = std::stoi(v);
      else if (k == "--reps")
        reps = std::stoi(v);
      else
        throw std::invalid_argument("mpi_pingpong: unknown option " + k);
    }
    if (size != 2) throw std::invalid_argument("mpi_pingpong: needs exactly 2 ranks, got " + std::to_string(size));
    if (iters < 1 || reps < 1) throw std::invalid_argument("mpi_pingpong: --iters and --reps must be >= 1");
    for (std::size_t bytes : sizes) {
      std::vector<char> buf(std::max<std::size_t>(bytes, 1), 1);
      // large messages: fewer round trips (at least 10) so that a size costs about as much time as a small one
      const int n = std::max(10, static_cast<int>(iters * std::min(1.0, 65536.0 / std::max<std::size_t>(bytes, 1))));
      auto round_trips = [&](int count) {
        for (int i = 0; i < count; ++i) {
          if (rank == 0) {
            MPI_Send(buf.data(), static_cast<int>(bytes), MPI_BYTE, 1, 0, MPI_COMM_WORLD);
            MPI_Recv(buf.data(), static_cast<int>(bytes), MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          } else {
            MPI_Recv(buf.data(), static_cast<int>(bytes), MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(buf.data(), static_cast<int>(bytes), MPI_BYTE, 0, 0, MPI_COMM_WORLD);
          }
        }
      };
      round_trips(std::max(2, n / 10));
      std::vector<double> half_trip;
      for (int r = 0; r < reps; ++r) {
        MPI_Barrier(MPI_COMM_WORLD);
        const double t0 = now_s();
        round_trips(n);
        half_trip.push_back((now_s() - t0) / n / 2);
      }
      std::sort(half_trip.begin(), half_trip.end());
      const double t = half_trip[half_trip.size() / 2];
      if (rank == 0)
        std::printf("mpi_pingpong transport=%s bytes=%zu latency_us=%.2f bandwidth_gb_s=%.3f iters=%d reps=%d\n",
                    transport.c_str(), bytes, t * 1e6, bytes / t / 1e9, n, reps);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  MPI_Finalize();
  return 0;
}
