#pragma once
// JSON form of an Activation: the DL4J name as a string ("relu"), or an object {"name": "leakyrelu",
// "alpha": 0.2} when a parameter differs from that activation's DL4J default.
#include <nlohmann/json.hpp>

#include "autograd/activation.hpp"

namespace xgrad::nn {

nlohmann::json activation_to_json(const Activation& activation);
/// Accepts a name string or the object form; throws InvalidArgument for unknown names or fields.
Activation activation_from_json(const nlohmann::json& j);

}  // namespace xgrad::nn
