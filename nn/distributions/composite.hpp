#pragma once
// CompositeDistribution (DL4J's CompositeReconstructionDistribution): consecutive column ranges of the data,
// each modelled by its own distribution, e.g. 2 Gaussian columns, then 5 Bernoulli, then a 3-way categorical:
//   CompositeDistribution().add(2, gaussian).add(5, bernoulli).add(3, categorical)
// For data x [N, D] with D = the sum of the part sizes, raw [N, sum_k input_size_k(size_k)] is split the same
// way (part k's raw columns follow part k-1's); log p(x|raw) = sum_k log p_k(x_k | raw_k) (part_log_probs gives
// each term); mean and sample are the parts' side by side. A loss-function composite (has_loss_function) is
// one made only of loss functions, as in DL4J.
#include <utility>
#include <vector>

#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

class CompositeDistribution : public ReconstructionDistribution {
 public:
  CompositeDistribution() = default;
  /// Parts in column order: (number of data columns, distribution).
  explicit CompositeDistribution(std::vector<std::pair<std::size_t, DistributionPtr>> parts);
  /// DL4J's addDistribution(size, distribution): the next `size` data columns. Size >= 1, non-null.
  CompositeDistribution& add(std::size_t size, DistributionPtr distribution);
  /// The data width D the parts add up to.
  std::size_t data_size() const { return total_; }

  std::string name() const override { return "composite"; }
  std::string describe() const override;
  /// Throws ShapeError unless data_size == the sum of the part sizes.
  std::size_t input_size(std::size_t data_size) const override;
  Variable log_prob(const Variable& x, const Variable& raw) const override;
  /// log p_k(x_k | raw_k) of every part, each [N], in part order.
  std::vector<Variable> part_log_probs(const Variable& x, const Variable& raw) const;
  Tensor mean(const Tensor& raw) const override;
  Tensor sample(const Tensor& raw, Generator& gen) const override;
  /// Each part validates its own columns (columns reported in the composite's numbering).
  void validate(const Tensor& x, std::size_t first_column = 0) const override;
  bool has_loss_function() const override;
  nlohmann::json config() const override;
  std::vector<std::pair<std::size_t, DistributionPtr>> parts() const override { return parts_; }

 private:
  void check_parts(const char* where) const;
  std::size_t raw_width() const;
  // the parts' results on their raw columns, side by side in their data columns: [N, data_size()]
  template <class F>
  Tensor side_by_side(const char* where, const Tensor& raw, F part_result) const;
  std::vector<std::pair<std::size_t, DistributionPtr>> parts_;
  std::size_t total_ = 0;
};

}  // namespace xgrad::nn
