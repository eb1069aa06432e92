#include "nn/data/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "autograd/errors.hpp"

namespace xgrad::nn::data {

namespace {
std::string errno_text() {
  return std::strerror(errno);
}

Bytes read_raw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw DataError(path + ": cannot open: " + errno_text());
    throw DataError(path + ": cannot open for reading");
  }
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw DataError(path + ": read error");
  return bytes;
}

Bytes gunzip(const std::string& path, const Bytes& raw) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) throw DataError(path + ": zlib inflateInit2 failed");
  Bytes out;
  // The gzip trailer stores the uncompressed size mod 2^32: a good first guess for the buffer.
  // (Capped by deflate's maximal ratio of about 1032:1, since a truncated file ends in arbitrary bytes.)
  std::size_t hint = raw.size() >= 18 ? read_le32(raw, raw.size() - 4) : 0;
  hint = std::min(hint, raw.size() * 1032);
  out.resize(std::max<std::size_t>(hint, raw.size()) + 1024);
  zs.next_in = const_cast<Bytef*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.total_out == out.size()) out.resize(out.size() * 2);
    zs.next_out = out.data() + zs.total_out;
    zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      const auto done = zs.total_in;
      inflateEnd(&zs);
      throw DataError(path + ": gzip stream truncated: compressed data ends after " + std::to_string(done) +
                      " bytes before the end of the stream");
    }
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      const std::string why = zs.msg ? zs.msg : ("zlib error " + std::to_string(rc));
      const auto at = zs.total_in;
      inflateEnd(&zs);
      throw DataError(path + ": corrupt gzip data near compressed byte " + std::to_string(at) + ": " + why);
    }
  }
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

Bytes gzip(const std::string& path, const Bytes& bytes) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw DataError(path + ": zlib deflateInit2 failed");
  Bytes out(deflateBound(&zs, bytes.size()) + 64);
  zs.next_in = const_cast<Bytef*>(bytes.data());
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw DataError(path + ": zlib deflate failed");
  return out;
}

void write_all(int fd, const std::string& path, const Bytes& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw DataError(path + ": write failed after " + std::to_string(done) + " of " + std::to_string(bytes.size()) +
                      " bytes: " + errno_text());
    }
    done += static_cast<std::size_t>(n);
  }
}
}  // namespace

bool is_gzip(const Bytes& raw) {
  return raw.size() >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
}

Bytes read_file(const std::string& path) {
  Bytes raw = read_raw(path);
  return is_gzip(raw) ? gunzip(path, raw) : raw;
}

void write_file(const std::string& path, const Bytes& bytes, bool compress) {
  const Bytes& data = compress ? gzip(path, bytes) : bytes;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw DataError(path + ": cannot open for writing: " + errno_text());
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!out) throw DataError(path + ": write failed: " + errno_text());
}

void atomic_write(const std::string& path, const Bytes& bytes) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw DataError("atomic_write: cannot create temporary file " + tmp + ": " + errno_text() + " (" + path +
                    " is unchanged)");
  try {
    write_all(fd, tmp, bytes);
    if (::fsync(fd) != 0) throw DataError(tmp + ": fsync failed: " + errno_text());
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw DataError(tmp + ": close failed: " + errno_text() + " (" + path + " is unchanged)");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw DataError("atomic_write: cannot rename " + tmp + " to " + path + ": " + why + " (" + path + " is unchanged)");
  }
  // Make the rename itself durable.
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

std::uint32_t read_be32(const Bytes& b, std::size_t at) {
  return (std::uint32_t(b[at]) << 24) | (std::uint32_t(b[at + 1]) << 16) | (std::uint32_t(b[at + 2]) << 8) |
         std::uint32_t(b[at + 3]);
}
std::uint32_t read_le32(const Bytes& b, std::size_t at) {
  return std::uint32_t(b[at]) | (std::uint32_t(b[at + 1]) << 8) | (std::uint32_t(b[at + 2]) << 16) |
         (std::uint32_t(b[at + 3]) << 24);
}
std::uint64_t read_le64(const Bytes& b, std::size_t at) {
  return std::uint64_t(read_le32(b, at)) | (std::uint64_t(read_le32(b, at + 4)) << 32);
}
void append_le32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void append_le64(Bytes& b, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

}  // namespace xgrad::nn::data
