#include "autograd/gemm_backend.hpp"

#include <atomic>
#include <cstdlib>

#include "autograd/errors.hpp"
#include "autograd/skinny_gemm.hpp"

namespace xgrad::blas {
namespace {
Backend from_environment() {
  const char* value = std::getenv("XGRAD_GEMM");
  if (value == nullptr || *value == '\0') return Backend::automatic;
  const Backend b = parse_backend(value);
  if (b == Backend::dnnl && !has_dnnl())
    throw InvalidArgument("XGRAD_GEMM=dnnl: xgrad was built without oneDNN (libdnnl-dev, CMake option XGRAD_DNNL)");
  return b;
}
// set_backend's choice; -1 until a call: then XGRAD_GEMM decides, read at the first product (a bad value throws
// there, from the first blas call, rather than at library load).
std::atomic<int> g_forced{-1};
}  // namespace

bool has_dnnl() {
#ifdef XGRAD_HAVE_DNNL
  return true;
#else
  return false;
#endif
}

Backend parse_backend(const std::string& name) {
  if (name == "auto") return Backend::automatic;
  if (name == "openblas") return Backend::openblas;
  if (name == "dnnl") return Backend::dnnl;
  throw InvalidArgument("blas::parse_backend (XGRAD_GEMM): expected auto, openblas or dnnl, got '" + name + "'");
}

const char* backend_name(Backend b) {
  return b == Backend::automatic ? "auto" : b == Backend::openblas ? "openblas" : "dnnl";
}
const char* library_name(Library l) {
  return l == Library::skinny_loops ? "skinny" : l == Library::openblas ? "openblas" : "dnnl";
}

Backend backend() {
  const int forced = g_forced.load(std::memory_order_relaxed);
  if (forced >= 0) return static_cast<Backend>(forced);
  static const Backend from_env = from_environment();
  return from_env;
}

void set_backend(Backend b) {
  if (b == Backend::dnnl && !has_dnnl())
    throw InvalidArgument("blas::set_backend: dnnl requested, but xgrad was built without oneDNN");
  g_forced.store(static_cast<int>(b), std::memory_order_relaxed);
}

Library library_for_double(std::size_t m, std::size_t n, std::size_t k) {
  return is_skinny(m, n, k) ? Library::skinny_loops : Library::openblas;
}

// Measured per block, one thread (bench/README.md, issue 18): a C of <= 4 columns is 1.2-1.6x faster in the skinny
// loops than in either library; a C of <= 4 rows and a thin depth are 1.5-2x faster in oneDNN than in the
// skinny loops or OpenBLAS; every larger block of the VAE steps 1.9-2.1x faster in oneDNN than in OpenBLAS.
Library library_for_float(std::size_t m, std::size_t n, std::size_t k) {
  switch (backend()) {
    case Backend::dnnl:
      return Library::dnnl;
    case Backend::openblas:
      return library_for_double(m, n, k);
    case Backend::automatic:
      break;
  }
  if (!has_dnnl()) return library_for_double(m, n, k);
  return n <= kSkinnyWidth && is_skinny(m, n, k) ? Library::skinny_loops : Library::dnnl;
}

}  // namespace xgrad::blas
