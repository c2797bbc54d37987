#pragma once

#include <drogon/utils/coroutine.h>
#include <trantor/net/EventLoop.h>

#include <atomic>
#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace bookstore::ops {

// Resumes a suspended coroutine on the event loop it was suspended on (so its
// continuation runs on that I/O thread), or right here when it had none.
inline void resumeOn(trantor::EventLoop* loop, std::coroutine_handle<> handle) {
  if (loop) {
    loop->queueInLoop([handle] { handle.resume(); });
  } else {
    handle.resume();
  }
}

// Which threads run a piece of blocking work: file writes and fsync, or
// password hashing, in pools of their own, so a flood of logins or
// registrations never delays a cover upload (and neither delays /health).
enum class Pool { kFiles, kHashing };

// Runs `task` on `pool`'s threads; runBlocking resumes the coroutine on the
// event loop it came from, so Drogon's I/O threads never block.
void submitBlocking(std::function<void()> task, Pool pool = Pool::kFiles);

// Admits at most `capacity` pieces of work at once (running or queued); the
// rest are refused at once, so a saturated replica answers 503 quickly
// instead of growing a queue. Any thread.
class Admission {
 public:
  explicit Admission(size_t capacity) : capacity_(capacity) {}

  // Holds one admitted place until destroyed; false when none was free.
  class Ticket {
   public:
    Ticket() = default;
    explicit Ticket(Admission* admission) : admission_(admission) {}
    Ticket(Ticket&& other) noexcept : admission_(std::exchange(other.admission_, nullptr)) {}
    Ticket& operator=(Ticket&& other) noexcept {
      std::swap(admission_, other.admission_);
      return *this;
    }
    ~Ticket() {
      if (admission_) admission_->inUse_.fetch_sub(1, std::memory_order_acq_rel);
    }
    explicit operator bool() const { return admission_ != nullptr; }

   private:
    Admission* admission_ = nullptr;
  };

  Ticket tryEnter() {
    if (inUse_.fetch_add(1, std::memory_order_acq_rel) >= capacity_) {
      inUse_.fetch_sub(1, std::memory_order_acq_rel);
      return Ticket();
    }
    return Ticket(this);
  }
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  std::atomic<size_t> inUse_{0};
};

// Runs `task` on a thread of its own, reserved for /health's file check: a
// burst of password hashing in the blocking pool must never make a healthy
// replica look unhealthy to the load balancer.
void submitHealthCheck(std::function<void()> task);

template <typename T>
struct BlockingAwaiter {
  std::function<T()> work;
  Pool pool = Pool::kFiles;
  std::optional<T> result;
  std::exception_ptr error;

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> handle) {
    auto* loop = trantor::EventLoop::getEventLoopOfCurrentThread();
    submitBlocking(
        [this, handle, loop] {
          try {
            result.emplace(work());
          } catch (...) {
            error = std::current_exception();
          }
          resumeOn(loop, handle);
        },
        pool);
  }
  T await_resume() {
    if (error) std::rethrow_exception(error);
    return std::move(*result);
  }
};

// Use as `auto job = runBlocking(...); auto result = co_await job;`, never
// inside the co_await expression (ARCHITECTURE.md, "GCC 12").
template <typename F>
BlockingAwaiter<std::invoke_result_t<F>> runBlocking(F work, Pool pool = Pool::kFiles) {
  using T = std::invoke_result_t<F>;
  return BlockingAwaiter<T>{std::function<T()>(std::move(work)), pool, std::nullopt, nullptr};
}

}  // namespace bookstore::ops
