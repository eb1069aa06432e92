#include "nn/optim/schedules.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "autograd/errors.hpp"

namespace xgrad::nn {

namespace {
const char* type_name(ScheduleType t) {
  return t == ScheduleType::ITERATION ? "ITERATION" : "EPOCH";
}

ScheduleType type_from(const nlohmann::json& j) {
  const std::string t = j.value("schedule_type", std::string("ITERATION"));
  if (t == "ITERATION" || t == "iteration") return ScheduleType::ITERATION;
  if (t == "EPOCH" || t == "epoch") return ScheduleType::EPOCH;
  throw InvalidArgument("Schedule::from_json: schedule_type must be ITERATION or EPOCH, got '" + t + "'");
}

double field(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number())
    throw InvalidArgument(std::string("Schedule::from_json: ") + j.value("type", std::string("?")) +
                          " schedule needs a number \"" + key + "\": " + j.dump());
  return j[key].get<double>();
}

void need(bool ok, const std::string& what) {
  if (!ok) throw InvalidArgument(what);
}
}  // namespace

nlohmann::json Schedule::base_json(const char* type) const {
  return {{"type", type}, {"schedule_type", type_name(type_)}};
}

FixedSchedule::FixedSchedule(double value) : Schedule(ScheduleType::ITERATION), value_(value) {}
double FixedSchedule::value(std::size_t) const {
  return value_;
}
nlohmann::json FixedSchedule::to_json() const {
  auto j = base_json("Fixed");
  j["value"] = value_;
  return j;
}

StepSchedule::StepSchedule(ScheduleType type, double initial_value, double decay_rate, double step)
    : Schedule(type), initial_(initial_value), decay_rate_(decay_rate), step_(step) {
  need(step > 0, "StepSchedule: step must be > 0, got " + std::to_string(step));
}
double StepSchedule::value(std::size_t i) const {
  return initial_ * std::pow(decay_rate_, std::floor(static_cast<double>(i) / step_));
}
nlohmann::json StepSchedule::to_json() const {
  auto j = base_json("Step");
  j["initial_value"] = initial_;
  j["decay_rate"] = decay_rate_;
  j["step"] = step_;
  return j;
}

ExponentialSchedule::ExponentialSchedule(ScheduleType type, double initial_value, double gamma)
    : Schedule(type), initial_(initial_value), gamma_(gamma) {}
double ExponentialSchedule::value(std::size_t i) const {
  return initial_ * std::pow(gamma_, static_cast<double>(i));
}
nlohmann::json ExponentialSchedule::to_json() const {
  auto j = base_json("Exponential");
  j["initial_value"] = initial_;
  j["gamma"] = gamma_;
  return j;
}

InverseSchedule::InverseSchedule(ScheduleType type, double initial_value, double gamma, double power)
    : Schedule(type), initial_(initial_value), gamma_(gamma), power_(power) {}
double InverseSchedule::value(std::size_t i) const {
  return initial_ / std::pow(1.0 + gamma_ * static_cast<double>(i), power_);
}
nlohmann::json InverseSchedule::to_json() const {
  auto j = base_json("Inverse");
  j["initial_value"] = initial_;
  j["gamma"] = gamma_;
  j["power"] = power_;
  return j;
}

PolySchedule::PolySchedule(ScheduleType type, double initial_value, double power, std::size_t max_iter)
    : Schedule(type), initial_(initial_value), power_(power), max_iter_(max_iter) {
  need(max_iter >= 1, "PolySchedule: max_iter must be >= 1");
}
double PolySchedule::value(std::size_t i) const {
  const double f = static_cast<double>(std::min(i, max_iter_)) / static_cast<double>(max_iter_);
  return initial_ * std::pow(1.0 - f, power_);
}
nlohmann::json PolySchedule::to_json() const {
  auto j = base_json("Poly");
  j["initial_value"] = initial_;
  j["power"] = power_;
  j["max_iter"] = max_iter_;
  return j;
}

SigmoidSchedule::SigmoidSchedule(ScheduleType type, double initial_value, double gamma, double step_size)
    : Schedule(type), initial_(initial_value), gamma_(gamma), step_size_(step_size) {}
double SigmoidSchedule::value(std::size_t i) const {
  return initial_ / (1.0 + std::exp(-gamma_ * (static_cast<double>(i) - step_size_)));
}
nlohmann::json SigmoidSchedule::to_json() const {
  auto j = base_json("Sigmoid");
  j["initial_value"] = initial_;
  j["gamma"] = gamma_;
  j["step_size"] = step_size_;
  return j;
}

MapSchedule::MapSchedule(ScheduleType type, std::map<std::size_t, double> values)
    : Schedule(type), values_(std::move(values)) {
  need(values_.count(0) == 1, "MapSchedule: the map must contain a value for key 0 (the first iteration/epoch)");
}
double MapSchedule::value(std::size_t i) const {
  auto it = values_.upper_bound(i);
  --it;  // key 0 exists
  return it->second;
}
nlohmann::json MapSchedule::to_json() const {
  auto j = base_json("Map");
  nlohmann::json values = nlohmann::json::object();
  for (const auto& [k, v] : values_) values[std::to_string(k)] = v;
  j["values"] = values;
  return j;
}

std::shared_ptr<const Schedule> Schedule::from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
    throw InvalidArgument("Schedule::from_json: expected an object with a string \"type\", got " + j.dump());
  const std::string type = j["type"].get<std::string>();
  if (type == "Fixed") return std::make_shared<FixedSchedule>(field(j, "value"));
  const ScheduleType st = type_from(j);
  // fields are read in order, so an error names the first missing one
  auto read = [&](std::initializer_list<const char*> keys) {
    std::vector<double> v;
    for (const char* k : keys) v.push_back(field(j, k));
    return v;
  };
  if (type == "Step") {
    const auto v = read({"initial_value", "decay_rate", "step"});
    return std::make_shared<StepSchedule>(st, v[0], v[1], v[2]);
  }
  if (type == "Exponential") {
    const auto v = read({"initial_value", "gamma"});
    return std::make_shared<ExponentialSchedule>(st, v[0], v[1]);
  }
  if (type == "Inverse") {
    const auto v = read({"initial_value", "gamma", "power"});
    return std::make_shared<InverseSchedule>(st, v[0], v[1], v[2]);
  }
  if (type == "Poly") {
    const auto v = read({"initial_value", "power", "max_iter"});
    need(v[2] >= 1, "Schedule::from_json: Poly max_iter must be >= 1");
    return std::make_shared<PolySchedule>(st, v[0], v[1], static_cast<std::size_t>(v[2]));
  }
  if (type == "Sigmoid") {
    const auto v = read({"initial_value", "gamma", "step_size"});
    return std::make_shared<SigmoidSchedule>(st, v[0], v[1], v[2]);
  }
  if (type == "Map") {
    if (!j.contains("values") || !j["values"].is_object())
      throw InvalidArgument("Schedule::from_json: Map schedule needs an object \"values\": " + j.dump());
    std::map<std::size_t, double> values;
    for (const auto& [k, v] : j["values"].items()) {
      std::size_t pos = 0;
      unsigned long key = 0;
      try {
        key = std::stoul(k, &pos);
      } catch (const std::exception&) {
        pos = 0;
      }
      if (pos != k.size() || !v.is_number())
        throw InvalidArgument("Schedule::from_json: Map entry '" + k + "': " + v.dump() +
                              " is not <non-negative integer>: <number>");
      values[key] = v.get<double>();
    }
    return std::make_shared<MapSchedule>(st, std::move(values));
  }
  throw InvalidArgument("Schedule::from_json: unknown schedule type '" + type +
                        "' (known: Fixed, Step, Exponential, Inverse, Poly, Sigmoid, Map)");
}

}  // namespace xgrad::nn
