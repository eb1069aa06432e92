#include "nn/layers/output_layer.hpp"

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"

namespace xgrad::nn {

OutputLayer::OutputLayer(OutputLayerOptions options) : Dense(static_cast<DenseOptions>(options)), loss_(options.loss) {}

Variable OutputLayer::loss_per_example(const Variable& x, const Variable& labels) {
  check_input("loss", x);
  if (labels.dim() != 2 || labels.shape()[0] != x.shape()[0] || labels.shape()[1] != n_out())
    throw ShapeError("OutputLayer(n_in=" + std::to_string(n_in()) + ", n_out=" + std::to_string(n_out()) +
                     ", loss=" + loss_name(loss_) + ")::loss: labels " + shape_string(labels.shape()) + " must be [" +
                     std::to_string(x.shape()[0]) + ", " + std::to_string(n_out()) + "] for input " +
                     shape_string(x.shape()));
  return nn::loss_per_example(loss_, labels, preoutput(x), activation());
}

Variable OutputLayer::loss(const Variable& x, const Variable& labels) {
  Variable score = mean(loss_per_example(x, labels));
  return options_.reg.any() ? add(score, regularization()) : score;
}

OutputLayerOptions OutputLayer::output_options() const {
  OutputLayerOptions o;
  static_cast<DenseOptions&>(o) = options_;
  o.loss = loss_;
  return o;
}

nlohmann::json OutputLayer::config() const {
  nlohmann::json j = Dense::config();
  j["loss"] = loss_name(loss_);
  return j;
}

namespace {
const bool registered = [] {
  register_layer_type("OutputLayer", [](const nlohmann::json& j) {
    OutputLayerOptions o;
    static_cast<DenseOptions&>(o) = DenseOptions::read(j);
    if (!j.contains("activation")) o.activation = Activation{ActivationKind::softmax};
    if (j.contains("loss")) o.loss = loss_from_name(j["loss"].get<std::string>());
    return std::make_shared<OutputLayer>(o);
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
