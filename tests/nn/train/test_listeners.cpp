// Training listeners: call sequence, ScoreEveryN, ProgressBar (plain lines and terminal redraw),
// CsvMetricsLog rows, EarlyStopping (stop + restore best).
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "temp_dir.hpp"
#include "nn/layers/dense.hpp"
#include "nn/train/network.hpp"
#include "test_helpers.hpp"
#include "tiny_layers.hpp"

using namespace xgrad;
using namespace xgrad::nn;
using xgrad::test::check_throws_with;

namespace {
data::Dataset data_of(std::size_t n, std::uint64_t seed) {
  Generator g(seed);
  std::vector<int> labels(n);
  for (std::size_t i = 0; i < n; ++i) labels[i] = static_cast<int>(i % 2);
  return data::Dataset(g.uniform({n, 3}), labels);
}

std::unique_ptr<Network> net_of(std::uint64_t seed = 1) {
  DenseOptions d;
  d.n_in = 3;
  d.n_out = 4;
  d.activation = Activation::from_name("tanh");
  d.seed = seed;
  auto net = std::make_unique<Network>(std::vector<std::shared_ptr<Layer>>{
      std::make_shared<Dense>(d),
      std::make_shared<OutputLayer>(OutputLayerOptions(4, 2, Loss::MCXENT, Activation::from_name("softmax")))});
  net->set_optimizer({{"type", "adam"}, {"learning_rate", 0.01}});
  return net;
}

struct Recorder : TrainingListener {
  std::vector<std::string> events;
  std::vector<IterationInfo> iterations;
  void on_fit_start(Network&, const FitInfo& i) override {
    events.push_back("start " + i.phase + " " + std::to_string(i.first_epoch) + " " + std::to_string(i.epochs) + " " +
                     std::to_string(i.num_batches));
  }
  void on_iteration(Network&, const IterationInfo& i) override { iterations.push_back(i); }
  void on_epoch_end(Network&, const EpochInfo& i) override { events.push_back("epoch " + std::to_string(i.epoch)); }
  void on_fit_end(Network&) override { events.push_back("end"); }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(listeners)

BOOST_AUTO_TEST_CASE(call_sequence_for_fit_and_pretrain) {
  auto net = net_of();
  auto rec = std::make_shared<Recorder>();
  net->add_listener(rec);
  net->fit(data_of(10, 1), {2, 4});
  net->fit(data_of(10, 1), {1, 4});
  BOOST_TEST((rec->events == std::vector<std::string>{"start fit 0 2 3", "epoch 0", "epoch 1", "end", "start fit 2 1 3",
                                                      "epoch 2", "end"}));
  BOOST_TEST_REQUIRE(rec->iterations.size() == 9u);
  BOOST_TEST(rec->iterations[2].batch == 2u);
  BOOST_TEST(rec->iterations[2].batch_size == 2u);  // 10 = 4 + 4 + 2
  BOOST_TEST(rec->iterations[8].iteration == 9u);
  BOOST_TEST(rec->iterations[8].epoch == 2u);
  xgrad::test::TinyAutoEncoder::register_type();
  Network pre({std::make_shared<xgrad::test::TinyAutoEncoder>(3, 2, 1)});
  pre.set_optimizer("adam");
  auto rec2 = std::make_shared<Recorder>();
  pre.add_listener(rec2);
  pre.pretrain(data_of(10, 1), {1, 5});
  BOOST_TEST((rec2->events == std::vector<std::string>{"start pretrain layer 0 0 1 2", "epoch 0", "end"}));
}

BOOST_AUTO_TEST_CASE(score_every_n) {
  auto net = net_of();
  std::ostringstream out;
  auto s = std::make_shared<ScoreEveryN>(2, &out);
  net->add_listener(s);
  net->fit(data_of(20, 2), {3, 4});  // 15 iterations
  BOOST_TEST(s->history().size() == 7u);
  BOOST_TEST(s->history().front().first == 2u);
  BOOST_TEST(s->history().back().first == 14u);
  BOOST_TEST(lines_of(out.str()).size() == 7u);
  BOOST_TEST(out.str().rfind("iteration 2 (epoch 0): score ", 0) == 0u);
  check_throws_with<InvalidArgument>([] { ScoreEveryN(0); }, {"ScoreEveryN: n must be >= 1"});
}

BOOST_AUTO_TEST_CASE(progress_bar_plain_lines) {
  auto net = net_of();
  std::ostringstream out;
  auto bar = std::make_shared<ProgressBar>(&out, ProgressBar::Mode::plain, 0.25);
  BOOST_TEST(!bar->terminal());
  net->add_listener(bar);
  net->fit(data_of(32, 3), {2, 4});  // 8 batches per epoch: reports after 2, 4, 6 and the epoch's end
  const auto lines = lines_of(out.str());
  BOOST_TEST_REQUIRE(lines.size() == 8u, out.str());
  BOOST_TEST(out.str().find('\r') == std::string::npos);
  BOOST_TEST(lines[0].find("epoch 1/2 [") == 0u, lines[0]);
  BOOST_TEST(lines[0].find("] 2/8 loss ") != std::string::npos, lines[0]);
  BOOST_TEST(lines[0].find("samples/s ETA ") != std::string::npos, lines[0]);
  BOOST_TEST(lines[3].find("] 8/8 loss ") != std::string::npos, lines[3]);
  BOOST_TEST(lines[3].find(" time 0:0") != std::string::npos, lines[3]);
  BOOST_TEST(lines[7].find("epoch 2/2 [========================] 8/8") == 0u, lines[7]);
  out.str("");
  net->fit(data_of(32, 3), {1, 4});  // epochs count across fit calls
  BOOST_TEST(lines_of(out.str()).back().find("epoch 3/3 [") == 0u, out.str());
}

BOOST_AUTO_TEST_CASE(progress_bar_terminal_redraws_one_line) {
  auto net = net_of();
  std::ostringstream out;
  auto bar = std::make_shared<ProgressBar>(&out, ProgressBar::Mode::terminal);
  BOOST_TEST(bar->terminal());
  net->add_listener(bar);
  net->fit(data_of(12, 3), {1, 4});
  const std::string s = out.str();
  BOOST_TEST(std::count(s.begin(), s.end(), '\r') == 4);  // 3 redraws + the final line
  BOOST_TEST(std::count(s.begin(), s.end(), '\n') == 1);
  BOOST_TEST(s.find("\r"
                    "epoch 1/1 [========>               ] 1/3 loss") == 0u,
             s);
}

BOOST_AUTO_TEST_CASE(csv_metrics_log) {
  test::TempDir dir;
  const auto val = data_of(8, 9);
  auto net = net_of();
  net->add_listener(std::make_shared<CsvMetricsLog>(dir.file("m.csv"), &val));
  net->fit(data_of(16, 4), {3, 8});
  std::ifstream in(dir.file("m.csv"));
  std::stringstream ss;
  ss << in.rdbuf();
  const auto lines = lines_of(ss.str());
  BOOST_TEST_REQUIRE(lines.size() == 4u, ss.str());
  BOOST_TEST(lines[0] == "phase,epoch,iteration,train_score,validation_score,seconds,examples_per_second");
  BOOST_TEST(lines[3].rfind("fit,3,6,", 0) == 0u, lines[3]);
  std::vector<std::string> fields;
  std::stringstream row(lines[3]);
  for (std::string f; std::getline(row, f, ',');) fields.push_back(f);
  BOOST_TEST_REQUIRE(fields.size() == 7u);
  BOOST_TEST(std::stod(fields[4]) == net->score(val), boost::test_tools::tolerance(1e-7));
  // Appending keeps the rows and does not repeat the header.
  auto more = net_of();
  more->add_listener(std::make_shared<CsvMetricsLog>(dir.file("m.csv"), nullptr, true));
  more->fit(data_of(16, 4), {1, 8});
  std::ifstream in2(dir.file("m.csv"));
  std::stringstream ss2;
  ss2 << in2.rdbuf();
  const auto lines2 = lines_of(ss2.str());
  BOOST_TEST_REQUIRE(lines2.size() == 5u);
  BOOST_TEST(lines2[4].find("fit,1,2,") == 0u);
  BOOST_TEST(lines2[4].find(",,") != std::string::npos);  // no validation score
}

BOOST_AUTO_TEST_CASE(early_stopping_stops_and_restores_the_best) {
  const auto train = data_of(20, 5), val = data_of(10, 6);
  auto net = net_of();
  // min_delta so large that no epoch after the first counts as an improvement.
  auto es = std::make_shared<EarlyStopping>(val, 2, 1e9, true);
  net->add_listener(es);
  net->fit(train, {10, 5});
  BOOST_TEST(es->stopped());
  BOOST_TEST(net->training_state().epoch == 3u);  // the best epoch + patience 2
  BOOST_TEST(es->scores().size() == 3u);
  BOOST_TEST(es->best_epoch() == 0u);
  BOOST_TEST(net->score(val) == es->scores()[0]);  // the parameters of epoch 0 are back
  BOOST_TEST(net->score(val) != es->scores()[2]);
  // With a reachable improvement threshold it runs every epoch.
  auto net2 = net_of();
  auto es2 = std::make_shared<EarlyStopping>(val, 5, 0.0, false);
  net2->add_listener(es2);
  net2->fit(train, {4, 5});
  BOOST_TEST(!es2->stopped());
  BOOST_TEST(net2->training_state().epoch == 4u);
  check_throws_with<InvalidArgument>([&] { EarlyStopping(val, 0); }, {"patience must be >= 1"});
}

BOOST_AUTO_TEST_SUITE_END()
