// blas::gemm against a plain triple loop, in double, for every way it cuts C = alpha op(A) op(B) + beta C into
// blocks (rows of C, columns of C, the depth k with summed partial products, and the fall-back for operands too
// thin to cut) and for the skinny loops, with padded leading dimensions, at 2 and 4 blocks per product;
// bit-identical float32 results for 1 and 2 threads; beta = 0 never reads C; gemm_batch equals one gemm per
// product and finishes every element of C exactly once, after its final value; every GEMM backend (OpenBLAS,
// oneDNN, automatic) in float against the triple loop for every transpose and odd sizes, bit-identical for 1 and 2
// threads, and its name parsing.
#include <atomic>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "autograd/blas.hpp"
#include "autograd/gemm_dnnl.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::ThreadCount;

namespace {
struct Case {
  const char* what;
  bool ta, tb;
  std::size_t m, n, k;
  blas::Keep keep = blas::Keep::largest;
};

// Shapes chosen so the largest operand (>= parallel::kLargeOperand elements) or the work (>= 8 MFLOP) forces
// blocks, and the largest operand selects the cut.
const std::vector<Case> kCases = {
    {"B largest, op(B) = B: depth, 2 blocks", false, false, 8, 300, 512},
    {"B largest, op(B) = B: depth, 4 blocks", false, false, 64, 512, 1024},
    {"A largest, op(A) = A^T: depth", true, false, 300, 8, 512},
    {"B largest, op(B) = B^T: columns of C", false, true, 8, 512, 300},
    {"A largest, op(A) = A: rows of C", false, false, 512, 8, 300},
    {"C largest: rows of C", true, false, 512, 300, 8},
    {"C largest, both transposed: rows of C", true, true, 512, 300, 8},
    {"depth too thin to cut: columns of C", false, false, 4, 8000, 20},
    // skinny products (a dimension <= blas::kSkinnyWidth) run in their own loops, one per shape and transpose
    {"thin depth (OpenBLAS), A B", false, false, 300, 257, 2},
    {"thin depth (OpenBLAS), A^T B", true, false, 300, 257, 2},
    {"thin depth (OpenBLAS), A B^T", false, true, 300, 257, 3},
    {"thin depth (OpenBLAS), A^T B^T", true, true, 300, 257, 1},
    {"skinny n, A B", false, false, 300, 2, 257},
    {"skinny n, A^T B", true, false, 300, 3, 257},
    {"skinny n, A B^T", false, true, 300, 2, 257},
    {"skinny n, A^T B^T", true, true, 300, 4, 257},
    {"skinny m, A B", false, false, 2, 300, 257},
    {"skinny m, A^T B", true, false, 3, 300, 257},
    {"skinny m, A B^T", false, true, 2, 300, 257},
    {"skinny m, A^T B^T", true, true, 4, 300, 257},
    {"skinny 1 x 1 x 1", false, false, 1, 1, 1},
    {"skinny m in 4 column blocks", false, false, 4, 20000, 300},
    {"B kept, too thin to cut by depth: rows of C", false, false, 256, 5000, 20, blas::Keep::b},
    {"B kept but small: the largest operand (C) decides", false, true, 256, 500, 20, blas::Keep::b},
    {"B kept, C over 4x B: rows of C, not the depth", false, false, 1100, 256, 256, blas::Keep::b},
    {"A^T kept, C over 4x A: rows of C, not the depth", true, false, 512, 600, 128, blas::Keep::a},
    {"C kept (weight gradient): rows of C", true, false, 784, 256, 300, blas::Keep::c},
};

template <class T>
struct Problem {
  std::size_t lda, ldb, ldc;
  std::vector<T> a, b, c;
};

// Stored shapes: A is [m,k] or [k,m] when transposed, B is [k,n] or [n,k]; every row padded by 3 elements.
template <class T>
Problem<T> make_problem(const Case& c, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  Problem<T> p;
  const std::size_t a_rows = c.ta ? c.k : c.m, a_cols = c.ta ? c.m : c.k;
  const std::size_t b_rows = c.tb ? c.n : c.k, b_cols = c.tb ? c.k : c.n;
  p.lda = a_cols + 3;
  p.ldb = b_cols + 3;
  p.ldc = c.n + 3;
  p.a.resize(a_rows * p.lda);
  p.b.resize(b_rows * p.ldb);
  p.c.resize(c.m * p.ldc);
  for (auto* v : {&p.a, &p.b, &p.c})
    for (T& x : *v) x = T(u(rng));
  return p;
}

// C = alpha op(A) op(B) + beta C in double; `bound` (if given) gets |alpha| sum |a b| + |beta c| per element, the
// scale of a float result's rounding error.
template <class T>
std::vector<double> reference(const Case& c, const Problem<T>& p, double alpha, double beta,
                              std::vector<double>* bound = nullptr) {
  std::vector<double> out(p.c.begin(), p.c.end());
  if (bound) bound->assign(out.size(), 0.0);
  for (std::size_t i = 0; i < c.m; ++i)
    for (std::size_t j = 0; j < c.n; ++j) {
      double acc = 0, magnitude = 0;
      for (std::size_t l = 0; l < c.k; ++l) {
        const double a = c.ta ? p.a[l * p.lda + i] : p.a[i * p.lda + l];
        const double b = c.tb ? p.b[j * p.ldb + l] : p.b[l * p.ldb + j];
        acc += a * b;
        magnitude += std::abs(a * b);
      }
      out[i * p.ldc + j] = alpha * acc + beta * double(p.c[i * p.ldc + j]);
      if (bound) (*bound)[i * p.ldc + j] = std::abs(alpha) * magnitude + std::abs(beta * double(p.c[i * p.ldc + j]));
    }
  return out;
}

// Restores the GEMM backend a test forces.
struct BackendGuard {
  blas::Backend previous = blas::backend();
  ~BackendGuard() { blas::set_backend(previous); }
};

// Every backend this build has: OpenBLAS with the skinny loops, oneDNN when built with it, and the automatic table.
std::vector<blas::Backend> backends() {
  std::vector<blas::Backend> out = {blas::Backend::openblas, blas::Backend::automatic};
  if (blas::has_dnnl()) out.push_back(blas::Backend::dnnl);
  return out;
}

// Odd sizes, every transpose, each below and above the sizes that cut a product into blocks.
std::vector<Case> float_cases() {
  std::vector<Case> out = kCases;
  for (const bool ta : {false, true})
    for (const bool tb : {false, true}) {
      out.push_back({"odd 7 x 5 x 3", ta, tb, 7, 5, 3});
      out.push_back({"odd 33 x 17 x 129", ta, tb, 33, 17, 129});
      out.push_back({"odd 257 x 129 x 65 (2 blocks)", ta, tb, 257, 129, 65});
      out.push_back({"odd 301 x 515 x 99 (max blocks)", ta, tb, 301, 515, 99});
    }
  return out;
}

struct MaxBlocks {
  std::size_t previous = blas::max_blocks();
  ~MaxBlocks() { blas::set_max_blocks(previous); }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(blas_gemm)

BOOST_AUTO_TEST_CASE(every_block_cut_matches_the_triple_loop_in_double) {
  ThreadCount restore;
  MaxBlocks restore_blocks;
  for (const std::size_t blocks : {2, 4})
    for (int threads : {1, 2}) {
      blas::set_max_blocks(blocks);
      set_num_threads(threads);
      for (const Case& c : kCases) {
        for (const double beta : {0.0, 0.5}) {
          Problem<double> p = make_problem<double>(c, 7);
          const std::vector<double> want = reference(c, p, 2.0, beta);
          blas::gemm(c.ta, c.tb, c.m, c.n, c.k, 2.0, p.a.data(), p.lda, p.b.data(), p.ldb, beta, p.c.data(), p.ldc,
                     c.keep);
          double worst = 0;
          std::size_t padding_changed = 0;
          for (std::size_t i = 0; i < c.m; ++i)
            for (std::size_t j = 0; j < p.ldc; ++j) {
              const std::size_t at = i * p.ldc + j;
              if (j < c.n)
                worst = std::max(worst, std::abs(p.c[at] - want[at]) / (1 + std::abs(want[at])));
              else
                padding_changed += p.c[at] != want[at];
            }
          BOOST_TEST(worst < 1e-12, c.what << ", beta " << beta << ", " << threads << " threads, " << blocks
                                           << " blocks at most: relative error " << worst);
          BOOST_TEST(padding_changed == 0u, c.what << ": C's padding was written");
        }
      }
    }
}

BOOST_AUTO_TEST_CASE(float32_results_are_bit_identical_for_one_and_two_threads) {
  ThreadCount restore;
  MaxBlocks restore_blocks;
  for (const std::size_t blocks : {2, 3, 4})
    for (const Case& c : kCases) {
      blas::set_max_blocks(blocks);
      std::vector<std::vector<float>> results;
      for (int threads : {1, 2}) {
        set_num_threads(threads);
        Problem<float> p = make_problem<float>(c, 11);
        blas::gemm(c.ta, c.tb, c.m, c.n, c.k, 1.5f, p.a.data(), p.lda, p.b.data(), p.ldb, 0.25f, p.c.data(), p.ldc,
                   c.keep);
        results.push_back(p.c);
      }
      BOOST_TEST((results[0] == results[1]), c.what << ", " << blocks << " blocks at most");
    }
}

BOOST_AUTO_TEST_CASE(max_blocks_outside_two_to_four_is_rejected) {
  MaxBlocks restore_blocks;
  BOOST_CHECK_THROW(blas::set_max_blocks(1), InvalidArgument);
  BOOST_CHECK_THROW(blas::set_max_blocks(5), InvalidArgument);
  blas::set_max_blocks(3);
  BOOST_TEST(blas::max_blocks() == 3u);
}

// BLAS semantics: with beta = 0, C is written without being read (NaN or Inf in it do not leak through).
BOOST_AUTO_TEST_CASE(beta_zero_overwrites_nan_in_c) {
  for (const Case& c : kCases) {
    Problem<double> p = make_problem<double>(c, 5);
    std::fill(p.c.begin(), p.c.end(), std::nan(""));
    blas::gemm(c.ta, c.tb, c.m, c.n, c.k, 1.0, p.a.data(), p.lda, p.b.data(), p.ldb, 0.0, p.c.data(), p.ldc, c.keep);
    std::size_t nan = 0;
    for (std::size_t i = 0; i < c.m; ++i)
      for (std::size_t j = 0; j < c.n; ++j) nan += std::isnan(p.c[i * p.ldc + j]);
    BOOST_TEST(nan == 0u, c.what << ": " << nan << " NaN left in C");
  }
}

// Every case of kCases, an empty depth (C = beta C) and an empty C in one batch: each product's C equals a lone
// gemm's bit for bit, and `finish` covers every element of C exactly once, never an empty region, after the
// element holds its final value (finish doubles it: the result must be exactly twice the lone product).
BOOST_AUTO_TEST_CASE(gemm_batch_equals_one_gemm_per_product_and_finishes_every_element_once) {
  ThreadCount restore;
  MaxBlocks restore_blocks;
  std::vector<Case> cases = kCases;
  cases.push_back({"empty depth", false, false, 40, 70, 0});
  cases.push_back({"empty C", false, false, 0, 70, 30});
  for (const std::size_t blocks : {2, 4})
    for (int threads : {1, 2}) {
      blas::set_max_blocks(blocks);
      set_num_threads(threads);
      std::vector<Problem<float>> alone, batched;
      std::vector<std::vector<int>> finished(cases.size());
      std::vector<blas::Product<float>> products;
      std::atomic<std::size_t> empty_regions{0};
      for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        alone.push_back(make_problem<float>(c, 3 + unsigned(i)));
        batched.push_back(alone.back());
        finished[i].assign(c.m * batched[i].ldc, 0);
      }
      for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        Problem<float>& a = alone[i];
        blas::gemm(c.ta, c.tb, c.m, c.n, c.k, 1.5f, a.a.data(), a.lda, a.b.data(), a.ldb, 0.25f, a.c.data(), a.ldc,
                   c.keep);
        Problem<float>& p = batched[i];
        blas::Product<float> q;
        q.trans_a = c.ta, q.trans_b = c.tb, q.m = c.m, q.n = c.n, q.k = c.k, q.alpha = 1.5f, q.a = p.a.data();
        q.lda = p.lda, q.b = p.b.data(), q.ldb = p.ldb, q.beta = 0.25f, q.c = p.c.data(), q.ldc = p.ldc,
        q.keep = c.keep;
        q.finish = [&, i](const blas::Region& r) {
          if (r.row_begin >= r.row_end || r.col_begin >= r.col_end) ++empty_regions;  // regions are disjoint
          for (std::size_t row = r.row_begin; row < r.row_end; ++row)
            for (std::size_t col = r.col_begin; col < r.col_end; ++col) {
              const std::size_t at = row * batched[i].ldc + col;
              ++finished[i][at];
              batched[i].c[at] *= 2;
            }
        };
        products.push_back(std::move(q));
      }
      blas::gemm_batch(products);
      BOOST_TEST(empty_regions.load() == 0u);
      for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        std::size_t wrong = 0, not_once = 0;
        for (std::size_t row = 0; row < c.m; ++row)
          for (std::size_t col = 0; col < batched[i].ldc; ++col) {
            const std::size_t at = row * batched[i].ldc + col;
            const bool inside = col < c.n;
            wrong += batched[i].c[at] != (inside ? 2 * alone[i].c[at] : alone[i].c[at]);
            not_once += finished[i][at] != (inside ? 1 : 0);
          }
        BOOST_TEST(wrong == 0u, c.what << ", " << threads << " threads, " << blocks << " blocks: " << wrong
                                       << " elements differ from a lone gemm's (doubled)");
        BOOST_TEST(not_once == 0u,
                   c.what << ": " << not_once << " elements finished other than once (or padding finished)");
      }
    }
}

// Each backend in float against the double triple loop: within 4 k float epsilons of the scale of the terms, for
// alpha 1 and -0.75, beta 0 and 0.5, 1 and 2 threads, 2 and 4 blocks; padding of C never written. The forced
// backend is the library that runs (openblas never reaches oneDNN, dnnl runs every block on it).
BOOST_AUTO_TEST_CASE(every_backend_matches_the_triple_loop_in_float) {
  ThreadCount restore;
  MaxBlocks restore_blocks;
  BackendGuard restore_backend;
  for (const blas::Backend backend : backends()) {
    blas::set_backend(backend);
    for (const Case& c : float_cases()) {
      const blas::Library library = blas::library_for_float(c.m, c.n, c.k);
      if (backend == blas::Backend::openblas) BOOST_TEST((library != blas::Library::dnnl), c.what);
      if (backend == blas::Backend::dnnl) BOOST_TEST((library == blas::Library::dnnl), c.what);
    }
    for (const std::size_t blocks : {2, 4})
      for (int threads : {1, 2}) {
        blas::set_max_blocks(blocks);
        set_num_threads(threads);
        for (const Case& c : float_cases())
          for (const float alpha : {1.0f, -0.75f})
            for (const float beta : {0.0f, 0.5f}) {
              Problem<float> p = make_problem<float>(c, 13);
              std::vector<double> bound;
              const std::vector<double> want = reference(c, p, alpha, beta, &bound);
              blas::gemm(c.ta, c.tb, c.m, c.n, c.k, alpha, p.a.data(), p.lda, p.b.data(), p.ldb, beta, p.c.data(),
                         p.ldc, c.keep);
              const double eps = std::numeric_limits<float>::epsilon();
              std::size_t wrong = 0, padding_changed = 0;
              double worst = 0;
              for (std::size_t i = 0; i < c.m; ++i)
                for (std::size_t j = 0; j < p.ldc; ++j) {
                  const std::size_t at = i * p.ldc + j;
                  if (j >= c.n) {
                    padding_changed += double(p.c[at]) != want[at];
                    continue;
                  }
                  const double err = std::abs(double(p.c[at]) - want[at]);
                  const double allowed = 4 * double(c.k + 2) * eps * bound[at] + 1e-30;
                  worst = std::max(worst, err / allowed);
                  wrong += err > allowed;
                }
              BOOST_TEST(wrong == 0u, blas::backend_name(backend)
                                          << ": " << c.what << " ta " << c.ta << " tb " << c.tb << ", alpha " << alpha
                                          << ", beta " << beta << ", " << threads << " threads, " << blocks
                                          << " blocks: " << wrong << " elements off, worst " << worst
                                          << " x the allowed error");
              BOOST_TEST(padding_changed == 0u, blas::backend_name(backend) << ": " << c.what << ": padding written");
            }
      }
  }
}

BOOST_AUTO_TEST_CASE(every_backend_is_bit_identical_for_one_and_two_threads) {
  ThreadCount restore;
  MaxBlocks restore_blocks;
  BackendGuard restore_backend;
  for (const blas::Backend backend : backends()) {
    blas::set_backend(backend);
    for (const std::size_t blocks : {2, 3, 4})
      for (const Case& c : float_cases()) {
        blas::set_max_blocks(blocks);
        std::vector<std::vector<float>> results;
        for (int threads : {1, 2, 1}) {
          set_num_threads(threads);
          Problem<float> p = make_problem<float>(c, 17);
          blas::gemm(c.ta, c.tb, c.m, c.n, c.k, 1.5f, p.a.data(), p.lda, p.b.data(), p.ldb, 0.25f, p.c.data(), p.ldc,
                     c.keep);
          results.push_back(p.c);
        }
        BOOST_TEST((results[0] == results[1] && results[1] == results[2]),
                   blas::backend_name(backend) << ": " << c.what << ", " << blocks << " blocks at most");
      }
  }
}

BOOST_AUTO_TEST_CASE(every_backend_overwrites_nan_in_c_when_beta_is_zero) {
  BackendGuard restore_backend;
  for (const blas::Backend backend : backends()) {
    blas::set_backend(backend);
    for (const Case& c : float_cases()) {
      Problem<float> p = make_problem<float>(c, 5);
      std::fill(p.c.begin(), p.c.end(), std::nanf(""));
      blas::gemm(c.ta, c.tb, c.m, c.n, c.k, 1.0f, p.a.data(), p.lda, p.b.data(), p.ldb, 0.0f, p.c.data(), p.ldc,
                 c.keep);
      std::size_t nan = 0;
      for (std::size_t i = 0; i < c.m; ++i)
        for (std::size_t j = 0; j < c.n; ++j) nan += std::isnan(p.c[i * p.ldc + j]);
      BOOST_TEST(nan == 0u, blas::backend_name(backend) << ": " << c.what << ": " << nan << " NaN left in C");
    }
  }
}

// The automatic table (gemm_backend.hpp): skinny loops for a C <= 4 columns wide, oneDNN for the other float
// blocks when built with it, OpenBLAS and the skinny loops for double.
BOOST_AUTO_TEST_CASE(automatic_backend_follows_the_measured_table) {
  BackendGuard restore_backend;
  blas::set_backend(blas::Backend::automatic);
  const blas::Library big = blas::has_dnnl() ? blas::Library::dnnl : blas::Library::openblas;
  BOOST_TEST((blas::library_for_float(256, 2, 256) == blas::Library::skinny_loops));
  BOOST_TEST((blas::library_for_float(2, 256, 256) == (blas::has_dnnl() ? big : blas::Library::skinny_loops)));
  BOOST_TEST((blas::library_for_float(256, 256, 2) == big));
  BOOST_TEST((blas::library_for_float(100, 500, 784) == big));
  BOOST_TEST((blas::library_for_double(100, 500, 784) == blas::Library::openblas));
  BOOST_TEST((blas::library_for_double(2, 256, 256) == blas::Library::skinny_loops));
}

BOOST_AUTO_TEST_CASE(bad_backend_names_and_missing_onednn_are_rejected) {
  BackendGuard restore_backend;
  BOOST_TEST((blas::parse_backend("auto") == blas::Backend::automatic));
  BOOST_TEST((blas::parse_backend("openblas") == blas::Backend::openblas));
  BOOST_TEST((blas::parse_backend("dnnl") == blas::Backend::dnnl));
  try {
    blas::parse_backend("mkl");
    BOOST_FAIL("parse_backend(\"mkl\") did not throw");
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("parse_backend") != std::string::npos, what);
    BOOST_TEST(what.find("'mkl'") != std::string::npos, what);
  }
  if (!blas::has_dnnl()) BOOST_CHECK_THROW(blas::set_backend(blas::Backend::dnnl), InvalidArgument);
}

// oneDNN validates its arguments: a leading dimension of A below k (op(A) = A) is reported with the shape.
BOOST_AUTO_TEST_CASE(onednn_rejects_a_leading_dimension_below_the_row_length) {
  std::vector<float> a(64, 1.0f), b(64, 1.0f), c(64, 0.0f);
  try {
    blas::dnnl_gemm_serial(false, false, 4, 4, 8, 1.0f, a.data(), 3, b.data(), 4, 0.0f, c.data(), 4);
    BOOST_FAIL("dnnl_gemm_serial with lda 3 < k 8 did not throw");
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find(blas::has_dnnl() ? "lda=3" : "without oneDNN") != std::string::npos, what);
  }
}

BOOST_AUTO_TEST_SUITE_END()
