//===- WorkerPool.cpp - Threads that run one task together ---------------===//
#include "WorkerPool.h"

namespace cajal::golden::detail {

namespace {
/// Polls of the generation before a waiting worker sleeps.
constexpr unsigned kSpins = 20000;
} // namespace

WorkerPool::WorkerPool(unsigned workers) {
  for (unsigned k = 1; k < workers; ++k)
    threads.emplace_back([this, k] { work(k); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
    generation.fetch_add(1);
  }
  wake.notify_all();
  for (std::thread &t : threads)
    t.join();
}

void WorkerPool::run(const std::function<void(unsigned)> &work0) {
  if (threads.empty()) {
    work0(0);
    return;
  }
  task = &work0;
  pending.store(unsigned(threads.size()));
  {
    // Under the lock: a worker deciding to sleep either sees the new
    // generation or is woken.
    std::lock_guard<std::mutex> lock(mutex);
    generation.fetch_add(1);
  }
  if (sleepers.load() > 0)
    wake.notify_all();
  work0(0);
  while (pending.load() != 0)
    std::this_thread::yield();
}

void WorkerPool::work(unsigned k) {
  uint64_t seen = 0;
  for (;;) {
    unsigned spins = 0;
    while (generation.load() == seen && spins < kSpins) {
      ++spins;
      if (spins % 64 == 0)
        std::this_thread::yield();
    }
    if (generation.load() == seen) {
      std::unique_lock<std::mutex> lock(mutex);
      sleepers.fetch_add(1);
      wake.wait(lock, [&] { return generation.load() != seen; });
      sleepers.fetch_sub(1);
    }
    seen = generation.load();
    if (stopping)
      return;
    (*task)(k);
    pending.fetch_sub(1);
  }
}

} // namespace cajal::golden::detail
