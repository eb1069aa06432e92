#pragma once
// Inverted dropout with Deeplearning4j's parameter meaning: `retain` is the probability of KEEPING an
// element (DL4J's dropOut(p)); kept elements are scaled by 1/retain, so inference needs no rescaling.
// retain = 0 or 1 means no dropout (DL4J: 0 disables it). Only applied when training.
#include "autograd/random.hpp"
#include "autograd/variable.hpp"

namespace xgrad::nn {

/// x * mask / retain with mask ~ Bernoulli(retain) drawn from gen (training), x otherwise. Differentiable
/// in x (the mask is a constant). Throws InvalidArgument when retain is outside [0, 1].
Variable dropout(const Variable& x, double retain, bool training, Generator& gen);

}  // namespace xgrad::nn
