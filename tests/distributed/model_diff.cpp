// xgrad_model_diff A B [TOLERANCE]: the largest absolute and relative (|a-b| / max(|a|, 1e-3)) difference between the
// parameters of two model files with the same parameter names and shapes (and where the largest absolute one is);
// "identical" when every bit agrees.
// Exit status 0 when the largest absolute difference is <= TOLERANCE (default 0: bit-identical), 1 otherwise,
// 2 for unusable input (files that cannot be read or do not hold the same parameters).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "nn/train/serialization.hpp"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: xgrad_model_diff A B [TOLERANCE]\n");
    return 2;
  }
  try {
    const double tolerance = argc == 4 ? std::stod(argv[3]) : 0.0;
    const auto a = xgrad::nn::load_model(argv[1]), b = xgrad::nn::load_model(argv[2]);
    if (a.parameters.size() != b.parameters.size()) throw std::runtime_error("the models have different parameters");
    double max_abs = 0, max_rel = 0;
    std::string worst;  // where max_abs is: name[flat index] and both values
    bool identical = true;
    std::size_t count = 0;
    for (std::size_t k = 0; k < a.parameters.size(); ++k) {
      const auto& [name, ta] = a.parameters[k];
      const auto& tb = b.parameters[k].second;
      if (name != b.parameters[k].first || ta.shape() != tb.shape())
        throw std::runtime_error("parameter " + std::to_string(k) + " is '" + name + "' " +
                                 xgrad::shape_string(ta.shape()) + " in A but '" + b.parameters[k].first + "' " +
                                 xgrad::shape_string(tb.shape()) + " in B");
      const auto va = ta.to_vector(), vb = tb.to_vector();
      for (std::size_t i = 0; i < va.size(); ++i) {
        const double d = std::abs(va[i] - vb[i]);
        identical = identical && va[i] == vb[i];
        if (d > max_abs) {
          max_abs = d;
          worst = name + "[" + std::to_string(i) + "]: " + std::to_string(va[i]) + " vs " + std::to_string(vb[i]);
        }
        max_rel = std::max(max_rel, d / std::max(std::abs(va[i]), 1e-3));
      }
      count += va.size();
    }
    if (identical)
      std::printf("identical (%zu parameters)\n", count);
    else
      std::printf("max abs diff %.3g (at %s), max rel diff %.3g over %zu parameters\n", max_abs, worst.c_str(), max_rel,
                  count);
    return max_abs <= tolerance ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xgrad_model_diff: %s\n", e.what());
    return 2;
  }
}
