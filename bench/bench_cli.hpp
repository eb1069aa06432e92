#pragma once
// Command-line helpers of the benchmark programs (vae_step, mpi_step, mpi_pingpong): comma lists and option values.
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace xgrad::bench {

/// "a,b,c" -> {"a", "b", "c"}.
inline std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(item);
  return out;
}

/// The value after option argv[i] (advances i); std::invalid_argument "<program>: option X needs a value" at the end.
inline std::string option_value(int argc, char** argv, int& i, const char* program) {
  if (i + 1 >= argc) throw std::invalid_argument(std::string(program) + ": option " + argv[i] + " needs a value");
  return argv[++i];
}

}  // namespace xgrad::bench
