#include "autograd/gemm_dnnl.hpp"

#include <string>

#include "autograd/errors.hpp"

#ifdef XGRAD_HAVE_DNNL
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>
#endif

namespace xgrad::blas {

#ifdef XGRAD_HAVE_DNNL

void dnnl_gemm_serial(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
                      std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc) {
  const int team = omp_get_max_threads();  // this thread's OpenMP setting: one thread inside xgrad's block
  omp_set_num_threads(1);
  const auto D = [](std::size_t v) { return static_cast<dnnl_dim_t>(v); };
  const dnnl_status_t status =
      dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', D(m), D(n), D(k), alpha, a, D(lda), b, D(ldb), beta, c, D(ldc));
  omp_set_num_threads(team);
  if (status != dnnl_success)
    throw InvalidArgument("blas::gemm (oneDNN dnnl_sgemm): status " + std::to_string(static_cast<int>(status)) +
                          " for m=" + std::to_string(m) + " n=" + std::to_string(n) + " k=" + std::to_string(k) +
                          " lda=" + std::to_string(lda) + " ldb=" + std::to_string(ldb) +
                          " ldc=" + std::to_string(ldc));
}
#else
void dnnl_gemm_serial(bool, bool, std::size_t, std::size_t, std::size_t, float, const float*, std::size_t, const float*,
                      std::size_t, float, float*, std::size_t) {
  throw InvalidArgument("blas::dnnl_gemm_serial: xgrad was built without oneDNN (libdnnl-dev, option XGRAD_DNNL)");
}
#endif

}  // namespace xgrad::blas
