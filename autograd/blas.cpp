#include "autograd/blas.hpp"

#include <cblas.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "autograd/errors.hpp"
#include "autograd/gemm_backend.hpp"
#include "autograd/gemm_dnnl.hpp"
#include "autograd/parallel.hpp"
#include "autograd/skinny_gemm.hpp"

extern "C" int blas_thread_shutdown_(void) __attribute__((weak));  // OpenBLAS (pthreads build)

namespace xgrad::blas {
namespace {
// OpenBLAS always runs single-threaded inside xgrad's own fixed partition (below): its threaded sgemm
// gives different last bits for 1 and 2 threads, and two thread pools would oversubscribe the cores.
const bool kOpenBlasSerial = (keep_openblas_serial(), true);

void call(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void call(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha, const double* a, int lda,
          const double* b, int ldb, double beta, double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

Library library_for(float, std::size_t m, std::size_t n, std::size_t k) {
  return library_for_float(m, n, k);
}
Library library_for(double, std::size_t m, std::size_t n, std::size_t k) {
  return library_for_double(m, n, k);
}
void dnnl_call(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
               std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc) {
  dnnl_gemm_serial(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void dnnl_call(bool, bool, std::size_t, std::size_t, std::size_t, double, const double*, std::size_t, const double*,
               std::size_t, double, double*, std::size_t) {
  throw InvalidArgument("blas::gemm: oneDNN has no double GEMM");  // library_for_double never picks it
}

// One block's product on the library gemm_backend.hpp picks for its shape (skinny loops, OpenBLAS or oneDNN),
// single-threaded. An empty depth leaves beta * C (no library is asked: OpenBLAS rejects some leading dimensions
// of empty operands).
template <class T>
void product(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a, std::size_t lda,
             const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0) return scale_rows(c, m, n, ldc, beta);
  switch (library_for(T(0), m, n, k)) {
    case Library::skinny_loops:
      return skinny_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    case Library::dnnl:
      return dnnl_call(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    case Library::openblas:
      break;
  }
  const auto I = [](std::size_t v) { return static_cast<int>(v); };
  call(ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, I(m), I(n), I(k), alpha, a, I(lda), b, I(ldb),
       beta, c, I(ldc));
}

std::size_t default_max_blocks() {
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, 4);
}
std::atomic<std::size_t> g_max_blocks{default_max_blocks()};

// Number of blocks for m*n*k multiply-adds: a function of the shape and max_blocks(), never of the thread count
// (OpenBLAS's bits depend on where a product is cut; one block per core: each block packs the shared operand
// again, so 4 blocks on 2 cores made the dl4j step 2-4 % slower than 2). A large
// operand is cut in two even in a small product, as the optimizers cut it (parallel::kLargeOperand), but a
// product under 1 MFLOP stays whole: two blocks of it cost more than they save (the dl4j model's 256x2 heads
// at batch 256: 20-25 us per product either way, and the step 1.5-5 % faster whole).
std::size_t block_count(std::size_t m, std::size_t n, std::size_t k) {
  const double flops = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  const std::size_t largest = std::max({m * k, k * n, m * n});
  if (flops < 1e6) return 1;
  if (flops < 4e6) return largest >= parallel::kLargeOperand ? 2 : 1;
  return flops < 32e6 ? 2 : max_blocks();
}

// How C = op(A) op(B) is cut into blocks. Each block reads (or, for C, writes) contiguous storage rows of the
// kept operand (blas::Keep; by default the largest of A, B and C), so a large operand - typically a weight matrix, read
// by the forward product and by the input gradient, written by the weight gradient and the optimizer - is touched by
// the same blocks (and, with TBB's static partition, the same core) in every product: a core that writes cache lines
// the other core has read pays a coherence round trip per line (measured: a 392k-float update 4.7x slower,
// bench/README.md).
enum class Split { c_rows, c_columns, depth };

Split choose_split(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, Keep keep) {
  const double a = double(m) * double(k), b = double(k) * double(n), c = double(m) * double(n);
  // A kept operand under kLargeOperand elements stays whole on each core (a 500x20 head's weight): the cut
  // follows the largest operand instead, typically the activations, whose rows then keep to their cores.
  const double kept = keep == Keep::a ? a : keep == Keep::b ? b : c;
  if (keep == Keep::largest || kept < double(parallel::kLargeOperand))
    keep = c >= a && c >= b ? Keep::c : b >= a ? Keep::b : Keep::a;  // ties: no partial products
  // A depth cut writes and sums an m x n partial product: once C is over 4x the kept operand (inference on
  // thousands of rows: log p(x)'s [k*N, 784] decoder output against its 500 x 784 weight) that traffic costs more
  // than keeping the operand to its cores saves, so the rows of C are cut instead.
  const bool depth_cut = (keep == Keep::b && !tb) || (keep == Keep::a && ta);
  if (depth_cut && c > 4 * kept) return Split::c_rows;
  switch (keep) {
    case Keep::b:
      return tb ? Split::c_columns : Split::depth;  // storage rows of B: op(B)'s columns or rows
    case Keep::a:
      return ta ? Split::depth : Split::c_rows;  // storage rows of A: op(A)'s columns or rows
    default:
      return Split::c_rows;
  }
}

std::size_t extent(Split split, std::size_t m, std::size_t n, std::size_t k) {
  return split == Split::c_rows ? m : split == Split::c_columns ? n : k;
}

// How one product is cut: the split, the number of blocks and where each starts; for a depth split, the buffer
// of the partial products of blocks 1, 2, ... (block 0 writes C).
template <class T>
struct Plan {
  const Product<T>* p = nullptr;
  Split split = Split::c_rows;
  std::size_t len = 0, blocks = 0, align = 1;
  std::unique_ptr<T[]> partial;

  Plan() = default;
  explicit Plan(const Product<T>& product) : p(&product) {
    const std::size_t m = p->m, n = p->n, k = p->k;
    const std::size_t wanted = block_count(m, n, k);
    split = choose_split(p->trans_a, p->trans_b, m, n, k, p->keep);
    // Too thin to cut that way: rows of C if there are enough (the rows of activations keep to their cores, as
    // in the elementwise kernels' blocks; columns cost a 256x500 decoder layer 3x its time), else columns.
    if (extent(split, m, n, k) / 16 < wanted) split = m / 16 >= wanted ? Split::c_rows : Split::c_columns;
    len = extent(split, m, n, k);
    // At most two depth blocks: each further one costs an m x n partial product written and summed.
    const std::size_t cap = split == Split::depth ? 2 : wanted;
    blocks = std::min({wanted, cap, std::max<std::size_t>(1, len / 16)});
    // Equal blocks (2 threads take half the work each); column blocks start at multiples of the AVX-512 width.
    align = split == Split::c_columns ? 16 : 1;
    if (summed()) partial.reset(new T[(blocks - 1) * m * n]);  // written before read
  }
  bool summed() const { return split == Split::depth && blocks > 1; }
  std::size_t start(std::size_t blk) const {
    return blk >= blocks ? len : (len * blk / blocks + align / 2) / align * align;
  }
  void finish(const Region& r) const {
    if (p->finish && r.row_begin < r.row_end && r.col_begin < r.col_end) p->finish(r);
  }

  void run_block(std::size_t blk) const {
    const Product<T>& q = *p;
    const bool ta = q.trans_a, tb = q.trans_b;
    const std::size_t lo = start(blk), hi = start(blk + 1), lda = q.lda, ldb = q.ldb;
    switch (split) {
      case Split::c_columns:
        product(ta, tb, q.m, hi - lo, q.k, q.alpha, q.a, lda, tb ? q.b + lo * ldb : q.b + lo, ldb, q.beta, q.c + lo,
                q.ldc);
        return finish({0, q.m, lo, hi});
      case Split::c_rows:
        product(ta, tb, hi - lo, q.n, q.k, q.alpha, ta ? q.a + lo : q.a + lo * lda, lda, q.b, ldb, q.beta,
                q.c + lo * q.ldc, q.ldc);
        return finish({lo, hi, 0, q.n});
      case Split::depth: {
        T* out = blk == 0 ? q.c : partial.get() + (blk - 1) * q.m * q.n;
        product(ta, tb, q.m, q.n, hi - lo, q.alpha, ta ? q.a + lo * lda : q.a + lo, lda, tb ? q.b + lo : q.b + lo * ldb,
                ldb, blk == 0 ? q.beta : T(0), out, blk == 0 ? q.ldc : q.n);
        if (!summed()) finish({0, q.m, 0, q.n});
        return;
      }
    }
  }

  // C += the partial products, in block order, then each row block finished.
  void sum_partials() const {
    const std::size_t m = p->m, n = p->n;
    parallel::for_rows(m, n, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t i = r0; i < r1; ++i)
        for (std::size_t blk = 1; blk < blocks; ++blk) {
          const T* src = partial.get() + (blk - 1) * m * n + i * n;
          T* dst = p->c + i * p->ldc;
          for (std::size_t j = 0; j < n; ++j) dst[j] += src[j];
        }
      finish({r0, r1, 0, n});
    });
  }
};

// Storage for n items: on the stack up to N (a step's products come one or two at a time), else on the heap.
template <class Item, std::size_t N>
class SmallBuffer {
 public:
  explicit SmallBuffer(std::size_t n) : heap_(n > N ? n : 0) { data_ = n > N ? heap_.data() : local_.data(); }
  Item& operator[](std::size_t i) { return data_[i]; }
  Item* begin() { return data_; }

 private:
  std::array<Item, N> local_;
  std::vector<Item> heap_;
  Item* data_;
};

template <class T>
void run_products(const Product<T>* products, std::size_t count) {
  SmallBuffer<Plan<T>, 2> plans(count);
  std::size_t task_count = 0;
  for (std::size_t i = 0; i < count; ++i) {
    plans[i] = Plan<T>(products[i]);
    task_count += plans[i].blocks;
  }
  struct Task {
    std::size_t plan, block;
  };
  SmallBuffer<Task, 8> tasks(task_count);
  for (std::size_t i = 0, t = 0; i < count; ++i)
    for (std::size_t blk = 0; blk < plans[i].blocks; ++blk) tasks[t++] = {i, blk};
  // by position within the product (block / blocks), then product: the static partition gives each thread the
  // same share of every product as a lone product's blocks
  std::sort(tasks.begin(), tasks.begin() + task_count, [&](const Task& x, const Task& y) {
    const std::size_t xs = x.block * plans[y.plan].blocks, ys = y.block * plans[x.plan].blocks;
    return xs != ys ? xs < ys : x.plan < y.plan;
  });
  parallel::for_blocks(
      task_count,
      [&](std::size_t t0, std::size_t t1) {
        for (std::size_t t = t0; t < t1; ++t) plans[tasks[t].plan].run_block(tasks[t].block);
      },
      1);
  for (std::size_t i = 0; i < count; ++i)
    if (plans[i].summed()) plans[i].sum_partials();
}

template <class T>
void single_product(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a, std::size_t lda,
                    const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Keep keep) {
  Product<T> p;
  p.trans_a = ta, p.trans_b = tb, p.m = m, p.n = n, p.k = k, p.alpha = alpha, p.a = a, p.lda = lda, p.b = b;
  p.ldb = ldb, p.beta = beta, p.c = c, p.ldc = ldc, p.keep = keep;
  run_products(&p, 1);
}
}  // namespace

void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t lda,
          const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc, Keep keep) {
  single_product(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, keep);
}

void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a, std::size_t lda,
          const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc, Keep keep) {
  single_product(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, keep);
}

void gemm_serial(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
                 std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc) {
  product(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void gemm_serial(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
                 std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc) {
  product(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm(const Product<float>& product) {
  run_products(&product, 1);
}
void gemm(const Product<double>& product) {
  run_products(&product, 1);
}
void gemm_batch(const std::vector<Product<float>>& products) {
  run_products(products.data(), products.size());
}
void gemm_batch(const std::vector<Product<double>>& products) {
  run_products(products.data(), products.size());
}

std::size_t max_blocks() {
  return g_max_blocks.load(std::memory_order_relaxed);
}

void set_max_blocks(std::size_t n) {
  if (n < 2 || n > 4) throw InvalidArgument("blas::set_max_blocks: n must be 2, 3 or 4, got " + std::to_string(n));
  g_max_blocks.store(n, std::memory_order_relaxed);
}

void keep_openblas_serial() {
  openblas_set_num_threads(1);
  // OpenBLAS starts its pool at load and the idle pool threads spin (sched_yield) for about 0.1 s before they
  // sleep: on two cores that halves a short program's second core. xgrad never uses the pool, so stop it
  // (OpenBLAS restarts it if a caller later asks it for threads). Weak: OpenMP builds of OpenBLAS lack it.
  if (blas_thread_shutdown_) blas_thread_shutdown_();
}

}  // namespace xgrad::blas
