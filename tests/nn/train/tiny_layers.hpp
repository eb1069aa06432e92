#pragma once
// Test-only layers for the network tests: TinyAutoEncoder, a pretrainable layer
//   forward(x) = tanh(x W + b)                       (the encoder, W [n_in, n_out], b [n_out])
//   pretrain_loss(x) = mean_n sum_k (tanh(x W + b) D - x)^2_nk     (D [n_out, n_in], pretrain-only)
// registered as layer type "TinyAutoEncoder".
#include "autograd/xgrad.hpp"
#include "nn/layers/layer.hpp"

namespace xgrad::test {

class TinyAutoEncoder : public nn::Layer {
 public:
  TinyAutoEncoder(std::size_t n_in, std::size_t n_out, std::uint64_t seed) : n_in_(n_in), n_out_(n_out) {
    Generator g(seed);
    W_ = register_parameter("W", g.uniform({n_in, n_out}, -0.5, 0.5));
    b_ = register_parameter("b", Tensor::zeros({n_out}));
    D_ = register_parameter("D", g.uniform({n_out, n_in}, -0.5, 0.5));
    this->seed(seed);
  }
  std::string type_name() const override { return "TinyAutoEncoder"; }
  Variable forward(const Variable& x) override { return tanh(dense(x, W_, b_)); }
  std::size_t n_in() const override { return n_in_; }
  std::size_t n_out() const override { return n_out_; }
  bool is_pretrainable() const override { return true; }
  Variable pretrain_loss(const Variable& x) override {
    Variable r = matmul(forward(x), D_) - x;
    return mean(sum(square(r), 1));
  }
  std::vector<std::string> pretrain_only_parameters() const override { return {"D"}; }
  nlohmann::json config() const override { return {{"type", "TinyAutoEncoder"}, {"n_in", n_in_}, {"n_out", n_out_}}; }
  static void register_type() {
    nn::register_layer_type("TinyAutoEncoder", [](const nlohmann::json& j) {
      return std::make_shared<TinyAutoEncoder>(j.at("n_in").get<std::size_t>(), j.at("n_out").get<std::size_t>(), 0);
    });
  }

 private:
  std::size_t n_in_, n_out_;
  Variable W_, b_, D_;
};

}  // namespace xgrad::test

namespace xgrad::test {

/// Identity layer that records, at every forward, whether it was in training mode and whether the
/// tape was recording. Registered as "ModeProbe".
class ModeProbe : public nn::Layer {
 public:
  explicit ModeProbe(std::size_t n) : n_(n) {}
  std::string type_name() const override { return "ModeProbe"; }
  Variable forward(const Variable& x) override {
    training_seen.push_back(is_training());
    grad_seen.push_back(grad_enabled());
    return x;
  }
  std::size_t n_in() const override { return n_; }
  std::size_t n_out() const override { return n_; }
  nlohmann::json config() const override { return {{"type", "ModeProbe"}, {"n", n_}}; }
  std::vector<bool> training_seen, grad_seen;

 private:
  std::size_t n_;
};

}  // namespace xgrad::test
