#include "trainer/interrupt.hpp"

#include <csignal>

namespace xgrad::trainer {
namespace {

volatile std::sig_atomic_t g_requested = 0;
struct sigaction g_previous;

extern "C" void on_sigint(int) {
  if (g_requested) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
    return;
  }
  g_requested = 1;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_requested = 0;
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &g_previous);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_previous, nullptr);
}

bool InterruptGuard::requested() {
  return g_requested != 0;
}
void InterruptGuard::request() {
  g_requested = 1;
}

}  // namespace xgrad::trainer
