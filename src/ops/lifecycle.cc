#include "ops/lifecycle.h"

#include <drogon/HttpAppFramework.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "web/request_info.h"

namespace bookstore::ops {
namespace {

constexpr const char* kStartAttribute = "bookstore.start";
constexpr const char* kInFlightAttribute = "bookstore.in_flight";

// Counts a request as in flight for as long as the request object lives:
// Drogon skips the pre-sending advice when the client has gone away, so only
// the request's own end reliably marks the end of its work.
class InFlight {
 public:
  explicit InFlight(std::shared_ptr<DrainState> drain) : drain_(std::move(drain)) {
    drain_->requestStarted();
  }
  ~InFlight() { drain_->requestFinished(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::shared_ptr<DrainState> drain_;
};
// After the grace period, in-flight requests get this long to finish before
// the process quits anyway (a stuck request must not block a deploy forever).
constexpr double kMaxWaitForInFlightSeconds = 30.0;
constexpr double kPollSeconds = 0.05;

using Clock = std::chrono::steady_clock;

void waitForIdleThenQuit(const app::ContextPtr& context, Clock::time_point deadline) {
  if (context->drain->inFlight() <= 0 || Clock::now() >= deadline) {
    if (context->drain->inFlight() > 0) {
      LOG_WARN << "quitting with " << context->drain->inFlight() << " requests still in flight";
    }
    // One more loop turn lets the last responses leave the socket buffers.
    drogon::app().getLoop()->runAfter(0.1, [] { drogon::app().quit(); });
    return;
  }
  drogon::app().getLoop()->runAfter(
      kPollSeconds, [context, deadline] { waitForIdleThenQuit(context, deadline); });
}

}  // namespace

void installRequestAdvices(const app::ContextPtr& context) {
  drogon::app().registerPreRoutingAdvice([context](const drogon::HttpRequestPtr& req) {
    req->attributes()->insert(kInFlightAttribute, std::make_shared<InFlight>(context->drain));
    req->attributes()->insert(kStartAttribute, Clock::now());
  });
  const bool logRequests = context->config.logLevel == "TRACE" ||
                           context->config.logLevel == "DEBUG" ||
                           context->config.logLevel == "INFO";
  drogon::app().registerPreSendingAdvice(
      [context, logRequests](const drogon::HttpRequestPtr& req,
                             const drogon::HttpResponsePtr& resp) {
        auto attributes = req->attributes();
        if (!attributes->find(kStartAttribute)) return;  // rejected before routing
        const auto start = attributes->get<Clock::time_point>(kStartAttribute);
        attributes->erase(kStartAttribute);
        if (context->drain->draining()) resp->setCloseConnection(true);
        if (!logRequests) return;
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        // Query strings are left out: they may carry search terms or tokens.
        const auto client = web::clientAddress(req, context->config.trustedProxies);
        std::fprintf(stdout,
                     "request replica=%s client=%s method=%s path=%s status=%d duration_ms=%.2f\n",
                     context->config.replicaId.c_str(), client.c_str(), req->methodString(),
                     req->path().c_str(), static_cast<int>(resp->statusCode()), ms);
      });
}

void installGracefulDrain(const app::ContextPtr& context) {
  auto onSignal = [context] {
    if (!context->drain->beginDrain()) {
      LOG_INFO << "already draining";
      return;
    }
    const int grace = context->config.shutdownGraceSeconds;
    LOG_INFO << "draining: /health now answers 503; serving for " << grace
             << " s more, then finishing " << context->drain->inFlight() << " in-flight requests";
    std::fflush(stdout);
    drogon::app().getLoop()->runAfter(static_cast<double>(grace), [context] {
      LOG_INFO << "grace period over; waiting for " << context->drain->inFlight()
               << " in-flight requests";
      waitForIdleThenQuit(
          context, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(kMaxWaitForInFlightSeconds)));
    });
  };
  drogon::app().setTermSignalHandler(onSignal);
  drogon::app().setIntSignalHandler(onSignal);
}

}  // namespace bookstore::ops
