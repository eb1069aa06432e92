#include "trainer/validators.hpp"

#include <cmath>
#include <cstdio>

#include "autograd/activation.hpp"
#include "nn/layers/init.hpp"
#include "nn/optim/optimizers.hpp"
#include "trainer/distribution_spec.hpp"

namespace xgrad::trainer {
namespace {

std::string num(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

CLI::Validator numeric(double lo, double hi, bool open_low) {
  const std::string range = std::isinf(hi) ? (open_low ? "greater than " : "at least ") + num(lo)
                                           : (open_low ? "(" : "[") + num(lo) + ", " + num(hi) + "]";
  return CLI::Validator(
      [lo, hi, open_low, range](std::string& input) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(input, v) || !std::isfinite(v))
          return "'" + input + "' is not a number (allowed: " + range + ")";
        if (open_low ? !(v > lo) : !(v >= lo)) return "value " + input + " is out of range (allowed: " + range + ")";
        if (v > hi) return "value " + input + " is out of range (allowed: " + range + ")";
        return {};
      },
      std::isinf(hi) ? (open_low ? "> " : ">= ") + num(lo) : range);
}

}  // namespace

CLI::Validator in_range(double lo, double hi) {
  return numeric(lo, hi, false);
}
CLI::Validator above(double lo, double hi) {
  return numeric(lo, hi, true);
}

CLI::Validator one_of(const std::vector<std::string>& choices) {
  return CLI::Validator(
      [choices](std::string& input) -> std::string {
        for (const auto& c : choices)
          if (c == input) return {};
        return "'" + input + "' is not one of: " + join(choices);
      },
      "{" + join(choices) + "}");
}

CLI::Validator activation_name() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        try {
          Activation::from_name(input);
          return {};
        } catch (const std::exception&) {
          return "'" + input + "' is not an activation; allowed: " + join(activation_names());
        }
      },
      "ACTIVATION");
}

CLI::Validator weight_init_name() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        try {
          nn::WeightInitConfig::from_name(input);
          return {};
        } catch (const std::exception& e) {
          return e.what();
        }
      },
      "WEIGHTINIT");
}

CLI::Validator optimizer_name() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        std::string lower;
        for (char c : input) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::vector<std::string> known = nn::registered_optimizer_types();
        for (const auto& k : known) {
          std::string kl;
          for (char c : k) kl += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (kl == lower) return {};
        }
        return "'" + input + "' is not an optimizer; allowed: " + join(known);
      },
      "OPTIMIZER");
}

CLI::Validator distribution_spec(std::size_t data_columns, CLI::App* command) {
  return CLI::Validator(
      [data_columns, command](std::string& input) -> std::string {
        try {
          const CLI::Option* data = command ? command->get_option_no_throw("--data") : nullptr;
          if (data != nullptr && data->count() > 0)
            parse_distribution_spec(input);
          else
            make_distribution(input, data_columns);
          return {};
        } catch (const std::exception& e) {
          return e.what();
        }
      },
      "SPEC");
}

}  // namespace xgrad::trainer
