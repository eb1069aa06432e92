#include "nn/layers/subsampling.hpp"

#include <algorithm>
#include <cctype>

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/pooling.hpp"

namespace xgrad::nn {

std::string pooling_type_name(PoolingType type) {
  switch (type) {
  case PoolingType::MAX:
    return "MAX";
  case PoolingType::AVG:
    return "AVG";
  case PoolingType::SUM:
    return "SUM";
  case PoolingType::PNORM:
    return "PNORM";
  }
  return "?";
}

PoolingType pooling_type_from_name(const std::string &name) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) {
    return static_cast<char>(std::toupper(c));
  });
  for (PoolingType t : {PoolingType::MAX, PoolingType::AVG, PoolingType::SUM,
                        PoolingType::PNORM})
    if (pooling_type_name(t) == n)
      return t;
  throw InvalidArgument("SubsamplingLayer: unknown pooling_type '" + name +
                        "' (known: MAX, AVG, SUM, PNORM)");
}

Window2d SubsamplingOptions::default_window() {
  Window2d w;
  w.kernel = {1, 1};
  w.stride = {2, 2};
  return w;
}

void SubsamplingOptions::validate(const std::string &where) const {
  input.validate(where);
  window.validate(where);
  if (pooling_type == PoolingType::PNORM && pnorm < 1)
    throw InvalidArgument(where +
                          ": pooling_type PNORM needs pnorm >= 1, got " +
                          std::to_string(pnorm));
}

void SubsamplingOptions::write(nlohmann::json &j) const {
  j["input"] = input.to_json();
  j["pooling_type"] = pooling_type_name(pooling_type);
  window.write(j);
  j["pnorm"] = pnorm;
  j["avg_pool_include_pad_in_divisor"] = avg_pool_include_pad_in_divisor;
}

SubsamplingOptions SubsamplingOptions::read(const nlohmann::json &j) {
  SubsamplingOptions o;
  o.input = ImageShape::from_json(config_field(j, "input"));
  if (j.contains("pooling_type"))
    o.pooling_type =
        pooling_type_from_name(j["pooling_type"].get<std::string>());
  o.window = Window2d::read(j, default_window());
  o.pnorm = j.value("pnorm", std::size_t{0});
  o.avg_pool_include_pad_in_divisor =
      j.value("avg_pool_include_pad_in_divisor", false);
  return o;
}

SubsamplingLayer::SubsamplingLayer(SubsamplingOptions options)
    : options_(std::move(options)) {
  options_.validate(type_name());
  const Size2 out = options_.window.output_size(
      type_name(), {options_.input.height, options_.input.width});
  output_ = {options_.input.channels, out[0], out[1]};
}

Variable SubsamplingLayer::forward(const Variable &x) {
  check_image_input(type_name(), "forward", x, options_.input);
  const Window2d &w = options_.window;
  const ResolvedPadding pad =
      w.resolve({options_.input.height, options_.input.width});
  Pool2dOptions o;
  o.kernel = w.kernel;
  o.stride = w.stride;
  o.padding = pad.padding;
  o.extra_end_padding = pad.extra_end_padding;
  o.dilation = w.dilation;
  o.count_include_pad = options_.avg_pool_include_pad_in_divisor;
  switch (options_.pooling_type) {
  case PoolingType::MAX:
    return max_pool2d(x, o);
  case PoolingType::AVG:
    return avg_pool2d(x, o);
  case PoolingType::SUM:
    // The padded-input divisor is the window area: the mean times the area is
    // the sum of the cells inside x.
    o.count_include_pad = true;
    return mul_scalar(avg_pool2d(x, o),
                      static_cast<double>(w.kernel[0] * w.kernel[1]));
  case PoolingType::PNORM:
    return pnorm_pool2d(x, static_cast<double>(options_.pnorm), o);
  }
  throw InvalidArgument("SubsamplingLayer::forward: unknown pooling type");
}

nlohmann::json SubsamplingLayer::config() const {
  nlohmann::json j{{"type", type_name()}};
  options_.write(j);
  return j;
}

namespace {
const bool registered = [] {
  register_layer_type("SubsamplingLayer", [](const nlohmann::json &j) {
    return std::make_shared<SubsamplingLayer>(SubsamplingOptions::read(j));
  });
  return true;
}();
} // namespace

} // namespace xgrad::nn
