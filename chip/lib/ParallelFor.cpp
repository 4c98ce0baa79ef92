//===- ParallelFor.cpp - Per-core work on the load's threads --------------===//
//
// parallelForCores runs on helper threads that live as long as the process:
// a large load runs a loop per batch of cores, hundreds of them, and a new
// thread per loop would build its zstd context, its buffers and its
// allocator's heap again, on fresh pages, each time.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace cajal::chip {

namespace {

/// Threads that run one loop's work beside its caller, started when a
/// loop first needs them and kept (blocked, using no CPU) between loops.
class LoopHelpers {
public:
  /// The process's helpers; never destroyed (its threads wait on it until
  /// the process ends).
  static LoopHelpers &get() {
    static LoopHelpers *helpers = new LoopHelpers;
    return *helpers;
  }

  /// Runs `work` on `count` helpers and on the caller, and returns when
  /// all have returned; false, having run nothing, when the helpers are
  /// running another loop (one started from a loop's work, or from
  /// another thread) or were started by the parent of a forked process.
  bool run(unsigned count, const std::function<void()> &work) {
    std::unique_lock<std::mutex> loop(loopMutex, std::try_to_lock);
    if (!loop.owns_lock() || getpid() != owner)
      return false;
    {
      std::lock_guard<std::mutex> lock(mutex);
      while (threads.size() < count)
        threads.emplace_back(
            [this, k = unsigned(threads.size())] { serve(k); });
      task = &work;
      taken = count;
      pending = count;
      ++generation;
    }
    wake.notify_all();
    work();
    std::unique_lock<std::mutex> lock(mutex);
    finished.wait(lock, [&] { return pending == 0; });
    task = nullptr;
    return true;
  }

private:
  LoopHelpers() : owner(getpid()) {}

  void serve(unsigned k) {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      wake.wait(lock, [&] { return generation != seen; });
      seen = generation;
      if (k >= taken)
        continue;
      const std::function<void()> &work = *task;
      lock.unlock();
      work();
      lock.lock();
      if (--pending == 0)
        finished.notify_one();
    }
  }

  const pid_t owner;
  std::mutex loopMutex; ///< held by the loop running on the helpers
  std::mutex mutex;     ///< guards the fields below
  std::condition_variable wake, finished;
  std::vector<std::thread> threads;
  const std::function<void()> *task = nullptr;
  uint64_t generation = 0;
  unsigned taken = 0, pending = 0;
};

} // namespace

unsigned loadThreads() {
  return std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
}

Status parallelForCores(size_t n, unsigned threads,
                        const std::function<Status(size_t)> &f) {
  threads = unsigned(std::min<size_t>(threads, n));
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i)
      if (Status s = f(i); !s)
        return s;
    return Status::ok();
  }
  // Each thread takes the next index; after a failure at i, indices above
  // i are not started (their errors could not be the first). An exception
  // (out of memory) stops every thread and is thrown again here, once all
  // have returned.
  std::atomic<size_t> next{0}, firstFailure{n};
  std::vector<std::string> errors(n);
  std::mutex thrownMutex;
  std::exception_ptr thrown;
  const std::function<void()> work = [&] {
    for (size_t i = next++; i < n && i < firstFailure.load(); i = next++) {
      try {
        if (Status s = f(i); !s) {
          errors[i] = s.error();
          size_t seen = firstFailure.load();
          while (i < seen && !firstFailure.compare_exchange_weak(seen, i)) {
          }
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(thrownMutex);
        if (!thrown)
          thrown = std::current_exception();
        firstFailure.store(0);
      }
    }
  };
  if (!LoopHelpers::get().run(threads - 1, work)) {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
      pool.emplace_back(work);
    work();
    for (std::thread &t : pool)
      t.join();
  }
  if (thrown)
    std::rethrow_exception(thrown);
  const size_t failed = firstFailure.load();
  return failed == n ? Status::ok() : makeError(errors[failed]);
}

} // namespace cajal::chip
