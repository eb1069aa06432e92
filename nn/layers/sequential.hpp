#pragma once
// Sequential: an ordered stack of layers (children named "0", "1", ...; parameters "0.W", "0.b", ...),
// itself a Layer: forward applies them in order, n_in/n_out are the first/last layer's, regularization()
// sums theirs. Registered as layer type "Sequential" ({"type": "Sequential", "layers": [...]}).
#include <memory>
#include <vector>

#include "nn/layers/layer.hpp"

namespace xgrad::nn {

class Sequential : public Layer {
 public:
  Sequential() = default;
  explicit Sequential(std::vector<std::shared_ptr<Layer>> layers);
  /// Appends a layer; throws ShapeError when its n_in differs from the previous layer's n_out (naming both).
  Sequential& add(std::shared_ptr<Layer> layer);

  std::string type_name() const override { return "Sequential"; }
  /// Throws InvalidArgument when empty.
  Variable forward(const Variable& x) override;
  std::size_t n_in() const override;
  std::size_t n_out() const override;
  Variable regularization() const override;
  nlohmann::json config() const override;

  std::size_t size() const { return layers_.size(); }
  bool empty() const { return layers_.empty(); }
  /// Layer i; throws InvalidArgument when out of range.
  const std::shared_ptr<Layer>& layer(std::size_t i) const;
  const std::vector<std::shared_ptr<Layer>>& layers() const { return layers_; }

 private:
  std::vector<std::shared_ptr<Layer>> layers_;
};

}  // namespace xgrad::nn
