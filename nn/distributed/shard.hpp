#pragma once
// Cutting a global minibatch into the ranks' shards (part of xgrad::nn, no MPI needed).
#include <cstddef>

#include "autograd/tensor.hpp"

namespace xgrad::nn::distributed {

/// The rows [begin, end) of a global minibatch of n rows that rank `rank` of `size` trains on: contiguous,
/// in rank order, the first n % size ranks one row more (n = 10, size = 3: [0,4), [4,7), [7,10)).
/// InvalidArgument unless 0 <= rank < size.
struct RowRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};
RowRange shard_rows(std::size_t n, int rank, int size);
/// Rows [begin, end) of a tensor of rank >= 1 (a copy). InvalidArgument when the range is out of bounds.
Tensor take_rows(const Tensor& t, std::size_t begin, std::size_t end);
/// For a [L*N, ...] tensor laid out as L blocks of N rows (the VAE's eps: row l*N+n is sample l of example n),
/// rows n in [begin, end) of every block: [L*(end-begin), ...].
Tensor take_rows_of_blocks(const Tensor& t, std::size_t blocks, std::size_t begin, std::size_t end);

}  // namespace xgrad::nn::distributed
