#pragma once
// OutputLayer, Deeplearning4j's OutputLayer: a Dense layer with a loss function, the supervised head of a
// network. loss(x, labels) = mean_n loss_per_example(loss, labels, preoutput(x), activation) + regularization().
// Defaults: loss MCXENT (DL4J's), activation softmax (DL4J would inherit sigmoid, which does not make MCXENT a
// distribution; DL4J itself warns about that pairing). Registered as layer type "OutputLayer".
#include "nn/layers/dense.hpp"
#include "nn/layers/losses.hpp"

namespace xgrad::nn {

struct OutputLayerOptions : DenseOptions {
  Loss loss = Loss::MCXENT;
  OutputLayerOptions() { activation = Activation{ActivationKind::softmax}; }
  OutputLayerOptions(std::size_t in, std::size_t out, Loss l, Activation act) : OutputLayerOptions() {
    n_in = in;
    n_out = out;
    loss = l;
    activation = act;
  }
};

class OutputLayer : public Dense {
 public:
  explicit OutputLayer(OutputLayerOptions options);
  std::string type_name() const override { return "OutputLayer"; }
  Loss loss_function() const { return loss_; }
  /// Per-example scores [N] (no regularisation). labels must be [N, n_out] (ShapeError otherwise).
  Variable loss_per_example(const Variable& x, const Variable& labels);
  /// Mean per-example score + regularization() (a scalar): the training objective.
  Variable loss(const Variable& x, const Variable& labels);
  nlohmann::json config() const override;
  OutputLayerOptions output_options() const;

 private:
  Loss loss_;
};

}  // namespace xgrad::nn
