#pragma once
// Shared checks of the CNN layer tests: float64 gradient checks of a layer's input and parameters through
// sum(R * forward(x)), and the config JSON round trip.
#include "nn/layers/layer.hpp"
#include "nn/module_gradcheck.hpp"
#include "test_helpers.hpp"

namespace xgrad::test {

/// d/dx (as a gradcheck input) and d/dp for every parameter in `params` (all when empty) of sum(R * forward(x)).
inline void check_layer_gradients(nn::Layer& layer, const Tensor& x, const std::vector<std::string>& params = {}) {
  const Shape out = layer.forward(constant(x)).shape();
  const Tensor r = random_tensor(out, 99, 0.5, 1.5);
  auto fx = [&](const std::vector<Variable>& in) { return layer.forward(in[0]); };
  XGRAD_CHECK_GRADIENT(fx, std::vector<Tensor>{x});
  if (layer.parameters().empty()) return;
  const Variable xc = constant(x);
  auto loss = [&] { return sum(layer.forward(xc) * constant(r)); };
  const auto res = nn::gradcheck_module(layer, loss, {}, params);
  BOOST_TEST(res.ok, res.message);
  BOOST_TEST(res.checked > 0u);
}

/// layer_from_config(config()) gives a layer of the same type, config, shapes and parameter shapes.
inline std::shared_ptr<nn::Layer> check_config_round_trip(const nn::Layer& layer) {
  const nlohmann::json j = layer.config();
  const auto back = nn::layer_from_config(nlohmann::json::parse(j.dump()));
  BOOST_TEST(back->type_name() == layer.type_name());
  BOOST_TEST(back->config() == j, back->config().dump() << " vs " << j.dump());
  BOOST_TEST((back->input_shape() == layer.input_shape()));
  BOOST_TEST((back->output_shape() == layer.output_shape()));
  const auto a = layer.named_parameters(), b = back->named_parameters();
  BOOST_REQUIRE_EQUAL(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(a[i].name == b[i].name);
    BOOST_TEST((a[i].variable.shape() == b[i].variable.shape()));
  }
  return back;
}

}  // namespace xgrad::test
