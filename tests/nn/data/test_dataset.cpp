// Dataset, preprocessing, split and the minibatch iterator: one-hot, scalers fitted on train,
// deterministic seeded shuffling, static/dynamic binarisation statistics, iterator state restore.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "nn/data/dataset.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn::data;
using xgrad::test::check_close;
using xgrad::test::check_throws_with;

namespace {
// N rows, row i = [i, 10 i], labels i % 3.
Dataset counting(std::size_t n) {
  std::vector<double> v;
  std::vector<int> l;
  for (std::size_t i = 0; i < n; ++i) {
    v.push_back(double(i));
    v.push_back(10.0 * double(i));
    l.push_back(int(i % 3));
  }
  return Dataset(Tensor::from({n, 2}, v), l);
}

std::vector<std::size_t> epoch_order(BatchIterator& it, std::size_t epoch) {
  it.start_epoch(epoch);
  std::vector<std::size_t> order;
  Batch b;
  while (it.next(b)) order.insert(order.end(), b.indices.begin(), b.indices.end());
  return order;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(dataset)

BOOST_AUTO_TEST_CASE(construction_and_one_hot) {
  const Dataset d = counting(4);
  BOOST_TEST(d.size() == 4u);
  BOOST_TEST(d.dim() == 2u);
  BOOST_TEST(d.num_classes() == 3u);
  check_close(d.one_hot_labels(), {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0}, 0.0);
  check_close(one_hot({2, 0}, 4, DType::float64), {0, 0, 1, 0, 1, 0, 0, 0}, 0.0);
  check_throws_with<InvalidArgument>([] { one_hot({1, 4}, 4); }, {"one_hot: label 4 at row 1 is outside [0, 4)"});
  check_throws_with<ShapeError>(
      [] {
        Dataset(Tensor::zeros({3, 2}), std::vector<int>{0, 1});
      },
      {"Dataset: 2 labels for 3 feature rows [3,2]"});
  check_throws_with<InvalidArgument>(
      [] {
        Dataset(Tensor::zeros({2, 2}), std::vector<int>{0, 5}, 3);
      },
      {"label 5 at row 1 is outside [0, 3)"});
  check_throws_with<ShapeError>([] { Dataset(Tensor::zeros({4})); }, {"features must be a 2-D [N, D] tensor, got [4]"});
  BOOST_TEST(!Dataset(Tensor::zeros({2, 2})).has_labels());
}

BOOST_AUTO_TEST_CASE(subset_and_head) {
  const Dataset d = counting(5);
  const Dataset s = d.subset({4, 1});
  check_close(s.features(), {4, 40, 1, 10}, 0.0);
  BOOST_TEST((s.labels() == std::vector<int>{1, 1}));
  BOOST_TEST(s.num_classes() == 3u);
  BOOST_TEST(d.head(2).size() == 2u);
  BOOST_TEST(d.head(99).size() == 5u);
}

BOOST_AUTO_TEST_CASE(min_max_scaler_fit_on_train_applied_to_test) {
  const Tensor train = Tensor::from({3, 2}, {0, 10, 5, 20, 10, 10});
  const MinMaxScaler s = MinMaxScaler::fit(train);
  check_close(s.apply(train), {0, 0, 0.5, 1, 1, 0}, 1e-7);
  check_close(s.apply(Tensor::from({1, 2}, {20, 15})), {2, 0.5}, 1e-7);  // test data may leave [0,1]
  const MinMaxScaler r = MinMaxScaler::from_json(s.to_json());
  check_close(r.apply(train), {0, 0, 0.5, 1, 1, 0}, 1e-7);
  // A constant column maps to 0.
  check_close(MinMaxScaler::fit(Tensor::from({2, 1}, {3, 3})).apply(Tensor::from({1, 1}, {3})), {0}, 0.0);
}

BOOST_AUTO_TEST_CASE(standardizer_fit_on_train_applied_to_test) {
  // Column 0: mean 2, population std sqrt(8/3); column 1 constant.
  const Tensor train = Tensor::from({3, 2}, {0, 7, 2, 7, 4, 7}, DType::float64);
  const Standardizer s = Standardizer::fit(train);
  check_close(s.mean, {2, 7}, 1e-12);
  check_close(s.std, {std::sqrt(8.0 / 3.0), 0}, 1e-12);
  const double k = 1 / std::sqrt(8.0 / 3.0);
  check_close(s.apply(train), {-2 * k, 0, 0, 0, 2 * k, 0}, 1e-12);
  check_close(s.apply(Tensor::from({1, 2}, {5, 9}, DType::float64)), {3 * k, 0}, 1e-12);
  check_close(Standardizer::from_json(s.to_json()).apply(train), {-2 * k, 0, 0, 0, 2 * k, 0}, 1e-12);
  check_throws_with<ShapeError>([&] { s.apply(Tensor::zeros({1, 3})); }, {"fitted on 2 columns, got [1,3]"});
}

BOOST_AUTO_TEST_CASE(static_binarization) {
  check_close(binarize(Tensor::from({1, 4}, {0.1, 0.5, 0.51, 0.9})), {0, 0, 1, 1}, 0.0);
  check_close(binarize(Tensor::from({1, 3}, {0.1, 0.2, 0.3}), 0.15), {0, 1, 1}, 0.0);
}

BOOST_AUTO_TEST_CASE(dynamic_binarization_statistics) {
  // Column j has intensity p_j; each draw is Bernoulli(p_j): the mean over 4000 rows is within 4 sigma.
  const std::vector<double> p{0.05, 0.3, 0.5, 0.9};
  std::vector<double> v;
  for (int i = 0; i < 4000; ++i) v.insert(v.end(), p.begin(), p.end());
  const Tensor x = Tensor::from({4000, 4}, v);
  Generator gen(5);
  const Tensor a = sample_binarize(x, gen);
  const Tensor b = sample_binarize(x, gen);
  for (std::size_t j = 0; j < 4; ++j) {
    double mean = 0;
    for (std::size_t i = 0; i < 4000; ++i) {
      const double s = a.at(i * 4 + j);
      BOOST_TEST((s == 0.0 || s == 1.0));
      mean += s / 4000;
    }
    BOOST_TEST(std::fabs(mean - p[j]) < 4 * std::sqrt(p[j] * (1 - p[j]) / 4000), "column " << j << " mean " << mean);
  }
  BOOST_TEST(a.to_vector() != b.to_vector());  // fresh draws each time
  Generator again(5);
  BOOST_TEST(sample_binarize(x, again).to_vector() == a.to_vector());  // seeded
  check_throws_with<DataError>(
      [] {
        Generator g(1);
        sample_binarize(Tensor::from({2, 2}, {0, 0.5, 1, 1.5}), g);
      },
      {"sample_binarize: dynamic binarisation needs values in [0,1], got 1.5", "row 1, column 1"});
}

BOOST_AUTO_TEST_CASE(shuffling_is_a_seeded_permutation_per_epoch) {
  const Dataset d = counting(103);
  BatchIterator a(d, {10, true, 42});
  BatchIterator b(d, {10, true, 42});
  BatchIterator c(d, {10, true, 43});
  BOOST_TEST(a.num_batches() == 11u);
  const auto a0 = epoch_order(a, 0), a1 = epoch_order(a, 1);
  BOOST_TEST(a0 == epoch_order(b, 0));  // same seed, same epoch: same order
  BOOST_TEST(a1 == epoch_order(b, 1));
  BOOST_TEST(a0 != a1);                 // a new permutation every epoch
  BOOST_TEST(a0 != epoch_order(c, 0));  // another seed, another order
  BOOST_TEST(a0 == epoch_order(a, 0));  // epoch order depends only on (seed, epoch)
  auto sorted = a0;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) BOOST_TEST_REQUIRE(sorted[i] == i);
}

BOOST_AUTO_TEST_CASE(batches_carry_rows_and_labels) {
  const Dataset d = counting(7);
  BatchIterator it(d, {3, false, 0});
  Batch b;
  std::vector<std::size_t> sizes;
  while (it.next(b)) {
    sizes.push_back(b.indices.size());
    for (std::size_t k = 0; k < b.indices.size(); ++k) {
      BOOST_TEST(b.features.at(2 * k) == double(b.indices[k]));
      BOOST_TEST(b.labels[k] == int(b.indices[k] % 3));
    }
  }
  BOOST_TEST((sizes == std::vector<std::size_t>{3, 3, 1}));
  BatchIterator drop(d, {3, false, 0, true});
  BOOST_TEST(drop.num_batches() == 2u);
  check_throws_with<InvalidArgument>([&] { BatchIterator(d, {0}); }, {"batch_size must be >= 1"});
}

BOOST_AUTO_TEST_CASE(iterator_binarizes_each_batch) {
  std::vector<double> v(50 * 10, 0.5);
  const Dataset d(Tensor::from({50, 10}, v));
  BatchOptions o{50, false, 9};
  o.binarization = Binarization::dynamic;
  BatchIterator it(d, o);
  Batch b1, b2;
  it.next(b1);
  it.start_epoch(1);
  it.next(b2);
  BOOST_TEST(b1.features.to_vector() != b2.features.to_vector());  // fresh draws per batch
  double mean = 0;
  for (double s : b1.features.to_vector()) mean += s / 500;
  BOOST_TEST(std::fabs(mean - 0.5) < 4 * std::sqrt(0.25 / 500));
  o.binarization = Binarization::fixed;
  o.threshold = 0.4;
  BatchIterator st(d, o);
  st.next(b1);
  BOOST_TEST(b1.features.to_vector() == std::vector<double>(500, 1.0));
  std::vector<double> bad(v);
  bad[23] = 2;
  const Dataset dbad(Tensor::from({50, 10}, bad));
  o.binarization = Binarization::dynamic;
  check_throws_with<DataError>([&] { BatchIterator(dbad, o); }, {"BatchIterator", "got 2 at row 2, column 3"});
}

BOOST_AUTO_TEST_CASE(restored_iterator_continues_exactly) {
  std::vector<double> v;
  for (int i = 0; i < 40; ++i) v.push_back((i % 10) / 10.0);
  const Dataset d(Tensor::from({20, 2}, v));
  BatchOptions o{6, true, 3};
  o.binarization = Binarization::dynamic;
  BatchIterator a(d, o);
  Batch b;
  a.start_epoch(2);
  a.next(b);
  a.next(b);
  const auto state = a.state();
  std::vector<std::vector<double>> rest_a;
  while (a.next(b)) rest_a.push_back(b.features.to_vector());
  BatchIterator c(d, o);
  c.restore(state);
  BOOST_TEST(c.epoch() == 2u);
  BOOST_TEST(c.position() == 2u);
  std::vector<std::vector<double>> rest_c;
  while (c.next(b)) rest_c.push_back(b.features.to_vector());
  BOOST_TEST(rest_a == rest_c);
  BatchIterator other(d, {6, true, 4});
  check_throws_with<InvalidArgument>([&] { other.restore(state); }, {"BatchIterator::restore: state has seed = 3"});
}

BOOST_AUTO_TEST_CASE(restore_rejects_negative_or_out_of_range_counters) {
  const Dataset d = counting(20);
  const BatchOptions o{6, true, 3};  // 4 batches an epoch
  BatchIterator a(d, o);
  auto state = a.state();
  state["position"] = -1;  // nlohmann's get<std::size_t>() used to make it 2^64-1
  check_throws_with<InvalidArgument>([&] { BatchIterator(d, o).restore(state); },
                                     {"BatchIterator::restore: position", "non-negative integer", "-1"});
  state["position"] = 5;
  check_throws_with<InvalidArgument>([&] { BatchIterator(d, o).restore(state); },
                                     {"position 5 is past the 4 batches"});
  state["position"] = 4;  // the end of an epoch is a valid state
  BatchIterator(d, o).restore(state);
  state["epoch"] = 1.5;
  check_throws_with<InvalidArgument>([&] { BatchIterator(d, o).restore(state); }, {"epoch", "1.5"});
}

BOOST_AUTO_TEST_CASE(train_validation_split_is_seeded_and_disjoint) {
  const Dataset d = counting(50);
  const auto [train, val] = train_validation_split(d, 0.2, 7);
  BOOST_TEST(train.size() == 40u);
  BOOST_TEST(val.size() == 10u);
  std::set<double> seen;
  for (const Dataset* part : {&train, &val})
    for (std::size_t i = 0; i < part->size(); ++i) {
      seen.insert(part->features().at(2 * i));
      BOOST_TEST(part->labels()[i] == int(part->features().at(2 * i)) % 3);  // labels follow their rows
    }
  BOOST_TEST(seen.size() == 50u);  // disjoint, and together everything
  BOOST_TEST(train_validation_split(d, 0.2, 7).second.features().to_vector() == val.features().to_vector());
  BOOST_TEST(train_validation_split(d, 0.2, 8).second.features().to_vector() != val.features().to_vector());
  const auto [t2, v2] = train_validation_split(d, 0.1, 0, false);
  check_close(v2.features(), {45, 450, 46, 460, 47, 470, 48, 480, 49, 490}, 0.0);
  check_throws_with<InvalidArgument>([&] { train_validation_split(d, 1.5); }, {"validation_fraction must be in [0,1]"});
}

BOOST_AUTO_TEST_SUITE_END()
