#pragma once
// Threading: every kernel parallelises with TBB over fixed-size blocks (serial below a cutoff), so the
// block boundaries, and thus every floating-point result, are the same for any thread count.
// GEMMs run as fixed blocks of single-threaded OpenBLAS calls inside TBB tasks (blas.hpp).
#include <cstddef>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

namespace xgrad {

/// Sets the threads of TBB, which runs both the kernels and the GEMM blocks (OpenBLAS itself stays
/// single-threaded, so the cores are never oversubscribed). n >= 1; default: the hardware concurrency.
void set_num_threads(int n);
int num_threads();

namespace parallel {
/// Elements per block for elementwise kernels and reductions.
constexpr std::size_t kGrain = 16384;

/// Operands of at least this many elements (weight matrices, in practice) are always cut into row blocks, by
/// every GEMM that reads or writes them and by the optimizers, so each core keeps to the same rows (blas.cpp);
/// smaller ones stay on one core in both, however the batch size changes the GEMM's work.
constexpr std::size_t kLargeOperand = std::size_t(1) << 16;

/// f(begin, end) over [0, n) in blocks of `grain` elements; serial when n <= grain. The blocks are dealt to the
/// threads in equal contiguous runs, the first to the calling thread, the same way in every call (TBB's static
/// partition), so data a core produced in one region is mostly consumed by that core in the next.
template <class F>
void for_blocks(std::size_t n, F&& f, std::size_t grain = kGrain) {
  if (n <= grain || num_threads() == 1) {
    for (std::size_t b = 0; b < n; b += grain) f(b, std::min(n, b + grain));
    return;
  }
  const std::size_t blocks = (n + grain - 1) / grain;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t k = r.begin(); k != r.end(); ++k) f(k * grain, std::min(n, (k + 1) * grain));
      },
      tbb::static_partitioner());
}

/// f(row_begin, row_end) over `rows` rows of `row_size` elements, blocks of about kGrain elements.
template <class F>
void for_rows(std::size_t rows, std::size_t row_size, F&& f) {
  const std::size_t rows_per_block = std::max<std::size_t>(1, kGrain / std::max<std::size_t>(1, row_size));
  for_blocks(rows, std::forward<F>(f), rows_per_block);
}
}  // namespace parallel

}  // namespace xgrad
