#pragma once
// What the harnesses share. The readers take paths, so an input becomes a file in /dev/shm (RAM, removed at
// exit). A fuzzed JSON config may legitimately ask for a huge model ({"n_in": 100000, "n_out": 100000} is
// 40 GB), which is not a bug but would stop the fuzzer at its memory limit: such inputs are skipped by a cap
// on the positive numbers. Negative numbers always pass, since the library must reject them itself.
// A harness lets only the library's documented exceptions through its catch; anything else (another
// exception type, an ASan/UBSan report, a failed invariant) ends the run as a crash.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace xgrad::fuzz {

/// Writes the input to a per-process file with extension `ext` and returns its path.
inline const std::string& input_file(const std::uint8_t* data, std::size_t size, const char* ext) {
  static const std::string path = [&] {
    const char* dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    std::string p = std::string(dir) + "/xgrad-fuzz-" + std::to_string(::getpid()) + ext;
    static std::string to_remove = p;
    std::atexit([] { std::remove(to_remove.c_str()); });
    return p;
  }();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}

/// The input parsed as JSON, or nothing when it is not JSON.
inline std::optional<nlohmann::json> parse_json(const std::uint8_t* data, std::size_t size) {
  nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

/// True when no number in `j` exceeds `limit` (see the file comment).
inline bool numbers_within(const nlohmann::json& j, double limit) {
  if (j.is_number()) return j.get<double>() <= limit;
  if (j.is_array() || j.is_object())
    for (const auto& e : j)
      if (!numbers_within(e, limit)) return false;
  return true;
}

/// A broken invariant: prints it and aborts, which libFuzzer reports as a crash with the input.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what.c_str());
  std::abort();
}

}  // namespace xgrad::fuzz
