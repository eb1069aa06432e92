#include "nn/train/serialization.hpp"

#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <map>

#include "autograd/errors.hpp"
#include "nn/data/file_io.hpp"
#include "nn/data/npy.hpp"
#include "nn/optim/optimizers.hpp"
#include "nn/config_fields.hpp"

namespace xgrad::nn {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "model files store tensors little-endian");

using data::Bytes;

namespace {
constexpr char kMagic[8] = {'X', 'G', 'R', 'A', 'D', 'M', 'D', 'L'};
constexpr std::size_t kFixedHeader = 24;

std::uint32_t crc_of(const std::uint8_t* p, std::size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (n > 0) {  // zlib takes uInt lengths
    const uInt chunk = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    crc = crc32(crc, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

void append_tensor(Bytes& blob, nlohmann::json& table, const std::string& name, const char* group, const Tensor& t) {
  const std::size_t offset = blob.size();
  const std::size_t item = t.dtype() == DType::float32 ? 4 : 8;
  t.visit([&](const auto& a) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(a.data());
    blob.insert(blob.end(), p, p + a.size() * item);
  });
  table.push_back({{"name", name},
                   {"group", group},
                   {"dtype", dtype_name(t.dtype())},
                   {"shape", std::vector<std::size_t>(t.shape().begin(), t.shape().end())},
                   {"offset", offset},
                   {"bytes", blob.size() - offset}});
}

std::string shape_of(const std::vector<std::size_t>& s) {
  return shape_string(Shape(s.begin(), s.end()));
}
}  // namespace

const Tensor& LoadedModel::parameter(const std::string& name) const {
  for (auto& [n, t] : parameters)
    if (n == name) return t;
  std::string known;
  for (auto& [n, t] : parameters) known += (known.empty() ? "" : ", ") + n;
  throw DataError("LoadedModel::parameter: no parameter '" + name + "' (stored: " + known + ")");
}

void save_model(const std::string& path, const Module& model, const nlohmann::json& config, const Optimizer* optimizer,
                const nlohmann::json& extra) {
  Bytes blob;
  nlohmann::json table = nlohmann::json::array();
  for (const auto& p : model.named_parameters()) append_tensor(blob, table, p.name, "parameter", p.variable.value());
  nlohmann::json opt = nullptr;
  if (optimizer) {
    for (const auto& [name, t] : optimizer->state()) append_tensor(blob, table, name, "optimizer", t);
    opt = optimizer->config();
  }
  const nlohmann::json header{{"config", config}, {"extra", extra}, {"optimizer", opt}, {"tensors", table}};
  const std::string text = header.dump();

  Bytes file(kMagic, kMagic + 8);
  data::append_le32(file, kModelFormatVersion);
  data::append_le32(file, 0);  // CRC, patched below
  const std::size_t header_len = text.size();
  const std::size_t payload_len = 8 + header_len + blob.size();
  data::append_le64(file, payload_len);
  file.reserve(kFixedHeader + payload_len);
  data::append_le64(file, header_len);
  file.insert(file.end(), text.begin(), text.end());
  file.insert(file.end(), blob.begin(), blob.end());
  const std::uint32_t crc = crc_of(file.data() + kFixedHeader, payload_len);
  for (int i = 0; i < 4; ++i) file[12 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  data::atomic_write(path, file);
}

LoadedModel load_model(const std::string& path) {
  const Bytes b = data::read_file(path);
  const std::string where = "load_model: " + path + ": ";
  if (b.size() < kFixedHeader)
    throw DataError(where + "truncated: the file has " + std::to_string(b.size()) +
                    " bytes, a model file has at least " + std::to_string(kFixedHeader) + " header bytes");
  if (std::memcmp(b.data(), kMagic, 8) != 0)
    throw DataError(where + "byte 0: not an xgrad model file (expected the magic \"XGRADMDL\")");
  LoadedModel m;
  m.format_version = data::read_le32(b, 8);
  if (m.format_version == 0 || m.format_version > kModelFormatVersion)
    throw DataError(where + "byte 8: format version " + std::to_string(m.format_version) +
                    ", this xgrad reads versions 1.." + std::to_string(kModelFormatVersion));
  const std::uint32_t stored_crc = data::read_le32(b, 12);
  const std::uint64_t payload_len = data::read_le64(b, 16);
  const std::size_t have = b.size() - kFixedHeader;
  if (payload_len > have)
    throw DataError(where + "truncated: the header declares " + std::to_string(payload_len) +
                    " payload bytes, the file has " + std::to_string(have) + " (an interrupted copy or download?)");
  if (payload_len < have)
    throw DataError(where + "corrupted: " + std::to_string(have - payload_len) +
                    " unexpected bytes after the declared payload of " + std::to_string(payload_len) + " bytes");
  const std::uint32_t crc = crc_of(b.data() + kFixedHeader, payload_len);
  if (crc != stored_crc)
    throw DataError(where + "corrupted: checksum mismatch (stored " + data::hex32(stored_crc) + ", computed " +
                    data::hex32(crc) + ")");
  // The checksum matched, so what follows can only fail for a file written by another program.
  if (payload_len < 8) throw DataError(where + "corrupted: payload shorter than its header length field");
  const std::uint64_t header_len = data::read_le64(b, kFixedHeader);
  if (header_len > payload_len - 8) throw DataError(where + "corrupted: header length exceeds the payload");
  const std::size_t header_start = kFixedHeader + 8;
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(b.begin() + static_cast<std::ptrdiff_t>(header_start),
                                   b.begin() + static_cast<std::ptrdiff_t>(header_start + header_len));
  } catch (const nlohmann::json::exception& e) {
    throw DataError(where + "corrupted: header JSON does not parse: " + e.what());
  }
  const std::size_t blob_start = header_start + header_len;
  const std::size_t blob_len = b.size() - blob_start;
  try {
    m.config = header.at("config");
    m.extra = header.at("extra");
    m.optimizer_config = header.at("optimizer");
    for (const auto& e : header.at("tensors")) {
      const auto name = e.at("name").get<std::string>();
      const auto group = e.at("group").get<std::string>();
      const auto dt = e.at("dtype").get<std::string>();
      const std::string field = where + "tensor '" + name + "': ";
      const auto shape = sizes_from_json(e.at("shape"), field + "shape");
      const auto offset = size_from_json(e.at("offset"), field + "offset");
      const auto bytes = size_from_json(e.at("bytes"), field + "bytes");
      const DType dtype = dt == "float32" ? DType::float32 : DType::float64;
      if (dt != "float32" && dt != "float64") throw DataError(where + "tensor '" + name + "': unknown dtype " + dt);
      std::size_t count = 1, size = 0;
      for (auto s : shape)
        if (!data::mul_fits(count, s, count)) count = SIZE_MAX;
      const std::size_t item = dtype == DType::float32 ? 4 : 8;
      if (count == SIZE_MAX || !data::mul_fits(count, item, size) || bytes != size || offset > blob_len ||
          bytes > blob_len - offset)
        throw DataError(where + "corrupted: tensor '" + name + "' " + shape_of(shape) + " " + dt + " at offset " +
                        std::to_string(offset) + " with " + std::to_string(bytes) + " bytes does not fit the " +
                        std::to_string(blob_len) + "-byte data block");
      Tensor t = Tensor::empty(Shape(shape.begin(), shape.end()), dtype);
      if (bytes > 0) t.visit([&](auto& a) { std::memcpy(a.data(), b.data() + blob_start + offset, bytes); });
      (group == "optimizer" ? m.optimizer_state : m.parameters).emplace_back(name, std::move(t));
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataError(where + "corrupted: malformed header: " + e.what());
  } catch (const InvalidArgument& e) {  // a size field that is not a non-negative integer (names the file)
    throw DataError(std::string("corrupted: ") + e.what());
  }
  return m;
}

void load_parameters_into(Module& model, const LoadedModel& loaded) {
  std::map<std::string, const Tensor*> stored;
  for (auto& [n, t] : loaded.parameters) stored[n] = &t;
  const auto params = model.named_parameters();
  std::string missing, mis_shaped, unexpected;
  std::map<std::string, bool> wanted;
  for (const auto& p : params) {
    wanted[p.name] = true;
    auto it = stored.find(p.name);
    if (it == stored.end())
      missing += (missing.empty() ? "" : ", ") + p.name + " " + shape_string(p.variable.shape());
    else if (it->second->shape() != p.variable.shape())
      mis_shaped += (mis_shaped.empty() ? "" : ", ") + p.name + " (file " + shape_string(it->second->shape()) +
                    ", model " + shape_string(p.variable.shape()) + ")";
  }
  for (auto& [n, t] : loaded.parameters)
    if (!wanted.count(n)) unexpected += (unexpected.empty() ? "" : ", ") + n + " " + shape_string(t.shape());
  if (!missing.empty() || !mis_shaped.empty() || !unexpected.empty()) {
    std::string msg = "load_parameters_into: the file's parameters do not match the model:";
    if (!missing.empty()) msg += " missing from the file: " + missing + ";";
    if (!unexpected.empty()) msg += " not in the model: " + unexpected + ";";
    if (!mis_shaped.empty()) msg += " wrong shape: " + mis_shaped + ";";
    throw DataError(msg);
  }
  for (const auto& p : params) {
    Variable v = p.variable;
    v.mutable_value() = stored[p.name]->to(v.dtype());
  }
}

std::unique_ptr<Optimizer> restore_optimizer(const LoadedModel& loaded, std::vector<NamedParameter> params) {
  if (loaded.optimizer_config.is_null())
    throw DataError("restore_optimizer: the model file holds no optimizer (saved without one)");
  auto opt = optimizer_from_config(loaded.optimizer_config, std::move(params));
  try {
    opt->load_state(loaded.optimizer_state);
  } catch (const Error& e) {
    throw DataError(std::string("restore_optimizer: the saved optimizer state does not match the model: ") + e.what());
  }
  return opt;
}

void export_parameters_npy(const Module& model, const std::string& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) throw DataError("export_parameters_npy: cannot create " + directory + ": " + ec.message());
  for (const auto& p : model.named_parameters()) data::write_npy(directory + "/" + p.name + ".npy", p.variable.value());
}

void import_parameters_npy(Module& model, const std::string& directory) {
  const auto params = model.named_parameters();
  std::vector<Tensor> values;  // read everything first: a failure leaves the model unchanged
  for (const auto& p : params) {
    const std::string file = directory + "/" + p.name + ".npy";
    if (!std::filesystem::exists(file))
      throw DataError("import_parameters_npy: " + file + " not found (parameter '" + p.name + "' " +
                      shape_string(p.variable.shape()) + ")");
    Tensor t = data::read_npy(file);
    if (t.shape() != p.variable.shape())
      throw DataError("import_parameters_npy: " + file + " holds " + shape_string(t.shape()) + ", parameter '" +
                      p.name + "' is " + shape_string(p.variable.shape()));
    values.push_back(t.to(p.variable.dtype()));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    Variable v = params[i].variable;
    v.mutable_value() = std::move(values[i]);
  }
}

}  // namespace xgrad::nn
