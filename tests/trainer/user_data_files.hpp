#pragma once
// Small data files the user-data tests write (CSV, IDX), the small training settings they share, and the check of
// a failed run: its exit status, the fragments its message must name, and that it wrote nothing.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "run_binary.hpp"

namespace xgrad::test {

inline const std::string kSmall =
    "--epochs 1 --encoder-layers 8 --decoder-layers 8 --latent 2 --batch-size 10 "
    "--binarization none --progress none ";

/// n rows of `cols` numbers, with a header line when `header`.
inline std::string write_csv(const std::string& path, std::size_t n, std::size_t cols, bool header) {
  std::ofstream f(path);
  if (header)
    for (std::size_t j = 0; j < cols; ++j) f << "col" << j << (j + 1 < cols ? "," : "\n");
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < cols; ++j) f << 0.01 * double((i * 7 + j * 3) % 100) << (j + 1 < cols ? "," : "\n");
  return path;
}

/// 20 images of 4x5 pixels as an IDX3 file (magic 0x00000803).
inline std::string write_idx_images(const std::string& path) {
  std::ofstream f(path, std::ios::binary);
  const unsigned char head[] = {0, 0, 8, 3, 0, 0, 0, 20, 0, 0, 0, 4, 0, 0, 0, 5};
  f.write(reinterpret_cast<const char*>(head), sizeof head);
  for (int i = 0; i < 20 * 20; ++i) f.put(static_cast<char>((i * 37) % 256));
  return path;
}

inline void expect_failure(const RunResult& r, int status, const std::vector<std::string>& fragments,
                           const std::string& out) {
  BOOST_TEST(r.status == status, "status " << r.status << ", stderr: " << r.err);
  for (const auto& f : fragments)
    BOOST_TEST(r.err.find(f) != std::string::npos, "stderr lacks '" << f << "': " << r.err);
  BOOST_TEST(!std::filesystem::exists(out), out << " was written");
}

}  // namespace xgrad::test
