#pragma once
// Whole-file byte I/O shared by the readers and the model serializer: gzip is detected by its magic
// bytes (0x1f 0x8b) and inflated with zlib; atomic_write never leaves a half-written target.
#include <cstdint>
#include <string>
#include <vector>

namespace xgrad::nn::data {

using Bytes = std::vector<std::uint8_t>;

/// The file's bytes; a gzip file (magic 0x1f8b) is decompressed. Throws DataError naming the path
/// (missing/unreadable file, corrupt gzip stream with zlib's reason).
Bytes read_file(const std::string& path);
/// True when the file starts with the gzip magic 0x1f 0x8b.
bool is_gzip(const Bytes& raw);
/// Writes bytes to path, gzip-compressed when `gzip` (not atomic; see atomic_write).
void write_file(const std::string& path, const Bytes& bytes, bool gzip = false);
/// Writes `<path>.tmp`, fsyncs it, renames it over `path` and fsyncs the directory: a crash or a
/// failure at any point leaves the previous `path` intact. Throws DataError naming the step.
void atomic_write(const std::string& path, const Bytes& bytes);

/// Little-endian / big-endian readers of fixed-width unsigned integers at byte offset `at`.
std::uint32_t read_be32(const Bytes& b, std::size_t at);
std::uint32_t read_le32(const Bytes& b, std::size_t at);
std::uint64_t read_le64(const Bytes& b, std::size_t at);
void append_le32(Bytes& b, std::uint32_t v);
void append_le64(Bytes& b, std::uint64_t v);

/// a * b in `out`; false when the product does not fit in size_t (sizes read from a corrupt header).
inline bool mul_fits(std::size_t a, std::size_t b, std::size_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

/// "0x00000803"
std::string hex32(std::uint32_t v);

}  // namespace xgrad::nn::data
