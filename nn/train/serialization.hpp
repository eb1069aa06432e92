#pragma once
// Whole-model files: one file holds the format version, the model's configuration (JSON), every
// parameter by name (float32/float64, raw little-endian), the optimizer's configuration and state, and
// any extra JSON metadata (training state, preprocessing, ...). Layout:
//   bytes 0-7   magic "XGRADMDL"
//   bytes 8-11  format version (u32 LE)          bytes 12-15  CRC-32 (zlib) of the payload
//   bytes 16-23 payload length (u64 LE)          bytes 24-    payload
//   payload = u64 header length, header JSON {"config", "extra", "optimizer", "tensors": [{"name", "group",
//             "dtype", "shape", "offset", "bytes"}]}, then the tensor bytes (offsets relative to the blob).
// Saves are atomic (<path>.tmp, fsync, rename). Loading a truncated, corrupted or mismatched file raises a
// DataError saying which. Any Module works: a Network, a single Layer (e.g. a VariationalAutoencoder).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/tensor.hpp"
#include "nn/module.hpp"
#include "nn/optim/optimizer.hpp"

namespace xgrad::nn {

inline constexpr std::uint32_t kModelFormatVersion = 1;

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

struct LoadedModel {
  std::uint32_t format_version = kModelFormatVersion;
  nlohmann::json config;            // as given to save_model
  NamedTensors parameters;          // in the model's named_parameters() order
  nlohmann::json optimizer_config;  // null when no optimizer was saved
  NamedTensors optimizer_state;     // Optimizer::state()
  nlohmann::json extra;             // null when none

  /// Parameter by name; DataError listing the stored names when absent.
  const Tensor& parameter(const std::string& name) const;
};

/// Writes `model`'s parameters with `config`, the optimizer (config + state, when not null) and `extra`.
void save_model(const std::string& path, const Module& model, const nlohmann::json& config,
                const Optimizer* optimizer = nullptr, const nlohmann::json& extra = nullptr);
/// Reads and verifies a model file (magic, version, length, checksum, tensor table).
LoadedModel load_model(const std::string& path);

/// Copies the loaded parameters into `model` (converted to each parameter's dtype). The names must match
/// exactly and the shapes too; otherwise a DataError lists the missing, unexpected and mis-shaped names.
void load_parameters_into(Module& model, const LoadedModel& loaded);
/// optimizer_from_config(loaded.optimizer_config, params) with load_state(loaded.optimizer_state);
/// DataError when the file holds no optimizer.
std::unique_ptr<Optimizer> restore_optimizer(const LoadedModel& loaded, std::vector<NamedParameter> params);

/// One <name>.npy per parameter in `directory` (created when missing), e.g. "0.W.npy".
void export_parameters_npy(const Module& model, const std::string& directory);
/// Reads <name>.npy for every parameter of `model` (shape must match; dtype converted to the parameter's).
void import_parameters_npy(Module& model, const std::string& directory);

}  // namespace xgrad::nn
