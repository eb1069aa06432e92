#include "trainer/data_source.hpp"

#include "autograd/random.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "trainer/exit_codes.hpp"

namespace xgrad::trainer {

Tensor evaluation_features(const Tensor& x, nn::data::Binarization binarization) {
  switch (binarization) {
    case nn::data::Binarization::fixed:
      return nn::data::binarize(x, 0.5);
    case nn::data::Binarization::dynamic: {
      Generator gen(kTestBinarizationSeed);
      return nn::data::sample_binarize(x, gen);
    }
    default:
      return x;
  }
}

FashionData load_fashion_data(const DataSettings& data, bool with_train, nn::data::Binarization binarization,
                              DType dtype) {
  FashionData out;
  try {
    nn::data::FashionMnistOptions opt;
    opt.directory = data.data_dir;
    opt.dtype = dtype;
    if (with_train) {
      opt.limit = data.limit;
      out.train = nn::data::load_fashion_mnist_split(true, opt);
    }
    opt.limit = data.test_limit;
    out.test = nn::data::load_fashion_mnist_split(false, opt);
  } catch (const std::exception& e) {
    throw InputError(std::string("cannot load the dataset: ") + e.what());
  }
  out.test_x = evaluation_features(out.test.features(), binarization);
  return out;
}

}  // namespace xgrad::trainer
