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

Tensor read_npy(const std::string& path) {
  const Bytes b = read_file(path);
  if (b.size() < 10 || std::memcmp(b.data(), kMagic, 6) != 0)
    throw DataError(path + ": byte 0: not an NPY file (expected the magic \\x93NUMPY)");
  const int major = b[6];
  if (major < 1 || major > 3)
    throw DataError(path + ": byte 6: NPY format version " + std::to_string(major) + "." + std::to_string(b[7]) +
                    ", expected 1.x, 2.x or 3.x");
  std::size_t header_len, header_start;
  if (major == 1) {
    header_len = std::size_t(b[8]) | (std::size_t(b[9]) << 8);
    header_start = 10;
  } else {
    if (b.size() < 12) throw DataError(path + ": byte " + std::to_string(b.size()) + ": file ends inside the header");
    header_len = read_le32(b, 8);
    header_start = 12;
  }
  if (b.size() < header_start + header_len)
    throw DataError(path + ": byte " + std::to_string(b.size()) + ": file ends inside the " +
                    std::to_string(header_len) + "-byte header");
  const std::string header(b.begin() + header_start, b.begin() + header_start + header_len);
  const std::string descr = dict_value(path, header, "descr", header_start);
  const std::string fortran = dict_value(path, header, "fortran_order", header_start);
  const Shape shape = parse_shape(path, dict_value(path, header, "shape", header_start), header_start);
  DType dtype;
  if (descr == "'<f4'")
    dtype = DType::float32;
  else if (descr == "'<f8'")
    dtype = DType::float64;
  else
    throw DataError(path + ": byte " + std::to_string(header_start) + ": dtype " + descr +
                    ", expected '<f4' (float32) or '<f8' (float64)");
  if (fortran != "False" && fortran != "True")
    throw DataError(path + ": byte " + std::to_string(header_start) + ": fortran_order " + fortran +
                    ", expected True or False");
  const std::size_t data_start = header_start + header_len;
  const std::size_t item = dtype == DType::float32 ? 4 : 8;
  std::size_t count = 1, bytes = 0;
  for (auto d : shape)
    if (!mul_fits(count, d, count)) count = SIZE_MAX;
  if (count == SIZE_MAX || !mul_fits(count, item, bytes))
    throw DataError(path + ": byte " + std::to_string(header_start) + ": shape " + shape_string(shape) +
                    " has more elements than a file can hold");
  const std::size_t have = b.size() - data_start;
  if (have != bytes)
    throw DataError(path + ": byte " + std::to_string(data_start) + "+" + std::to_string(have) + ": " +
                    (have < bytes ? "file ends after " : "file has ") + std::to_string(have) + " of " +
                    std::to_string(bytes) + " data bytes for shape " + shape_string(shape) + " " + dtype_name(dtype));
  const bool column_major = fortran == "True";
  Shape stored = shape;
  if (column_major) std::reverse(stored.begin(), stored.end());
  Tensor t = Tensor::empty(stored, dtype);
  if (bytes > 0) t.visit([&](auto& a) { std::memcpy(a.data(), b.data() + data_start, bytes); });
  if (column_major && shape.size() > 1) {
    t.visit([&](auto& a) {
      using A = std::decay_t<decltype(a)>;
      A transposed = xt::transpose(a);
      a = std::move(transposed);
    });
  }
  return t;
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
