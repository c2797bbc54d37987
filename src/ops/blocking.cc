#include "ops/blocking.h"

#include <trantor/utils/ConcurrentTaskQueue.h>

#include <thread>

namespace bookstore::ops {

void submitBlocking(std::function<void()> task, Pool pool) {
  // A few threads each keep the work off the I/O loops. Hashing is CPU-bound:
  // more threads than cores would only slow every hash down.
  static trantor::ConcurrentTaskQueue files(
      std::max(2u, std::min(8u, std::thread::hardware_concurrency())), "files");
  static trantor::ConcurrentTaskQueue hashing(
      std::max(1u, std::min(8u, std::thread::hardware_concurrency())), "hashing");
  (pool == Pool::kHashing ? hashing : files).runTaskInQueue(std::move(task));
}

void submitHealthCheck(std::function<void()> task) {
  static trantor::ConcurrentTaskQueue thread(1, "health-check");
  thread.runTaskInQueue(std::move(task));
}

}  // namespace bookstore::ops
