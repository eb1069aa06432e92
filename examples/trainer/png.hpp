#pragma once
// PNG output of an Image (8-bit RGB), through Debian's stb_image_write (libstb).
#include <string>

#include "trainer/image.hpp"

namespace xgrad::trainer {

/// Writes `image` to `path` as PNG; throws DataError naming the path when it cannot be written.
void write_png(const std::string& path, const Image& image);

}  // namespace xgrad::trainer
