#include "trainer/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "autograd/errors.hpp"
#include "nn/data/file_io.hpp"
#include "trainer/exit_codes.hpp"

namespace xgrad::trainer {

void write_file_atomic(const std::string& path, const std::string& contents) {
  nn::data::atomic_write(path, nn::data::Bytes(contents.begin(), contents.end()));
}

void ensure_writable_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw OutputError("output directory '" + dir + "' is not writable: " + ec.message());
  if (!fs::is_directory(dir)) throw OutputError("output directory '" + dir + "' is not a directory");
  const std::string probe = (fs::path(dir) / ".xgrad-write-test").string();
  std::FILE* f = std::fopen(probe.c_str(), "w");
  if (f == nullptr) throw OutputError("output directory '" + dir + "' is not writable: " + std::strerror(errno));
  std::fclose(f);
  std::remove(probe.c_str());
}

}  // namespace xgrad::trainer
