#pragma once
// Which library computes one block of a product (blas.hpp cuts products into blocks; every block is one
// single-threaded call). The choice is a function of the element type and the block's shape only - never of
// the thread count or of timings taken at run time - so results stay bit-identical for any thread count and
// from run to run on one machine; bench/README.md (issue 18) has the measurements behind the table:
//   float, n <= kSkinnyWidth (C a few columns wide) -> xgrad's skinny loops (skinny_gemm.hpp)
//   float, otherwise                                -> oneDNN's dnnl_sgemm (when xgrad is built with it)
//   double (oneDNN has no dgemm), or no oneDNN      -> skinny loops when min(m, n) <= kSkinnyWidth, else OpenBLAS
// The environment variable XGRAD_GEMM (auto | openblas | dnnl; read at the first product, a bad value throws
// InvalidArgument from that call) or set_backend forces one:
// `openblas` is xgrad's path before oneDNN (skinny loops + OpenBLAS), `dnnl` sends every float block to oneDNN.
// Changing the backend changes the last bits of float products (not their thread-count independence).
#include <cstddef>
#include <string>

namespace xgrad::blas {

/// automatic: the table above; openblas: skinny loops + OpenBLAS; dnnl: oneDNN for every float block.
enum class Backend { automatic, openblas, dnnl };
/// What one block runs on.
enum class Library { skinny_loops, openblas, dnnl };

/// The backend forced by XGRAD_GEMM or set_backend (automatic unless one was).
Backend backend();
/// Forces a backend for the products that start after the call; dnnl throws InvalidArgument when xgrad was
/// built without oneDNN.
void set_backend(Backend b);
/// "auto", "openblas", "dnnl" -> the backend; anything else throws InvalidArgument naming the value.
Backend parse_backend(const std::string& name);
const char* backend_name(Backend b);
const char* library_name(Library l);

/// True when xgrad was built with oneDNN (CMake option XGRAD_DNNL and libdnnl-dev found).
bool has_dnnl();

/// The library that computes a float / double block of m x n x k under the current backend.
Library library_for_float(std::size_t m, std::size_t n, std::size_t k);
Library library_for_double(std::size_t m, std::size_t n, std::size_t k);

}  // namespace xgrad::blas
