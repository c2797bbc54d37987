#pragma once

#include <drogon/utils/coroutine.h>
#include <trantor/net/EventLoop.h>

#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>

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

// Runs `work` on the small pool reserved for blocking work (password hashing,
// file writes, fsync) and resumes the coroutine on the event loop it came
// from, so Drogon's I/O threads never block.
void submitBlocking(std::function<void()> task);

// Runs `task` on a thread of its own, reserved for /health's file check: a
// burst of password hashing in the blocking pool must never make a healthy
// replica look unhealthy to the load balancer.
void submitHealthCheck(std::function<void()> task);

template <typename T>
struct BlockingAwaiter {
  std::function<T()> work;
  std::optional<T> result;
  std::exception_ptr error;

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> handle) {
    auto* loop = trantor::EventLoop::getEventLoopOfCurrentThread();
    submitBlocking([this, handle, loop] {
      try {
        result.emplace(work());
      } catch (...) {
        error = std::current_exception();
      }
      resumeOn(loop, handle);
    });
  }
  T await_resume() {
    if (error) std::rethrow_exception(error);
    return std::move(*result);
  }
};

// Use as `auto job = runBlocking(...); auto result = co_await job;`, never
// inside the co_await expression (ARCHITECTURE.md, "GCC 12").
template <typename F>
BlockingAwaiter<std::invoke_result_t<F>> runBlocking(F work) {
  using T = std::invoke_result_t<F>;
  return BlockingAwaiter<T>{std::function<T()>(std::move(work)), std::nullopt, nullptr};
}

}  // namespace bookstore::ops
