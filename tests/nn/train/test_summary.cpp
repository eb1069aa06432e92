// summary(): DL4J-style table rows (name (type), nIn,nOut, parameter count, shapes) and totals, frozen counts.
#include "nn/layers/dense.hpp"
#include "nn/layers/mlp.hpp"
#include "nn/train/summary.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
void contains(const std::string& text, const std::string& part) {
  BOOST_TEST(text.find(part) != std::string::npos, "summary lacks '" << part << "':\n" << text);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(summary_table)

BOOST_AUTO_TEST_CASE(mlp_table) {
  MlpOptions o;
  o.loss = Loss::MCXENT;
  o.weight_init = WeightInitConfig::from_name("ZERO");
  const auto net = mlp({784, 256, 10}, o);
  const std::string s = summary(*net);
  contains(s, "LayerName (LayerType)");
  contains(s, "nIn,nOut");
  contains(s, "TotalParams");
  contains(s, "ParamsShape");
  contains(s, "0 (Dense)");
  contains(s, "784,256");
  contains(s, "200,960");
  contains(s, "W:{784,256}, b:{256}");
  contains(s, "1 (OutputLayer)");
  contains(s, "256,10");
  contains(s, "2,570");
  contains(s, "Total Parameters:  203,530");
  contains(s, "Trainable Parameters:  203,530");
  contains(s, "Frozen Parameters:  0");
  // rows are aligned: "784,256" and "256,10" start in the same column
  const auto line_of = [&](const std::string& key) {
    const auto p = s.find(key);
    const auto start = s.rfind('\n', p) + 1;
    return s.substr(start, s.find('\n', p) - start);
  };
  BOOST_TEST(line_of("0 (Dense)").find("784,256") == line_of("1 (OutputLayer)").find("256,10"));
  net->freeze("1.W");
  const std::string f = summary(*net);
  contains(f, "Trainable Parameters:  200,970");
  contains(f, "Frozen Parameters:  2,560");
}

BOOST_AUTO_TEST_CASE(single_layer) {
  Dense d(DenseOptions{3, 2});
  const std::string s = summary(d);
  contains(s, "0 (Dense)");
  contains(s, "3,2");
  contains(s, "W:{3,2}, b:{2}");
  contains(s, "Total Parameters:  8");
}

BOOST_AUTO_TEST_SUITE_END()
