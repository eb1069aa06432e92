#include "nn/distributions/loss_wrapper.hpp"

#include "autograd/ops/arithmetic.hpp"

namespace xgrad::nn {

Variable LossFunctionWrapper::log_prob(const Variable& x, const Variable& raw) const {
  check_shapes("log_prob", x.shape(), raw.shape());
  return -loss_per_example(loss_, x, raw, activation_);
}

nlohmann::json LossFunctionWrapper::config() const {
  return {{"type", name()}, {"activation", activation_to_json(activation_)}, {"loss", loss_name(loss_)}};
}

namespace {
const bool registered = [] {
  register_distribution("loss_function", [](const nlohmann::json& j) -> DistributionPtr {
    if (!j.contains("activation") || !j.contains("loss"))
      throw InvalidArgument("distribution_from_config: loss_function needs \"activation\" and \"loss\", got " +
                            j.dump());
    return std::make_shared<LossFunctionWrapper>(activation_from_json(j["activation"]),
                                                 loss_from_name(j["loss"].get<std::string>()));
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
