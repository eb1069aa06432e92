// Small helpers shared by the subcommands (declared in commands.hpp).
#include <algorithm>
#include <filesystem>
#include <thread>

#include "autograd/parallel.hpp"
#include "trainer/commands.hpp"

namespace xgrad::trainer {

namespace fs = std::filesystem;

int use_threads(int threads) {
  const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  set_num_threads(n);
  return n;
}

std::string directory_of(const std::string& path) {
  const fs::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : std::string(".");
}

std::string output_path(const std::string& explicit_path, const std::string& model, const std::string& file_name) {
  return explicit_path.empty() ? (fs::path(directory_of(model)) / file_name).string() : explicit_path;
}

}  // namespace xgrad::trainer
