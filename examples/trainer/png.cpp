#include "trainer/png.hpp"

#include <cerrno>
#include <cstring>

#include <stb/stb_image_write.h>

#include "autograd/errors.hpp"

namespace xgrad::trainer {

void write_png(const std::string& path, const Image& image) {
  errno = 0;
  const int w = static_cast<int>(image.width()), h = static_cast<int>(image.height());
  if (stbi_write_png(path.c_str(), w, h, 3, image.bytes().data(), 3 * w) == 0)
    throw DataError("write_png: cannot write '" + path + "'" + (errno ? std::string(": ") + std::strerror(errno) : ""));
}

}  // namespace xgrad::trainer
