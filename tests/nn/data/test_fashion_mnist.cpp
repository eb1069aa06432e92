// Fashion-MNIST loader: a small fake copy written by the test (IDX gzip files), the limit option,
// the missing-file message naming the Debian package, and (when installed) the real files' sizes.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "nn/data/fashion_mnist.hpp"
#include "nn/data/idx.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn::data;
using xgrad::test::check_throws_with;

namespace {
void write_split(const test::TempDir& dir, const std::string& prefix, std::uint32_t n) {
  std::vector<std::uint8_t> px(n * 784), lab(n);
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<std::uint8_t>(i % 251);
  for (std::uint32_t i = 0; i < n; ++i) lab[i] = static_cast<std::uint8_t>((i * 7) % 10);
  write_idx(dir.file(prefix + "-images-idx3-ubyte.gz"), {n, 28, 28}, px, true);
  write_idx(dir.file(prefix + "-labels-idx1-ubyte.gz"), {n}, lab, true);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(fashion_mnist)

BOOST_AUTO_TEST_CASE(loads_a_directory_with_limit) {
  test::TempDir dir;
  write_split(dir, "train", 12);
  write_split(dir, "t10k", 5);
  FashionMnistOptions o;
  o.directory = dir.path.string();
  const FashionMnist all = load_fashion_mnist(o);
  BOOST_TEST((all.train.features().shape() == Shape{12, 784}));
  BOOST_TEST(all.test.size() == 5u);
  BOOST_TEST(all.train.num_classes() == 10u);
  BOOST_TEST(all.train.labels()[3] == 1);  // 21 % 10
  BOOST_TEST(all.train.features().at(250) == 250.0f / 255.0f);
  o.limit = 4;
  o.divisor = 1;
  const Dataset few = load_fashion_mnist_split(true, o);
  BOOST_TEST(few.size() == 4u);
  BOOST_TEST(few.features().at(785) == 32.0f);  // raw pixel value 785 % 251, divisor 1
}

BOOST_AUTO_TEST_CASE(missing_file_names_path_and_package) {
  test::TempDir dir;
  FashionMnistOptions o;
  o.directory = dir.file("nothing-here");
  check_throws_with<DataError>(
      [&] { load_fashion_mnist(o); },
      {dir.file("nothing-here") + "/train-images-idx3-ubyte.gz not found", "apt-get install dataset-fashion-mnist"});
}

BOOST_AUTO_TEST_CASE(mismatched_counts_and_bad_labels) {
  test::TempDir dir;
  write_split(dir, "train", 3);
  write_idx(dir.file("train-labels-idx1-ubyte.gz"), {2}, {1, 2}, true);
  FashionMnistOptions o;
  o.directory = dir.path.string();
  check_throws_with<DataError>([&] { load_fashion_mnist_split(true, o); }, {"holds 3 images but", "holds 2 labels"});
  write_idx(dir.file("train-labels-idx1-ubyte.gz"), {3}, {1, 12, 2}, true);
  check_throws_with<DataError>([&] { load_fashion_mnist_split(true, o); },
                               {"train-labels-idx1-ubyte.gz: byte 9: label 12, expected 0..9"});
}

BOOST_AUTO_TEST_CASE(installed_copy_has_the_published_sizes) {
  if (!std::filesystem::exists(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz")) {
    BOOST_TEST_MESSAGE("dataset-fashion-mnist is not installed; checking the error instead");
    check_throws_with<DataError>([] { load_fashion_mnist_split(false); }, {"apt-get install dataset-fashion-mnist"});
    return;
  }
  const Dataset test = load_fashion_mnist_split(false);
  BOOST_TEST((test.features().shape() == Shape{10000, 784}));
  std::vector<int> counts(10, 0);
  for (int l : test.labels()) ++counts[static_cast<std::size_t>(l)];
  for (int c : counts) BOOST_TEST(c == 1000);  // Fashion-MNIST's test set is balanced
}

BOOST_AUTO_TEST_SUITE_END()
