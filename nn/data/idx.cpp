#include "nn/data/idx.hpp"

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
