#include "nn/distributions/composite.hpp"

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/shape.hpp"
#include "nn/config_fields.hpp"
#include "nn/distributions/columns.hpp"

namespace xgrad::nn {

CompositeDistribution::CompositeDistribution(std::vector<std::pair<std::size_t, DistributionPtr>> parts) {
  for (auto& [size, d] : parts) add(size, std::move(d));
}

CompositeDistribution& CompositeDistribution::add(std::size_t size, DistributionPtr distribution) {
  if (size < 1 || !distribution)
    throw InvalidArgument("CompositeDistribution::add: part " + std::to_string(parts_.size()) +
                          " needs a size >= 1 and a distribution, got size " + std::to_string(size) +
                          (distribution ? "" : " and a null distribution"));
  parts_.emplace_back(size, std::move(distribution));
  total_ += size;
  return *this;
}

std::string CompositeDistribution::describe() const {
  std::string s = "composite(";
  for (std::size_t k = 0; k < parts_.size(); ++k)
    s += (k ? ", " : "") + parts_[k].second->describe() + ":" + std::to_string(parts_[k].first);
  return s + ")";
}

void CompositeDistribution::check_parts(const char* where) const {
  if (parts_.empty()) throw InvalidArgument("composite." + std::string(where) + ": the composite has no parts (add)");
}

std::size_t CompositeDistribution::input_size(std::size_t data_size) const {
  check_parts("input_size");
  if (data_size != total_) {
    std::string sizes;
    for (const auto& [size, d] : parts_) sizes += (sizes.empty() ? "" : " + ") + std::to_string(size);
    throw ShapeError(describe() + ": the data has " + std::to_string(data_size) + " columns but the parts add up to " +
                     std::to_string(total_) + " (" + sizes + ")");
  }
  return raw_width();
}

std::size_t CompositeDistribution::raw_width() const {
  std::size_t w = 0;
  for (const auto& [size, d] : parts_) w += d->input_size(size);
  return w;
}

std::vector<Variable> CompositeDistribution::part_log_probs(const Variable& x, const Variable& raw) const {
  check_parts("log_prob");
  check_shapes("log_prob", x.shape(), raw.shape());
  std::vector<Variable> out;
  long col = 0, rcol = 0;
  for (const auto& [size, d] : parts_) {
    const long width = static_cast<long>(d->input_size(size));
    out.push_back(d->log_prob(slice(x, 1, col, col + static_cast<long>(size)), slice(raw, 1, rcol, rcol + width)));
    col += static_cast<long>(size);
    rcol += width;
  }
  return out;
}

Variable CompositeDistribution::log_prob(const Variable& x, const Variable& raw) const {
  const std::vector<Variable> terms = part_log_probs(x, raw);
  Variable total = terms[0];
  for (std::size_t k = 1; k < terms.size(); ++k) total = total + terms[k];
  return total;
}

template <class F>
Tensor CompositeDistribution::side_by_side(const char* where, const Tensor& raw, F part_result) const {
  check_parts(where);
  if (raw.dim() != 2 || raw.shape()[1] != raw_width())
    throw ShapeError(describe() + "." + where + ": raw must be [N, " + std::to_string(raw_width()) + "], got " +
                     shape_string(raw.shape()));
  Tensor out = Tensor::empty(Shape{raw.shape()[0], total_}, raw.dtype());
  std::size_t col = 0, rcol = 0;
  for (const auto& [size, d] : parts_) {
    const std::size_t width = d->input_size(size);
    put_columns(out, col, part_result(*d, take_columns(raw, rcol, rcol + width)));
    col += size;
    rcol += width;
  }
  return out;
}

Tensor CompositeDistribution::mean(const Tensor& raw) const {
  return side_by_side("mean", raw, [](const ReconstructionDistribution& d, const Tensor& r) { return d.mean(r); });
}

Tensor CompositeDistribution::sample(const Tensor& raw, Generator& gen) const {
  return side_by_side("sample", raw,
                      [&gen](const ReconstructionDistribution& d, const Tensor& r) { return d.sample(r, gen); });
}

void CompositeDistribution::validate(const Tensor& x, std::size_t first_column) const {
  check_parts("validate");
  if (x.dim() != 2 || x.shape()[1] != total_)
    throw ShapeError(describe() + ".validate: x must be [N, " + std::to_string(total_) + "], got " +
                     shape_string(x.shape()));
  std::size_t col = 0;
  for (const auto& [size, d] : parts_) {
    d->validate(take_columns(x, col, col + size), first_column + col);
    col += size;
  }
}

bool CompositeDistribution::has_loss_function() const {
  for (const auto& [size, d] : parts_)
    if (!d->has_loss_function()) return false;
  return !parts_.empty();
}

nlohmann::json CompositeDistribution::config() const {
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& [size, d] : parts_) parts.push_back({{"size", size}, {"distribution", d->config()}});
  return {{"type", name()}, {"parts", parts}};
}

namespace {
const bool registered = [] {
  register_distribution("composite", [](const nlohmann::json& j) -> DistributionPtr {
    if (!j.contains("parts") || !j["parts"].is_array() || j["parts"].empty())
      throw InvalidArgument("distribution_from_config: composite needs a non-empty \"parts\" array, got " + j.dump());
    auto c = std::make_shared<CompositeDistribution>();
    for (const auto& p : j["parts"]) {
      if (!p.contains("size") || !p.contains("distribution"))
        throw InvalidArgument(
            "distribution_from_config: each composite part needs \"size\" and \"distribution\", got " + p.dump());
      c->add(size_from_json(p["size"], "distribution_from_config: composite part \"size\""),
             distribution_from_config(p["distribution"]));
    }
    return c;
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
