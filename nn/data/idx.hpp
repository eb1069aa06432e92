#pragma once
// IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed. Layout (big-endian):
//   bytes 0-3: magic 0x0000TTRR (TT = element type, RR = rank: e.g. 0x03 images, 0x01 labels)
//   then RR 32-bit dimension sizes, then prod(dims) elements, each big-endian:
//   TT 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
// read_idx_images / read_idx_labels read the ubyte files of MNIST; read_idx reads any type and rank.
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

enum class IdxType : std::uint8_t {
  ubyte = 0x08,
  sbyte = 0x09,
  int16 = 0x0B,
  int32 = 0x0C,
  float32 = 0x0D,
  float64 = 0x0E
};
/// "ubyte", "byte", "short", "int", "float", "double" (the IDX names of the types).
std::string idx_type_name(IdxType type);

struct IdxArray {
  IdxType type = IdxType::ubyte;
  Tensor values;  // shape = the file's dimensions
};
/// Any IDX file (rank >= 1, any element type) as a tensor of `dtype`. ubyte values are divided by
/// `ubyte_divisor` (255 -> [0,1], as images_to_tensor does for MNIST pixels); the other types keep their
/// values (int32 beyond 2^24 rounds in float32). DataError naming the byte offset for a bad magic, an
/// unknown type byte, a zero dimension, truncation or trailing bytes.
IdxArray read_idx(const std::string& path, DType dtype = DType::float32, double ubyte_divisor = 255.0);
/// Writes `values` (row-major, prod(dims) of them) as an IDX file of `type`; InvalidArgument naming the
/// index and value when one is not representable (a non-integer or out-of-range value for an integer type).
void write_idx(const std::string& path, IdxType type, const std::vector<std::uint32_t>& dims,
               const std::vector<double>& values, bool gzip = false);

/// Images as a [count, rows*cols] tensor of pixel values divided by `divisor` (255 -> [0,1]).
Tensor images_to_tensor(const IdxImages& images, double divisor = 255.0, DType dtype = DType::float32);

/// Writes an IDX ubyte file with the given dimensions (rank 1 or 3 for labels / images); gzip when asked.
void write_idx(const std::string& path, const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data,
               bool gzip = false);

}  // namespace xgrad::nn::data
