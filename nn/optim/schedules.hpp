#pragma once
// Learning-rate schedules, Deeplearning4j's ISchedule family. Each gives the value at (iteration, epoch)
// of its ScheduleType's counter i (iterations and epochs count from 0):
//   Fixed        v
//   Step         v0 * decay_rate ^ floor(i / step)
//   Exponential  v0 * gamma ^ i
//   Inverse      v0 / (1 + gamma * i) ^ power
//   Poly         v0 * (1 - i / max_iter) ^ power   (i clamped to max_iter: 0 after the end, as the schedule ends)
//   Sigmoid      v0 / (1 + exp(-gamma * (i - step_size)))
//   Map          value at the largest key <= i (the map must contain key 0)
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace xgrad::nn {

enum class ScheduleType { ITERATION, EPOCH };

class Schedule {
 public:
  explicit Schedule(ScheduleType type) : type_(type) {}
  virtual ~Schedule() = default;
  /// The value at this point of training.
  double value_at(std::size_t iteration, std::size_t epoch) const {
    return value(type_ == ScheduleType::ITERATION ? iteration : epoch);
  }
  ScheduleType type() const { return type_; }
  /// {"type": "Step", "schedule_type": "ITERATION", ...parameters}
  virtual nlohmann::json to_json() const = 0;
  /// Rebuilds any built-in schedule from to_json(); throws InvalidArgument naming a bad type or field.
  static std::shared_ptr<const Schedule> from_json(const nlohmann::json& j);

 protected:
  /// The value at counter i.
  virtual double value(std::size_t i) const = 0;
  nlohmann::json base_json(const char* type) const;

 private:
  ScheduleType type_;
};

class FixedSchedule : public Schedule {
 public:
  explicit FixedSchedule(double value);
  nlohmann::json to_json() const override;

 protected:
  double value(std::size_t i) const override;

 private:
  double value_;
};

class StepSchedule : public Schedule {
 public:
  StepSchedule(ScheduleType type, double initial_value, double decay_rate, double step);
  nlohmann::json to_json() const override;

 protected:
  double value(std::size_t i) const override;

 private:
  double initial_, decay_rate_, step_;
};

class ExponentialSchedule : public Schedule {
 public:
  ExponentialSchedule(ScheduleType type, double initial_value, double gamma);
  nlohmann::json to_json() const override;

 protected:
  double value(std::size_t i) const override;

 private:
  double initial_, gamma_;
};

class InverseSchedule : public Schedule {
 public:
  InverseSchedule(ScheduleType type, double initial_value, double gamma, double power);
  nlohmann::json to_json() const override;

 protected:
  double value(std::size_t i) const override;

 private:
  double initial_, gamma_, power_;
};

class PolySchedule : public Schedule {
 public:
  PolySchedule(ScheduleType type, double initial_value, double power, std::size_t max_iter);
  nlohmann::json to_json() const override;

 protected:
  double value(std::size_t i) const override;

 private:
  double initial_, power_;
  std::size_t max_iter_;
};

class SigmoidSchedule : public Schedule {
 public:
  SigmoidSchedule(ScheduleType type, double initial_value, double gamma, double step_size);
  nlohmann::json to_json() const override;

 protected:
  double value(std::size_t i) const override;

 private:
  double initial_, gamma_, step_size_;
};

class MapSchedule : public Schedule {
 public:
  /// Throws InvalidArgument when `values` has no key 0.
  MapSchedule(ScheduleType type, std::map<std::size_t, double> values);
  nlohmann::json to_json() const override;

 protected:
  double value(std::size_t i) const override;

 private:
  std::map<std::size_t, double> values_;
};

}  // namespace xgrad::nn
