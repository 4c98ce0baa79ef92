//===- WorkerPool.h - Threads that run one task together --------*- C++ -*-===//
//
// The golden model's step splits its update and its delivery among threads
// (ModelOptions::threads). A step of a small network takes microseconds, so
// the workers stay alive between steps: they spin a little while waiting for
// the next task, then sleep on a condition variable.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_WORKERPOOL_H
#define CAJAL_GOLDEN_WORKERPOOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cajal::golden::detail {

class WorkerPool {
public:
  /// `workers` threads in all, the caller of run() being worker 0.
  explicit WorkerPool(unsigned workers);
  ~WorkerPool();
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  unsigned size() const { return unsigned(threads.size()) + 1; }
  /// task(k) on every worker k = 0 .. size() - 1; returns when all are done.
  void run(const std::function<void(unsigned)> &task);

private:
  void work(unsigned k);

  std::vector<std::thread> threads;
  std::mutex mutex;
  std::condition_variable wake;
  std::atomic<uint64_t> generation{0};
  std::atomic<unsigned> pending{0};
  std::atomic<unsigned> sleepers{0};
  std::atomic<bool> stopping{false};
  const std::function<void(unsigned)> *task = nullptr;
};

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_WORKERPOOL_H
