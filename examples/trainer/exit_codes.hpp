#pragma once
// Exit statuses of xgrad-vae and the exceptions that select them (main.cpp maps exceptions to statuses).
#include <stdexcept>
#include <string>

namespace xgrad::trainer {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       // any other error
  kExitUsage = 2,         // unknown option, invalid value, bad config file
  kExitInput = 3,         // missing dataset, unreadable model file
  kExitOutput = 4,        // output directory or file not writable
  kExitInterrupted = 130  // Ctrl-C (SIGINT) or SIGTERM; the last completed checkpoint is intact
};

/// An invalid setting found after parsing (e.g. a distribution spec whose sizes do not add up).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// A missing or unreadable input (dataset, model file).
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// An output that cannot be written.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// Training stopped by SIGINT or SIGTERM.
struct Interrupted : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace xgrad::trainer
