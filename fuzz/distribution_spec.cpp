// The trainer's --distribution spec ("gaussian:200,bernoulli:584"): the first two bytes give the data width
// (1..1024), the rest is the spec. An accepted spec gives a distribution over exactly that many columns.
#include "trainer/distribution_spec.hpp"
#include "autograd/errors.hpp"
#include "fuzz_support.hpp"
#include "trainer/exit_codes.hpp"

using namespace xgrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t columns = 1 + ((std::size_t(data[0]) << 8 | data[1]) % 1024);
  const std::string spec(reinterpret_cast<const char*>(data) + 2, size - 2);
  try {
    const auto parts = trainer::parse_distribution_spec(spec);
    if (parts.empty()) fuzz::fail("a spec without parts was accepted: '" + spec + "'");
    const auto d = trainer::make_distribution(spec, columns);
    std::size_t covered = 0;
    for (const auto& part : d->parts()) covered += part.first;
    if (!d->parts().empty() && covered != columns) fuzz::fail("the parts do not cover the columns: '" + spec + "'");
    (void)d->input_size(columns);
  } catch (const trainer::UsageError&) {
  }
  return 0;
}
