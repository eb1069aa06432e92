#pragma once
// CLI11 validators whose messages state the allowed values: numeric ranges ("allowed: 1 to 100000"),
// DL4J activation names, weight initialisers, optimizer types and distribution specs. The same checks
// run on values read from a --config JSON file.
#include <limits>
#include <string>

#include <CLI/CLI.hpp>

namespace xgrad::trainer {

/// Accepts numbers in [lo, hi]; the message names the value and the range (hi = +inf: "at least lo").
CLI::Validator in_range(double lo, double hi = std::numeric_limits<double>::infinity());
/// Accepts numbers in (lo, hi].
CLI::Validator above(double lo, double hi = std::numeric_limits<double>::infinity());
/// One of `choices` (exact); the message lists them.
CLI::Validator one_of(const std::vector<std::string>& choices);
/// A DL4J activation name (autograd/activation.hpp).
CLI::Validator activation_name();
/// A DL4J weight initialiser name (nn/layers/init.hpp).
CLI::Validator weight_init_name();
/// A registered optimizer type (nn/optim/optimizers.hpp), case-insensitive.
CLI::Validator optimizer_name();
/// A distribution spec (distribution_spec.hpp) for `data_columns` columns; when `command` has a --data option
/// that was given, only the syntax is checked here (the width is known once the data is read).
CLI::Validator distribution_spec(std::size_t data_columns = 784, CLI::App* command = nullptr);

}  // namespace xgrad::trainer
