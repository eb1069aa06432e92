#pragma once
// A fresh temporary directory per test, removed afterwards.
#include <filesystem>
#include <string>

#include <unistd.h>

namespace xgrad::test {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static unsigned counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("xgrad_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

}  // namespace xgrad::test
