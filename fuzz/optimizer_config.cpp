// optimizer_from_config (updaters, schedules, gradient normalisation, weight decay): config() round-trips, two
// steps run on a small model, and a second optimizer restores the first one's state().
#include "autograd/errors.hpp"
#include "autograd/xgrad.hpp"
#include "fuzz_support.hpp"
#include "nn/optim/optimizers.hpp"

using namespace xgrad;

namespace {
std::vector<nn::NamedParameter> small_model() {
  return {{"W", parameter(Tensor::from({3, 2}, {0.1, -0.2, 0.3, -0.4, 0.5, -0.6}))},
          {"b", parameter(Tensor::from({2}, {0.01, -0.02}))}};
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto json = fuzz::parse_json(data, size);
  if (!json) return 0;
  try {
    const auto params = small_model();
    const auto opt = nn::optimizer_from_config(*json, params);
    const nlohmann::json config = opt->config();
    if (nn::optimizer_from_config(config, small_model())->config() != config)
      fuzz::fail("config does not round-trip: " + config.dump());
    for (int step = 0; step < 2; ++step) {
      opt->zero_grad();
      sum(square(params[0].variable)).backward();
      sum(params[1].variable).backward();
      opt->step();
    }
    const auto again = nn::optimizer_from_config(config, small_model());
    again->load_state(opt->state());
  } catch (const Error&) {
  }
  return 0;
}
