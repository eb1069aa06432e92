#include "nn/data/idx.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include "autograd/errors.hpp"
#include "nn/data/file_io.hpp"

namespace xgrad::nn::data {

namespace {
// Validates the header of a ubyte IDX file of the given rank; returns its dimensions.
std::vector<std::size_t> read_header(const std::string& path, const Bytes& b, std::uint32_t rank, const char* what) {
  const std::uint32_t expected = 0x00000800u | rank;
  const std::string desc = std::string("(idx") + std::to_string(rank) + " ubyte " + what + ")";
  if (b.size() < 4)
    throw DataError(path + ": byte 0: file has " + std::to_string(b.size()) + " bytes, expected a 4-byte magic " +
                    hex32(expected) + " " + desc);
  const std::uint32_t magic = read_be32(b, 0);
  if (magic != expected) {
    std::string hint;
    if ((magic & 0xffff0000u) != 0)
      hint = " (not an IDX file)";
    else if (((magic >> 8) & 0xff) != 0x08)
      hint = " (data type byte " + std::to_string((magic >> 8) & 0xff) + " is not 0x08 = unsigned byte)";
    else
      hint = " (rank " + std::to_string(magic & 0xff) + ")";
    throw DataError(path + ": byte 0: magic " + hex32(magic) + hint + ", expected " + hex32(expected) + " " + desc);
  }
  const std::size_t header = 4 + 4 * rank;
  if (b.size() < header)
    throw DataError(path + ": byte " + std::to_string(b.size()) + ": file ends inside the header, expected " +
                    std::to_string(header) + " header bytes (" + std::to_string(rank) + " dimension sizes)");
  std::vector<std::size_t> dims(rank);
  for (std::uint32_t i = 0; i < rank; ++i) {
    dims[i] = read_be32(b, 4 + 4 * i);
    if (i > 0 && dims[i] == 0)
      throw DataError(path + ": byte " + std::to_string(4 + 4 * i) + ": dimension " + std::to_string(i) +
                      " is 0, expected >= 1");
  }
  return dims;
}

// Checks that the data after the header has exactly `n` bytes.
void check_payload(const std::string& path, const Bytes& b, std::size_t header, std::size_t n, const char* what,
                   std::size_t count, std::size_t item) {
  const std::size_t have = b.size() - header;
  if (have < n)
    throw DataError(path + ": byte " + std::to_string(header) + "+" + std::to_string(have) + ": file ends after " +
                    std::to_string(have) + " of " + std::to_string(n) + " " + what + " bytes (" +
                    std::to_string(have / item) + " of " + std::to_string(count) + " complete)");
  if (have > n)
    throw DataError(path + ": byte " + std::to_string(header + n) + ": " + std::to_string(have - n) +
                    " unexpected bytes after the " + std::to_string(count) + " " + what + " the header declares");
}
}  // namespace

IdxImages read_idx_images(const std::string& path) {
  const Bytes b = read_file(path);
  const auto dims = read_header(path, b, 3, "images");
  IdxImages out;
  out.count = dims[0];
  out.rows = dims[1];
  out.cols = dims[2];
  std::size_t item = 0, n = 0;
  if (!mul_fits(out.rows, out.cols, item) || !mul_fits(out.count, item, n))
    throw DataError(path + ": byte 4: " + std::to_string(out.count) + " images of " + std::to_string(out.rows) + "x" +
                    std::to_string(out.cols) + " pixels are more bytes than a file can hold");
  check_payload(path, b, 16, n, "image", out.count, item);
  out.pixels.assign(b.begin() + 16, b.end());
  return out;
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path) {
  const Bytes b = read_file(path);
  const auto dims = read_header(path, b, 1, "labels");
  check_payload(path, b, 8, dims[0], "label", dims[0], 1);
  return std::vector<std::uint8_t>(b.begin() + 8, b.end());
}

Tensor images_to_tensor(const IdxImages& images, double divisor, DType dtype) {
  if (!(divisor > 0)) throw InvalidArgument("images_to_tensor: divisor must be > 0, got " + std::to_string(divisor));
  Tensor t = Tensor::empty({images.count, images.rows * images.cols}, dtype);
  t.visit([&](auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    T table[256];  // value / divisor, correctly rounded, for every byte value
    for (int v = 0; v < 256; ++v) table[v] = static_cast<T>(v / divisor);
    T* o = a.data();
    for (std::size_t i = 0; i < images.pixels.size(); ++i) o[i] = table[images.pixels[i]];
  });
  return t;
}

std::string idx_type_name(IdxType type) {
  switch (type) {
    case IdxType::ubyte:
      return "ubyte";
    case IdxType::sbyte:
      return "byte";
    case IdxType::int16:
      return "short";
    case IdxType::int32:
      return "int";
    case IdxType::float32:
      return "float";
    case IdxType::float64:
      return "double";
  }
  return "?";
}

namespace {
std::size_t idx_item_size(IdxType t) {
  switch (t) {
    case IdxType::ubyte:
    case IdxType::sbyte:
      return 1;
    case IdxType::int16:
      return 2;
    case IdxType::int32:
    case IdxType::float32:
      return 4;
    case IdxType::float64:
      return 8;
  }
  return 0;
}

bool known_idx_type(std::uint32_t t) {
  return t == 0x08 || t == 0x09 || t == 0x0B || t == 0x0C || t == 0x0D || t == 0x0E;
}

/// Element i of the big-endian payload at `p`.
double idx_element(IdxType t, const std::uint8_t* p) {
  std::uint64_t u = 0;
  const std::size_t n = idx_item_size(t);
  for (std::size_t k = 0; k < n; ++k) u = (u << 8) | p[k];
  switch (t) {
    case IdxType::ubyte:
      return static_cast<double>(u);
    case IdxType::sbyte:
      return static_cast<double>(static_cast<std::int8_t>(u));
    case IdxType::int16:
      return static_cast<double>(static_cast<std::int16_t>(u));
    case IdxType::int32:
      return static_cast<double>(static_cast<std::int32_t>(u));
    case IdxType::float32: {
      const auto w = static_cast<std::uint32_t>(u);
      float f;
      std::memcpy(&f, &w, 4);
      return f;
    }
    case IdxType::float64: {
      double d;
      std::memcpy(&d, &u, 8);
      return d;
    }
  }
  return 0;
}
}  // namespace

IdxArray read_idx(const std::string& path, DType dtype, double ubyte_divisor) {
  if (!(ubyte_divisor > 0))
    throw InvalidArgument("read_idx: ubyte_divisor must be > 0, got " + std::to_string(ubyte_divisor));
  const Bytes b = read_file(path);
  if (b.size() < 4)
    throw DataError(path + ": byte 0: file has " + std::to_string(b.size()) +
                    " bytes, expected a 4-byte IDX magic 0x0000TTRR");
  const std::uint32_t magic = read_be32(b, 0);
  const std::uint32_t type = (magic >> 8) & 0xff, rank = magic & 0xff;
  if ((magic & 0xffff0000u) != 0)
    throw DataError(path + ": byte 0: magic " + hex32(magic) + " is not an IDX magic (expected 0x0000TTRR)");
  if (!known_idx_type(type))
    throw DataError(path + ": byte 2: element type " + hex32(type) +
                    ", expected 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float or 0x0e double");
  if (rank == 0) throw DataError(path + ": byte 3: rank 0, expected at least 1 dimension");
  IdxArray out;
  out.type = static_cast<IdxType>(type);
  const std::size_t header = 4 + 4 * rank, item = idx_item_size(out.type);
  if (b.size() < header)
    throw DataError(path + ": byte " + std::to_string(b.size()) + ": file ends inside the header, expected " +
                    std::to_string(header) + " header bytes (" + std::to_string(rank) + " dimension sizes)");
  Shape dims(rank);
  std::size_t count = 1, n = 0;
  for (std::uint32_t i = 0; i < rank; ++i) {
    dims[i] = read_be32(b, 4 + 4 * i);
    if (i > 0 && dims[i] == 0)
      throw DataError(path + ": byte " + std::to_string(4 + 4 * i) + ": dimension " + std::to_string(i) +
                      " is 0, expected >= 1");
    if (!mul_fits(count, dims[i], count)) count = SIZE_MAX;
  }
  if (count == SIZE_MAX || !mul_fits(count, item, n))
    throw DataError(path + ": byte 4: dimensions " + shape_string(dims) + " are more bytes than a file can hold");
  check_payload(path, b, header, n, (idx_type_name(out.type) + " element").c_str(), count, item);
  Tensor t = Tensor::empty(dims, DType::float64);
  double* o = t.data<double>();
  const double scale = out.type == IdxType::ubyte ? ubyte_divisor : 1.0;
  for (std::size_t i = 0; i < count; ++i) o[i] = idx_element(out.type, b.data() + header + i * item) / scale;
  out.values = t.to(dtype);
  return out;
}

void write_idx(const std::string& path, IdxType type, const std::vector<std::uint32_t>& dims,
               const std::vector<double>& values, bool gzip) {
  if (!known_idx_type(static_cast<std::uint32_t>(type)) || dims.empty() || dims.size() > 255)
    throw InvalidArgument("write_idx: " + path + ": type " + hex32(static_cast<std::uint32_t>(type)) + " with " +
                          std::to_string(dims.size()) + " dimensions, expected a known type and 1..255 dimensions");
  std::size_t n = 1;
  for (auto d : dims) n *= d;
  if (n != values.size())
    throw InvalidArgument("write_idx: " + path + ": dimensions hold " + std::to_string(n) + " elements, got " +
                          std::to_string(values.size()));
  double lo = 0, hi = 0;
  switch (type) {
    case IdxType::ubyte:
      lo = 0, hi = 255;
      break;
    case IdxType::sbyte:
      lo = -128, hi = 127;
      break;
    case IdxType::int16:
      lo = -32768, hi = 32767;
      break;
    case IdxType::int32:
      lo = -2147483648.0, hi = 2147483647.0;
      break;
    default:
      break;
  }
  Bytes b;
  auto put_be = [&](std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = bytes; i-- > 0;) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  put_be(0x00000000u | (static_cast<std::uint32_t>(type) << 8) | static_cast<std::uint32_t>(dims.size()), 4);
  for (auto d : dims) put_be(d, 4);
  const std::size_t item = idx_item_size(type);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = values[i];
    if (type == IdxType::float32) {
      const float f = static_cast<float>(v);
      std::uint32_t w;
      std::memcpy(&w, &f, 4);
      put_be(w, 4);
    } else if (type == IdxType::float64) {
      std::uint64_t w;
      std::memcpy(&w, &v, 8);
      put_be(w, 8);
    } else {
      if (!(v >= lo && v <= hi && v == std::floor(v))) {
        std::ostringstream o;
        o << "write_idx: " << path << ": element " << i << " = " << v << " is not an integer in [" << lo << ", " << hi
          << "] (type " << idx_type_name(type) << ")";
        throw InvalidArgument(o.str());
      }
      put_be(static_cast<std::uint64_t>(static_cast<std::int64_t>(v)), item);
    }
  }
  write_file(path, b, gzip);
}

void write_idx(const std::string& path, const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data,
               bool gzip) {
  std::size_t n = 1;
  for (auto d : dims) n *= d;
  if (n != data.size())
    throw InvalidArgument("write_idx: " + path + ": dimensions hold " + std::to_string(n) + " bytes, got " +
                          std::to_string(data.size()));
  Bytes b;
  const std::uint32_t magic = 0x00000800u | static_cast<std::uint32_t>(dims.size());
  auto put_be32 = [&](std::uint32_t v) {
    for (int i = 3; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  put_be32(magic);
  for (auto d : dims) put_be32(d);
  b.insert(b.end(), data.begin(), data.end());
  write_file(path, b, gzip);
}

}  // namespace xgrad::nn::data
