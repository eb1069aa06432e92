// oneDNN 2.6.3's convolution primitives (Debian libdnnl-dev, what PyTorch's CPU conv runs on) at bench/conv_ops'
// shapes: forward_training + backward_data (except for the first conv, whose input is data) + backward_weights
// with bias, batch 100, float32, k4 s2 p1. Two memory layouts:
//   plain   NCHW activations and OIHW / IOHW weights, the layouts xgrad's tensors have (no reorders);
//   blocked format_tag::any, the layouts oneDNN prefers, reorders NOT counted: the bound for a network that
//           kept every activation in oneDNN's layouts.
//   conv_dnnl [--threads 1,2] [--rounds 5] [--reps 10]
//   -> dnnl_plain|dnnl_blocked case=NAME threads=T ms_median=... ms_min=... ms_max=...
// oneDNN runs on OpenMP here (DNNL_CPU_RUNTIME OMP); T is omp_set_num_threads.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "conv_bench_args.hpp"
#include "dnnl.hpp"

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {
struct Shape {
  std::string name;
  bool transposed;
  memory::dim c_in, h_in, c_out, h_out;
  bool needs_dx;
};

// fwd + bwd of one (de)convolution as a callable; Fwd/BwdD/BwdW are oneDNN's primitive types.
template <class Fwd, class BwdD, class BwdW>
std::function<void()> make_case(const engine& eng, stream& s, const Shape& sh, bool blocked, algorithm alg) {
  const memory::dim n = 100, k = 4;
  const memory::dims src_d{n, sh.c_in, sh.h_in, sh.h_in}, dst_d{n, sh.c_out, sh.h_out, sh.h_out};
  const memory::dims w_d{sh.c_out, sh.c_in, k, k}, b_d{sh.c_out}, strides{2, 2}, pad{1, 1};
  const tag act = blocked ? tag::any : tag::nchw;
  const tag wt = blocked ? tag::any : (sh.transposed ? tag::iohw : tag::oihw);
  const memory::desc src{src_d, dt::f32, act}, dst{dst_d, dt::f32, act}, w{w_d, dt::f32, wt}, b{b_d, dt::f32, tag::x};
  typename Fwd::primitive_desc fwd_pd(
      typename Fwd::desc(prop_kind::forward_training, alg, src, w, b, dst, strides, pad, pad), eng);
  typename BwdD::primitive_desc bwd_d_pd(typename BwdD::desc(alg, src, w, dst, strides, pad, pad), eng, fwd_pd);
  typename BwdW::primitive_desc bwd_w_pd(typename BwdW::desc(alg, src, w, b, dst, strides, pad, pad), eng, fwd_pd);
  auto fill = [&](const memory::desc& md) {
    memory m(md, eng);
    float* p = static_cast<float*>(m.get_data_handle());
    for (std::size_t i = 0; i < md.get_size() / sizeof(float); ++i)
      p[i] = float((i * 2654435761u) % 1000) / 1000.f - 0.5f;
    return m;
  };
  memory x = fill(fwd_pd.src_desc()), wm = fill(fwd_pd.weights_desc()), bm = fill(fwd_pd.bias_desc());
  memory y = fill(fwd_pd.dst_desc()), dy = fill(bwd_w_pd.diff_dst_desc()), dx = fill(bwd_d_pd.diff_src_desc());
  memory dw = fill(bwd_w_pd.diff_weights_desc()), db = fill(bwd_w_pd.diff_bias_desc());
  auto fwd = std::make_shared<Fwd>(fwd_pd);
  auto bwd_d = std::make_shared<BwdD>(bwd_d_pd);
  auto bwd_w = std::make_shared<BwdW>(bwd_w_pd);
  const bool needs_dx = sh.needs_dx;
  return [=, &s]() mutable {
    fwd->execute(s, {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_BIAS, bm}, {DNNL_ARG_DST, y}});
    if (needs_dx) bwd_d->execute(s, {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DIFF_SRC, dx}});
    bwd_w->execute(s,
                   {{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_WEIGHTS, dw}, {DNNL_ARG_DIFF_BIAS, db}});
    s.wait();
  };
}

}  // namespace

int main(int argc, char** argv) {
  const ConvBenchArgs args = parse_conv_bench_args(argc, argv, "conv_dnnl");
  const std::vector<int>& threads = args.threads;
  const int rounds = args.rounds, reps = args.reps;
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  // For the transposed convolutions oneDNN's "c_out" is the deconvolution's output channels.
  const std::vector<Shape> shapes = {{"conv2d_1x28x28_32x14x14", false, 1, 28, 32, 14, false},
                                     {"conv2d_32x14x14_64x7x7", false, 32, 14, 64, 7, true},
                                     {"convT_64x7x7_32x14x14", true, 64, 7, 32, 14, true},
                                     {"convT_32x14x14_1x28x28", true, 32, 14, 1, 28, true}};
  struct Run {
    std::string impl, name;
    std::function<void()> step;
  };
  std::vector<Run> runs;
  for (bool blocked : {false, true})
    for (const Shape& sh : shapes) {
      const std::string impl = blocked ? "dnnl_blocked" : "dnnl_plain";
      runs.push_back(
          {impl, sh.name,
           sh.transposed
               ? make_case<deconvolution_forward, deconvolution_backward_data, deconvolution_backward_weights>(
                     eng, s, sh, blocked, algorithm::deconvolution_direct)
               : make_case<convolution_forward, convolution_backward_data, convolution_backward_weights>(
                     eng, s, sh, blocked, algorithm::convolution_direct)});
    }
  std::vector<std::vector<double>> ms(runs.size() * threads.size());
  for (int r = 0; r < rounds; ++r)
    for (std::size_t t = 0; t < threads.size(); ++t) {
      omp_set_num_threads(threads[t]);
      for (std::size_t c = 0; c < runs.size(); ++c) {
        runs[c].step();
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < reps; ++i) runs[c].step();
        ms[c * threads.size() + t].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / reps);
      }
    }
  for (std::size_t c = 0; c < runs.size(); ++c)
    for (std::size_t t = 0; t < threads.size(); ++t) {
      auto v = ms[c * threads.size() + t];
      std::sort(v.begin(), v.end());
      std::printf("%s case=%s threads=%d ms_median=%.4f ms_min=%.4f ms_max=%.4f\n", runs[c].impl.c_str(),
                  runs[c].name.c_str(), threads[t], v[v.size() / 2], v.front(), v.back());
    }
}
