// Threads: (a) the same seed gives bit-identical results with 1 and 2 kernel threads (elementwise
// kernels, reductions, random fills, backward), on arrays larger than the parallel grain; (b) two
// std::threads each training a small MLP on their own tape at the same time get exactly the results
// of training one after the other.
#include <thread>

#include "autograd/kernels.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::ThreadCount;

namespace {
std::vector<std::vector<double>> kernel_results(int threads) {
  set_num_threads(threads);
  std::vector<std::vector<double>> out;
  Generator gen(2024);
  const std::size_t rows = 200, cols = 500;  // 100000 elements > kGrain = 16384
  BOOST_TEST_REQUIRE(rows * cols > parallel::kGrain);
  out.push_back(gen.uniform({rows * cols}, -1, 1).to_vector());
  out.push_back(gen.normal({rows * cols}).to_vector());
  out.push_back(gen.bernoulli({rows * cols}, 0.4).to_vector());
  Variable x = parameter(gen.normal({rows, cols}));
  Variable w = parameter(gen.normal({cols}));
  Variable h = xgrad::tanh(x * 1.0001 + 0.001);
  Variable s = softmax(h * w, 1);
  Variable l = log_sigmoid(h) + sigmoid(x) * x;
  out.push_back(h.value().to_vector());
  out.push_back(s.value().to_vector());
  out.push_back(l.value().to_vector());
  out.push_back({sum(x).item(), mean(h).item(), max(l).item()});
  out.push_back(sum(l, 0).value().to_vector());
  out.push_back(sum(x, 1).value().to_vector());
  out.push_back(logsumexp(h, 1).value().to_vector());
  Variable loss = sum(s * l) + mean(logsumexp(x, 0));
  loss.backward();
  out.push_back({loss.item()});
  out.push_back(x.grad().to_vector());
  out.push_back(w.grad().to_vector());
  return out;
}

struct Mlp {
  Variable w1, b1, w2, b2;
};

// A 2-layer tanh MLP trained by hand-written SGD on its own data; returns every loss and the final
// parameters. Big enough that the elementwise kernels run in parallel blocks.
std::vector<double> train(std::uint64_t seed) {
  TapeScope tape;  // the thread's own tape (thread-local anyway; explicit for clarity)
  Generator gen(seed);
  const std::size_t n = 512, d = 64, hdim = 48;
  const Tensor x = gen.normal({n, d});
  const Tensor y = gen.uniform({n, 1}, -1, 1);
  Mlp m{parameter(gen.normal({d, hdim}, 0, 0.2)), parameter(Tensor::zeros({hdim})),
        parameter(gen.normal({hdim, 1}, 0, 0.2)), parameter(Tensor::zeros({1}))};
  std::vector<double> out;
  const double lr = 0.05;
  for (int step = 0; step < 15; ++step) {
    Variable pred = dense(xgrad::tanh(dense(constant(x), m.w1, m.b1)), m.w2, m.b2);
    Variable loss = mean(square(pred - constant(y)));
    loss.backward();
    out.push_back(loss.item());
    NoGradGuard no_grad;
    for (Variable* p : {&m.w1, &m.b1, &m.w2, &m.b2}) {
      p->mutable_value().visit([&](auto& v) {
        using T = kernels::value_of<decltype(v)>;
        xt::noalias(v) -= static_cast<T>(lr) * p->grad().array<T>();
      });
      p->zero_grad();
    }
  }
  for (const Variable* p : {&m.w1, &m.b1, &m.w2, &m.b2}) {
    const std::vector<double> v = p->value().to_vector();
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(threads)

BOOST_AUTO_TEST_CASE(same_seed_bit_identical_with_1_and_2_threads) {
  ThreadCount restore;
  const auto one = kernel_results(1);
  const auto two = kernel_results(2);
  BOOST_TEST_REQUIRE(one.size() == two.size());
  for (std::size_t k = 0; k < one.size(); ++k) {
    BOOST_TEST_REQUIRE(one[k].size() == two[k].size());
    std::size_t first_diff = one[k].size();
    for (std::size_t i = 0; i < one[k].size() && first_diff == one[k].size(); ++i)
      if (one[k][i] != two[k][i]) first_diff = i;
    BOOST_TEST(first_diff == one[k].size(), "result " << k << " differs at element " << first_diff);
  }
}

BOOST_AUTO_TEST_CASE(concurrent_training_equals_sequential) {
  const std::vector<double> seq1 = train(11), seq2 = train(12);
  BOOST_TEST_REQUIRE(seq1.size() == 15u + 64 * 48 + 48 + 48 + 1);
  BOOST_TEST(seq1[14] < seq1[0]);  // it trains
  BOOST_TEST(seq1 != seq2);
  for (int round = 0; round < 2; ++round) {
    std::vector<double> par1, par2;
    std::thread t1([&] { par1 = train(11); });
    std::thread t2([&] { par2 = train(12); });
    t1.join();
    t2.join();
    BOOST_TEST((par1 == seq1), "thread 1, round " << round);
    BOOST_TEST((par2 == seq2), "thread 2, round " << round);
  }
}

BOOST_AUTO_TEST_SUITE_END()
