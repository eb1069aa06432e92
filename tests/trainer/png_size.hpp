#pragma once
// The size of a PNG file as stb_image decodes it, for the tests of the trainer's pictures.
#include <string>
#include <utility>

#include <stb/stb_image.h>

namespace xgrad::test {

/// Width and height of a PNG (decoded); {0, 0} when it does not decode.
inline std::pair<int, int> png_size(const std::string& path) {
  int w = 0, h = 0, c = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &c, 3);
  if (data == nullptr) return {0, 0};
  stbi_image_free(data);
  return {w, h};
}

}  // namespace xgrad::test
