#include "ops/lifecycle.h"

#include <drogon/HttpAppFramework.h>

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ops/log_escape.h"
#include "ops/memory_trim.h"

namespace bookstore::ops {
namespace {

using Clock = std::chrono::steady_clock;

// One per routed request, kept in its attributes: the start time for the log
// line and the in-flight count. The count lasts as long as the request object:
// Drogon skips the pre-sending advice when the client has gone away, so only
// the request's own end (its attributes are dropped when Drogon releases or
// recycles it) reliably marks the end of its work.
class RequestStamp {
 public:
  explicit RequestStamp(DrainState* drain) : start(Clock::now()), drain_(drain) {
    drain_->requestStarted();
  }
  ~RequestStamp() {
    drain_->requestFinished();
    noteRequestFinished();
  }
  RequestStamp(const RequestStamp&) = delete;
  RequestStamp& operator=(const RequestStamp&) = delete;

  const Clock::time_point start;
  bool logged = false;
  std::atomic<int> refs{1};

 private:
  DrainState* drain_;
};

// The stamp's handle in the attributes: a pointer's size and nothrow-movable,
// so std::any keeps it in place (no allocation besides the stamp itself).
class StampRef {
 public:
  StampRef() = default;  // Attributes::get's "not found" value
  explicit StampRef(DrainState* drain) : stamp_(new RequestStamp(drain)) {}
  StampRef(const StampRef& other) noexcept : stamp_(other.stamp_) {
    if (stamp_) stamp_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  StampRef(StampRef&& other) noexcept : stamp_(std::exchange(other.stamp_, nullptr)) {}
  StampRef& operator=(StampRef other) noexcept {
    std::swap(stamp_, other.stamp_);
    return *this;
  }
  ~StampRef() {
    if (stamp_ && stamp_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete stamp_;
  }
  RequestStamp* get() const { return stamp_; }

 private:
  RequestStamp* stamp_ = nullptr;
};

static_assert(sizeof(StampRef) <= sizeof(void*) && std::is_nothrow_move_constructible_v<StampRef>,
              "std::any would allocate");

// Never destroyed: requests may still end on other threads while the process exits.
const std::string& stampKey() {
  static const std::string* key = new std::string("bookstore.stamp");
  return *key;
}

// The request lines are gathered in memory and written to stdout in one
// write(2) once kFlushBytes have gathered, every kFlushSeconds (a timer on the
// main loop) and at exit, instead of one write(2) per request. One buffer for
// all threads keeps the lines in the order the responses were sent (tests and
// the fleet tools read them in order); its lock is held only to append a line.
class RequestLog {
 public:
  static constexpr size_t kFlushBytes = 32 * 1024;
  // Past this (stdout stalled), appending threads wait for the writer.
  static constexpr size_t kMaxBytes = 1024 * 1024;
  static constexpr double kFlushSeconds = 0.1;

  void append(const char* line, size_t size) {
    size_t buffered = 0;
    {
      std::lock_guard lock(bufferMutex_);
      buffer_.append(line, size);
      buffered = buffer_.size();
    }
    if (buffered < kFlushBytes) return;
    if (buffered >= kMaxBytes) {
      flush();
      return;
    }
    // Another thread writing already: the lines wait for its next turn.
    std::unique_lock write(writeMutex_, std::try_to_lock);
    if (write.owns_lock()) writeOut();
  }

  void flush() {
    std::lock_guard write(writeMutex_);
    writeOut();
  }

 private:
  // With writeMutex_ held, so chunks go out whole and in order.
  void writeOut() {
    {
      std::lock_guard lock(bufferMutex_);
      if (buffer_.empty()) return;
      writing_.swap(buffer_);
    }
    writeAll(writing_);
    writing_.clear();
  }

  static void writeAll(const std::string& data) {
    const char* next = data.data();
    size_t left = data.size();
    int waits = 0;
    while (left > 0) {
      const ssize_t written = ::write(STDOUT_FILENO, next, left);
      if (written > 0) {
        next += written;
        left -= static_cast<size_t>(written);
        continue;
      }
      if (written < 0 && errno == EINTR) continue;
      if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waits++ < 20) {
        pollfd out{STDOUT_FILENO, POLLOUT, 0};
        ::poll(&out, 1, 100);
        continue;
      }
      return;  // stdout closed or stuck: the lines are lost, as fprintf's would be
    }
  }

  std::mutex writeMutex_;
  std::mutex bufferMutex_;
  std::string buffer_;   // bufferMutex_
  std::string writing_;  // writeMutex_
};

// Never destroyed, for the same reason as stampKey().
RequestLog& requestLog() {
  static RequestLog* log = new RequestLog;
  return *log;
}

// The request line's fixed parts, between its values, in both formats.
constexpr const char* kTextKeys[] = {
    "request replica=", " client=", " method=", " path=", " status=", " duration_ms=", "\n"};
constexpr const char* kJsonKeys[] = {"{\"type\":\"request\",\"replica\":\"",
                                     "\",\"client\":\"",
                                     "\",\"method\":\"",
                                     "\",\"path\":\"",
                                     "\",\"status\":",
                                     ",\"duration_ms\":",
                                     "}\n"};

// "request replica=R client=C method=M path=P status=S duration_ms=D.DD\n"
// (or, with `json`, the same fields as one JSON object), put together by hand:
// printf's %.2f alone cost more than the rest of it. The replica, client and
// path are escaped (appendLogValue): the path and a forwarded client address
// come from the client, and must not be able to end the line or add a field
// of their own. Escaped values hold no quote or backslash, so they are valid
// JSON strings as they are.
void appendRequestLine(bool json, std::string_view replica, std::string_view client,
                       const char* method, std::string_view path, int status,
                       Clock::duration elapsed) {
  thread_local std::string line;
  char digits[24];
  auto appendNumber = [&](auto value) {
    line.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  };
  // Rounded to the nearest hundredth of a millisecond.
  const auto hundredths =
      (std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count() + 5'000) / 10'000;
  const char* const* keys = json ? kJsonKeys : kTextKeys;
  line.clear();
  line.append(keys[0]);
  appendLogValue(line, replica);
  line.append(keys[1]);
  appendLogValue(line, client);
  line.append(keys[2]).append(method);
  line.append(keys[3]);
  appendLogValue(line, path);
  line.append(keys[4]);
  appendNumber(status);
  line.append(keys[5]);
  appendNumber(hundredths / 100);
  line += '.';
  line += static_cast<char>('0' + hundredths / 10 % 10);
  line += static_cast<char>('0' + hundredths % 10);
  line.append(keys[6]);
  requestLog().append(line.data(), line.size());
}

// After the grace period, in-flight requests get this long to finish before
// the process quits anyway (a stuck request must not block a deploy forever).
constexpr double kMaxWaitForInFlightSeconds = 30.0;
constexpr double kPollSeconds = 0.05;

void waitForIdleThenQuit(std::shared_ptr<DrainState> drain, Clock::time_point deadline) {
  if (drain->inFlight() <= 0 || Clock::now() >= deadline) {
    if (drain->inFlight() > 0) {
      LOG_WARN << "quitting with " << drain->inFlight() << " requests still in flight";
    }
    // One more loop turn lets the last responses leave the socket buffers;
    // serve() writes out the last request lines once the loops have stopped.
    drogon::app().getLoop()->runAfter(0.1, [] { drogon::app().quit(); });
    return;
  }
  drogon::app().getLoop()->runAfter(kPollSeconds,
                                    [drain, deadline] { waitForIdleThenQuit(drain, deadline); });
}

}  // namespace

void flushRequestLog() {
  requestLog().flush();
}

void installRequestAdvices(std::shared_ptr<DrainState> drain, RequestLogSettings log) {
  // The drain state lives as long as the process: requests may end after
  // serve() returns.
  static auto* drains = new std::vector<std::shared_ptr<DrainState>>();
  drains->push_back(drain);
  DrainState* state = drain.get();
  drogon::app().registerPreRoutingAdvice([state](const drogon::HttpRequestPtr& req) {
    req->attributes()->insert(stampKey(), StampRef(state));
  });
  if (log.enabled) {
    static std::once_flag atExit;
    std::call_once(atExit, [] { std::atexit(flushRequestLog); });
    drogon::app().registerBeginningAdvice([] {
      drogon::app().getLoop()->runEvery(RequestLog::kFlushSeconds, [] { requestLog().flush(); });
    });
  }
  drogon::app().registerPreSendingAdvice(
      [state, log = std::move(log)](const drogon::HttpRequestPtr& req,
                                    const drogon::HttpResponsePtr& resp) {
        RequestStamp* stamp = req->attributes()->get<StampRef>(stampKey()).get();
        if (!stamp || stamp->logged) return;  // rejected before routing, or already logged
        stamp->logged = true;
        if (state->draining()) resp->setCloseConnection(true);
        if (!log.enabled) return;
        // Query strings are left out: they may carry search terms or tokens.
        const auto client = log.clientAddress(req);
        appendRequestLine(log.json, log.replicaId, client, req->methodString(), req->path(),
                          static_cast<int>(resp->statusCode()), Clock::now() - stamp->start);
      });
}

namespace {

// Set by the signal handler, read by a main-loop timer: the handler itself
// must stay async-signal-safe (Drogon's own handler logs and calls ours from
// inside the signal, where taking a lock can deadlock).
std::atomic<bool> stopRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free);
constexpr double kSignalPollSeconds = 0.05;

extern "C" void requestStop(int) {
  stopRequested.store(true);
}

void beginGracefulDrain(const std::shared_ptr<DrainState>& drain, int graceSeconds) {
  if (!drain->beginDrain()) {
    LOG_INFO << "already draining";
    return;
  }
  LOG_INFO << "draining: /health now answers 503; serving for " << graceSeconds
           << " s more, then finishing " << drain->inFlight() << " in-flight requests";
  std::fflush(stdout);
  drogon::app().getLoop()->runAfter(static_cast<double>(graceSeconds), [drain] {
    LOG_INFO << "grace period over; waiting for " << drain->inFlight() << " in-flight requests";
    waitForIdleThenQuit(
        drain, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(kMaxWaitForInFlightSeconds)));
  });
}

}  // namespace

void installGracefulDrain(std::shared_ptr<DrainState> drain, int graceSeconds) {
  drogon::app().disableSigtermHandling();
  struct sigaction action {};
  action.sa_handler = requestStop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  drogon::app().getLoop()->runEvery(kSignalPollSeconds, [drain, graceSeconds] {
    if (stopRequested.exchange(false)) beginGracefulDrain(drain, graceSeconds);
  });
}

}  // namespace bookstore::ops
