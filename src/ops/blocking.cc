#include "ops/blocking.h"

#include <trantor/utils/ConcurrentTaskQueue.h>

#include <thread>

namespace bookstore::ops {

void submitBlocking(std::function<void()> task) {
  // Argon2id and fsync dominate; a few threads keep them off the I/O loops
  // without letting a burst of logins use unbounded memory.
  static trantor::ConcurrentTaskQueue pool(
      std::max(2u, std::min(8u, std::thread::hardware_concurrency())), "blocking");
  pool.runTaskInQueue(std::move(task));
}

void submitHealthCheck(std::function<void()> task) {
  static trantor::ConcurrentTaskQueue thread(1, "health-check");
  thread.runTaskInQueue(std::move(task));
}

}  // namespace bookstore::ops
