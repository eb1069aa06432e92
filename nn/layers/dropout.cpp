#include "nn/layers/dropout.hpp"

#include "autograd/errors.hpp"
#include "autograd/kernels.hpp"
#include "autograd/ops/arithmetic.hpp"

namespace xgrad::nn {

Variable dropout(const Variable& x, double retain, bool training, Generator& gen) {
  if (!(retain >= 0 && retain <= 1))
    throw InvalidArgument("dropout: retain probability must be in [0, 1] (0 = no dropout), got " +
                          std::to_string(retain));
  if (!training || retain == 0 || retain == 1) return x;
  Tensor mask = gen.bernoulli(x.shape(), retain, x.dtype());
  mask = kernels::map(mask, [retain](auto&& m) {
    using T = kernels::value_of<decltype(m)>;
    return m * T(1.0 / retain);
  });
  return mul(x, constant(std::move(mask)));
}

}  // namespace xgrad::nn
