// Model files (nn/train/serialization.hpp) through the trainer's loader: load_model, layer_from_config of the
// stored config, load_parameters_into, then the optimizer and the training metadata. The harness writes the
// payload length and CRC-32 itself (bytes 16-23 and 12-15), so the fuzzer explores the header JSON and the
// tensor table instead of failing the checksum; unit tests cover the length and checksum checks.
#include <zlib.h>

#include "autograd/errors.hpp"
#include "fuzz_support.hpp"
#include "nn/train/serialization.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"

using namespace xgrad;

namespace {
// The header JSON of a framed file, when it parses: a config asking for a huge model is skipped (fuzz_support).
bool huge_model(const std::vector<std::uint8_t>& b) {
  if (b.size() < 32) return false;
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n << 8 | b[24 + i];
  if (n > b.size() - 32) return false;
  const auto header = fuzz::parse_json(b.data() + 32, n);
  return header && header->is_object() && header->contains("config") && !fuzz::numbers_within((*header)["config"], 256);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> b(data, data + size);
  if (b.size() >= 24) {
    const std::uint64_t payload = b.size() - 24;
    for (int i = 0; i < 8; ++i) b[16 + i] = static_cast<std::uint8_t>(payload >> (8 * i));
    const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), b.data() + 24, static_cast<uInt>(payload)));
    for (int i = 0; i < 4; ++i) b[12 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  }
  if (huge_model(b)) return 0;
  const std::string& path = fuzz::input_file(b.data(), b.size(), ".xgrad");
  try {
    const trainer::LoadedVae loaded = trainer::load_vae(path);
    (void)loaded.binarization();
    (void)loaded.epochs_completed();
    if (!loaded.file.optimizer_config.is_null()) {
      try {
        (void)nn::restore_optimizer(loaded.file, loaded.vae->named_parameters());
      } catch (const Error&) {
      }
    }
  } catch (const trainer::InputError&) {
  } catch (const DataError&) {
  }
  return 0;
}
