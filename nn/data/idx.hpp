#pragma once
// IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed. Layout (big-endian):
//   bytes 0-3: magic 0x000008RR (0x08 = unsigned byte, RR = rank: 0x03 images, 0x01 labels)
//   then RR 32-bit dimension sizes, then prod(dims) data bytes.
// Every check failure is a DataError "<path>: byte <offset>: <found>, expected <expected>"; offsets
// count bytes of the decompressed stream.
#include <cstdint>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace xgrad::nn::data {

struct IdxImages {
  std::size_t count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // count * rows * cols, row-major
};

/// Reads an idx3-ubyte image file (magic 0x00000803) and checks its sizes.
IdxImages read_idx_images(const std::string& path);
/// Reads an idx1-ubyte label file (magic 0x00000801).
std::vector<std::uint8_t> read_idx_labels(const std::string& path);

/// Images as a [count, rows*cols] tensor of pixel values divided by `divisor` (255 -> [0,1]).
Tensor images_to_tensor(const IdxImages& images, double divisor = 255.0, DType dtype = DType::float32);

/// Writes an IDX ubyte file with the given dimensions (rank 1 or 3 for labels / images); gzip when asked.
void write_idx(const std::string& path, const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data,
               bool gzip = false);

}  // namespace xgrad::nn::data
