// distribution_from_config: config() round-trips, and log_prob of the distribution's own mean (which lies in
// its support) runs on a [2, D] batch, D the sum of a composite's part sizes (4 otherwise).
#include "autograd/errors.hpp"
#include "autograd/xgrad.hpp"
#include "fuzz_support.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"

using namespace xgrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto json = fuzz::parse_json(data, size);
  if (!json || !fuzz::numbers_within(*json, 256)) return 0;
  try {
    const auto d = nn::distribution_from_config(*json);
    const nlohmann::json config = d->config();
    if (nn::distribution_from_config(config)->config() != config)
      fuzz::fail("config does not round-trip: " + config.dump());
    std::size_t columns = 0;
    for (const auto& part : d->parts()) columns += part.first;
    if (columns == 0) columns = 4;
    const Tensor raw = Tensor::full({2, d->input_size(columns)}, 0.25, DType::float64);
    const Tensor mean = d->mean(raw);
    if (mean.shape() != Shape({2, columns})) fuzz::fail("mean shape != [2, D] for " + config.dump());
    const Variable lp = d->log_prob(constant(mean), constant(raw));
    if (lp.shape() != Shape({2})) fuzz::fail("log_prob shape != [2] for " + config.dump());
  } catch (const Error&) {
  }
  return 0;
}
