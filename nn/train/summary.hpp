#pragma once
// summary(module): a text table like Deeplearning4j's MultiLayerNetwork.summary(): one row per direct child
// (or one row for a module without children): name (type), nIn,nOut (layers), parameter count, parameter
// shapes ("W:{784,256}, b:{256}"), the per-example output shape (layers: "{256}", "{32,24,24}"); then total,
// trainable and frozen parameter counts.
#include <string>

#include "nn/module.hpp"

namespace xgrad::nn {

std::string summary(const Module& module);

}  // namespace xgrad::nn
