#include "nn/data/npy.hpp"

#include <algorithm>
#include <cstring>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmanipulation.hpp>

#include "autograd/errors.hpp"
#include "nn/data/file_io.hpp"

namespace xgrad::nn::data {

namespace {
const char kMagic[] = "\x93NUMPY";

// The value text of 'key' in the header dict, up to the next ',' at depth 0 or the closing '}'.
std::string dict_value(const std::string& path, const std::string& header, const std::string& key,
                       std::size_t header_offset) {
  const auto k = header.find("'" + key + "'");
  if (k == std::string::npos)
    throw DataError(path + ": byte " + std::to_string(header_offset) + ": header " + header + " has no '" + key +
                    "' entry");
  auto p = header.find(':', k);
  if (p == std::string::npos)
    throw DataError(path + ": byte " + std::to_string(header_offset + k) + ": malformed header");
  ++p;
  int depth = 0;
  std::size_t e = p;
  for (; e < header.size(); ++e) {
    const char c = header[e];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && (c == ',' || c == '}')) break;
  }
  std::string v = header.substr(p, e - p);
  const auto b = v.find_first_not_of(" ");
  const auto l = v.find_last_not_of(" ");
  return b == std::string::npos ? "" : v.substr(b, l - b + 1);
}

Shape parse_shape(const std::string& path, const std::string& text, std::size_t at) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')')
    throw DataError(path + ": byte " + std::to_string(at) + ": shape " + text + ", expected a tuple like (2, 3)");
  Shape shape;
  std::size_t i = 1;
  while (i < text.size() - 1) {
    while (i < text.size() - 1 && (text[i] == ' ' || text[i] == ',')) ++i;
    if (i >= text.size() - 1) break;
    if (text[i] < '0' || text[i] > '9')  // std::stoul would take "-1" as 2^64-1
      throw DataError(path + ": byte " + std::to_string(at) + ": shape " + text + " has a non-integer entry");
    std::size_t used = 0;
    try {
      shape.push_back(std::stoul(text.substr(i), &used));
    } catch (const std::exception&) {
      throw DataError(path + ": byte " + std::to_string(at) + ": shape " + text + " has a non-integer entry");
    }
    i += used;
  }
  return shape;
}
}  // namespace

namespace {
/// The parsed header of an .npy file and where its data starts.
struct NpyHeader {
  std::string descr;  // "'<f4'", "'<f8'", "'|u1'"
  bool fortran = false;
  Shape shape;
  std::size_t header_start = 0, data_start = 0, item = 0, bytes = 0;
};

NpyHeader parse_npy(const std::string& path, const Bytes& b) {
  if (b.size() < 10 || std::memcmp(b.data(), kMagic, 6) != 0)
    throw DataError(path + ": byte 0: not an NPY file (expected the magic \\x93NUMPY)");
  const int major = b[6];
  if (major < 1 || major > 3)
    throw DataError(path + ": byte 6: NPY format version " + std::to_string(major) + "." + std::to_string(b[7]) +
                    ", expected 1.x, 2.x or 3.x");
  NpyHeader h;
  std::size_t header_len;
  if (major == 1) {
    header_len = std::size_t(b[8]) | (std::size_t(b[9]) << 8);
    h.header_start = 10;
  } else {
    if (b.size() < 12) throw DataError(path + ": byte " + std::to_string(b.size()) + ": file ends inside the header");
    header_len = read_le32(b, 8);
    h.header_start = 12;
  }
  if (b.size() < h.header_start + header_len)
    throw DataError(path + ": byte " + std::to_string(b.size()) + ": file ends inside the " +
                    std::to_string(header_len) + "-byte header");
  const std::string header(b.begin() + h.header_start, b.begin() + h.header_start + header_len);
  h.descr = dict_value(path, header, "descr", h.header_start);
  const std::string fortran = dict_value(path, header, "fortran_order", h.header_start);
  h.shape = parse_shape(path, dict_value(path, header, "shape", h.header_start), h.header_start);
  if (h.descr == "'<f4'")
    h.item = 4;
  else if (h.descr == "'<f8'")
    h.item = 8;
  else if (h.descr == "'|u1'" || h.descr == "'<u1'" || h.descr == "'>u1'")
    h.item = 1;
  else
    throw DataError(path + ": byte " + std::to_string(h.header_start) + ": dtype " + h.descr +
                    ", expected '<f4' (float32), '<f8' (float64) or '|u1' (uint8)");
  if (fortran != "False" && fortran != "True")
    throw DataError(path + ": byte " + std::to_string(h.header_start) + ": fortran_order " + fortran +
                    ", expected True or False");
  h.fortran = fortran == "True";
  h.data_start = h.header_start + header_len;
  std::size_t count = 1;
  for (auto d : h.shape)
    if (!mul_fits(count, d, count)) count = SIZE_MAX;
  if (count == SIZE_MAX || !mul_fits(count, h.item, h.bytes))
    throw DataError(path + ": byte " + std::to_string(h.header_start) + ": shape " + shape_string(h.shape) +
                    " has more elements than a file can hold");
  const std::size_t have = b.size() - h.data_start;
  if (have != h.bytes)
    throw DataError(path + ": byte " + std::to_string(h.data_start) + "+" + std::to_string(have) + ": " +
                    (have < h.bytes ? "file ends after " : "file has ") + std::to_string(have) + " of " +
                    std::to_string(h.bytes) + " data bytes for shape " + shape_string(h.shape) + " " +
                    (h.item == 1   ? "uint8"
                     : h.item == 4 ? "float32"
                                   : "float64"));
  return h;
}

/// The data as a tensor of the stored dtype (uint8: float64 of value / divisor), row-major.
Tensor npy_values(const NpyHeader& h, const Bytes& b, double uint8_divisor) {
  Shape stored = h.shape;
  if (h.fortran) std::reverse(stored.begin(), stored.end());
  Tensor t = Tensor::empty(stored, h.item == 4 ? DType::float32 : DType::float64);
  if (h.item == 1) {
    double* o = t.data<double>();
    for (std::size_t i = 0; i < h.bytes; ++i) o[i] = b[h.data_start + i] / uint8_divisor;
  } else if (h.bytes > 0) {
    t.visit([&](auto& a) { std::memcpy(a.data(), b.data() + h.data_start, h.bytes); });
  }
  if (h.fortran && h.shape.size() > 1) {
    t.visit([&](auto& a) {
      using A = std::decay_t<decltype(a)>;
      A transposed = xt::transpose(a);
      a = std::move(transposed);
    });
  }
  return t;
}
}  // namespace

Tensor read_npy(const std::string& path) {
  const Bytes b = read_file(path);
  const NpyHeader h = parse_npy(path, b);
  if (h.item == 1)
    throw DataError(path + ": byte " + std::to_string(h.header_start) + ": dtype " + h.descr +
                    " (uint8) has no tensor dtype; read it with read_npy_as (value / 255 by default)");
  return npy_values(h, b, 1.0);
}

Tensor read_npy_as(const std::string& path, DType dtype, double uint8_divisor) {
  if (!(uint8_divisor > 0))
    throw InvalidArgument("read_npy_as: uint8_divisor must be > 0, got " + std::to_string(uint8_divisor));
  const Bytes b = read_file(path);
  return npy_values(parse_npy(path, b), b, uint8_divisor).to(dtype);
}

Tensor read_npy(const std::string& path, DType dtype, const Shape& shape) {
  Tensor t = read_npy(path);
  if (t.dtype() != dtype || t.shape() != shape)
    throw DataError(path + ": holds " + std::string(dtype_name(t.dtype())) + " " + shape_string(t.shape()) +
                    ", expected " + dtype_name(dtype) + " " + shape_string(shape));
  return t;
}

void write_npy(const std::string& path, const Tensor& tensor) {
  std::string shape = "(";
  for (std::size_t i = 0; i < tensor.dim(); ++i) shape += (i ? ", " : "") + std::to_string(tensor.shape()[i]);
  shape += tensor.dim() == 1 ? ",)" : ")";  // NumPy writes a 1-tuple as (n,)
  std::string header = std::string("{'descr': '") + (tensor.dtype() == DType::float32 ? "<f4" : "<f8") +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  Bytes b(kMagic, kMagic + 6);
  b.push_back(1);
  b.push_back(0);
  b.push_back(static_cast<std::uint8_t>(header.size() & 0xff));
  b.push_back(static_cast<std::uint8_t>(header.size() >> 8));
  b.insert(b.end(), header.begin(), header.end());
  tensor.visit([&](const auto& a) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(a.data());
    b.insert(b.end(), p, p + a.size() * sizeof(*a.data()));
  });
  write_file(path, b);
}

}  // namespace xgrad::nn::data
