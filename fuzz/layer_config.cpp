// layer_from_config: a built layer's config() rebuilds a layer with the same config(), and the layer runs a
// forward pass on a [2, n_in] batch of its dtype.
#include "autograd/errors.hpp"
#include "autograd/xgrad.hpp"
#include "fuzz_support.hpp"
#include "nn/layers/layer.hpp"

using namespace xgrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto json = fuzz::parse_json(data, size);
  if (!json || !fuzz::numbers_within(*json, 256)) return 0;
  try {
    const auto layer = nn::layer_from_config(*json);
    const nlohmann::json config = layer->config();
    if (nn::layer_from_config(config)->config() != config) fuzz::fail("config does not round-trip: " + config.dump());
    const auto params = layer->parameters();
    const DType dtype = params.empty() ? DType::float32 : params.front().dtype();
    const Variable y = layer->forward(constant(Tensor::full({2, layer->n_in()}, 0.5, dtype)));
    if (y.shape() != Shape({2, layer->n_out()})) fuzz::fail("forward shape != [2, n_out] for " + config.dump());
  } catch (const Error&) {
  }
  return 0;
}
