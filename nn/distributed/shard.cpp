#include "nn/distributed/shard.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>

namespace xgrad::nn::distributed {

RowRange shard_rows(std::size_t n, int rank, int size) {
  if (size < 1 || rank < 0 || rank >= size)
    throw InvalidArgument("distributed::shard_rows: rank " + std::to_string(rank) + " is not in [0, " +
                          std::to_string(size) + ")");
  const auto r = static_cast<std::size_t>(rank), s = static_cast<std::size_t>(size);
  const std::size_t base = n / s, extra = n % s;
  RowRange out;
  out.begin = r * base + std::min(r, extra);
  out.end = out.begin + base + (r < extra ? 1 : 0);
  return out;
}

Tensor take_rows_of_blocks(const Tensor& t, std::size_t blocks, std::size_t begin, std::size_t end) {
  if (!t.defined() || t.dim() == 0)
    throw InvalidArgument("distributed::take_rows: the tensor must have at least one dimension");
  const std::size_t rows = t.shape()[0];
  if (blocks == 0 || rows % blocks != 0)
    throw InvalidArgument("distributed::take_rows: " + std::to_string(rows) + " rows are not " +
                          std::to_string(blocks) + " equal blocks");
  const std::size_t n = rows / blocks;
  if (begin > end || end > n)
    throw InvalidArgument("distributed::take_rows: rows [" + std::to_string(begin) + ", " + std::to_string(end) +
                          ") out of a block of " + std::to_string(n) + " rows (shape " + shape_string(t.shape()) + ")");
  Shape shape = t.shape();
  shape[0] = blocks * (end - begin);
  Tensor out = Tensor::empty(shape, t.dtype());
  const std::size_t row = n ? t.size() / rows : 0;
  t.visit([&](const auto& a) {
    using T = std::decay_t<decltype(*a.data())>;
    T* dst = out.data<T>();
    for (std::size_t b = 0; b < blocks; ++b)
      if (end > begin)
        std::memcpy(dst + b * (end - begin) * row, a.data() + (b * n + begin) * row, (end - begin) * row * sizeof(T));
  });
  return out;
}

Tensor take_rows(const Tensor& t, std::size_t begin, std::size_t end) { return take_rows_of_blocks(t, 1, begin, end); }

}  // namespace xgrad::nn::distributed
