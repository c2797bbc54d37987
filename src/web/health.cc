#include "web/health.h"

#include <drogon/HttpAppFramework.h>
#include <trantor/net/EventLoop.h>

#include <atomic>
#include <mutex>

#include "ops/blocking.h"

namespace bookstore::web {
namespace {

constexpr double kHealthTimeoutSeconds = 1.5;

// Collects the asynchronous checks (the upload folder, every I/O event loop);
// answers once, when all are in or when the timer fires, whichever comes
// first (a hung check counts as failing).
class HealthProbe : public std::enable_shared_from_this<HealthProbe> {
 public:
  HealthProbe(std::function<void(const drogon::HttpResponsePtr&)>&& callback, std::string replica,
              std::string database, size_t loops)
      : callback_(std::move(callback)),
        replica_(std::move(replica)),
        database_(std::move(database)),
        loops_(loops) {}

  // The probe answers with whatever is missing as "timed out" after the
  // timeout; the timer holds only a weak reference and is cancelled on answer.
  void armTimer(trantor::EventLoop* loop) {
    loop_ = loop;
    timer_ = loop->runAfter(kHealthTimeoutSeconds, [weak = weak_from_this()] {
      if (auto probe = weak.lock()) probe->timeout();
    });
  }

  void setUploads(std::string problem) {
    std::lock_guard lock(mutex_);
    if (uploads_) return;
    uploads_ = std::move(problem);
    if (loopsAnswered_ == loops_) finishLocked();
  }
  void loopAnswered() {
    std::lock_guard lock(mutex_);
    if (++loopsAnswered_ == loops_ && uploads_) finishLocked();
  }
  void timeout() {
    std::lock_guard lock(mutex_);
    if (!uploads_) uploads_ = "timed out";
    finishLocked();
  }

 private:
  void finishLocked() {
    if (answered_) return;
    answered_ = true;
    if (loop_) loop_->invalidateTimer(timer_);
    const std::string loops = loopsAnswered_ == loops_
                                  ? "ok"
                                  : std::to_string(loops_ - loopsAnswered_) + " of " +
                                        std::to_string(loops_) + " not answering";
    const bool ok = uploads_->empty() && loopsAnswered_ == loops_;
    Json::Value body;
    body["status"] = !ok                                             ? "unavailable"
                     : database_ == services::Readiness::kDatabaseOk ? "ok"
                                                                     : "degraded";
    body["replica"] = replica_;
    body["checks"]["database"] = database_;
    body["checks"]["uploads"] = uploads_->empty() ? "ok" : *uploads_;
    body["checks"]["event_loops"] = loops;
    body["checks"]["draining"] = false;
    auto resp = drogon::HttpResponse::newHttpJsonResponse(body);
    resp->setStatusCode(ok ? drogon::k200OK : drogon::k503ServiceUnavailable);
    resp->addHeader("Cache-Control", "no-store");
    callback_(resp);
  }

  std::mutex mutex_;
  std::function<void(const drogon::HttpResponsePtr&)> callback_;
  std::string replica_;
  std::string database_;
  std::optional<std::string> uploads_;
  size_t loops_;
  size_t loopsAnswered_ = 0;
  bool answered_ = false;
  trantor::EventLoop* loop_ = nullptr;
  trantor::TimerId timer_{};
};

// One upload-folder check at a time, shared by every health request that
// arrives meanwhile (two load balancers probing together both get its
// result), and reused for a second: a hung shared file system cannot pile up
// checks in the blocking pool.
class UploadCheck {
 public:
  void run(const std::shared_ptr<const services::Readiness>& readiness,
           const std::shared_ptr<HealthProbe>& probe) {
    std::unique_lock lock(mutex_);
    if (finishedAt_ && std::chrono::steady_clock::now() - *finishedAt_ < kReuseFor) {
      auto result = lastResult_;
      lock.unlock();
      probe->setUploads(std::move(result));
      return;
    }
    waiters_.push_back(probe);
    if (running_) return;
    running_ = true;
    lock.unlock();
    ops::submitHealthCheck([this, readiness] {
      auto result = readiness->checkUploads();
      std::vector<std::shared_ptr<HealthProbe>> waiters;
      {
        std::lock_guard done(mutex_);
        running_ = false;
        lastResult_ = result;
        finishedAt_ = std::chrono::steady_clock::now();
        waiters.swap(waiters_);
      }
      for (const auto& waiter : waiters) waiter->setUploads(result);
    });
  }

 private:
  static constexpr auto kReuseFor = std::chrono::seconds(1);
  std::mutex mutex_;
  bool running_ = false;
  std::optional<std::chrono::steady_clock::time_point> finishedAt_;
  std::string lastResult_;
  std::vector<std::shared_ptr<HealthProbe>> waiters_;
};

}  // namespace

void registerHealthRoutes(const ContextPtr& context) {
  drogon::app().registerHandler(
      "/health",
      [context](const drogon::HttpRequestPtr&,
                std::function<void(const drogon::HttpResponsePtr&)>&& callback) {
        if (context->drain->draining()) {
          Json::Value body;
          body["status"] = "draining";
          body["replica"] = context->settings.replicaId;
          body["checks"]["draining"] = true;
          auto resp = drogon::HttpResponse::newHttpJsonResponse(body);
          resp->setStatusCode(drogon::k503ServiceUnavailable);
          resp->addHeader("Cache-Control", "no-store");
          callback(resp);
          return;
        }
        auto& app = drogon::app();
        const size_t loops = app.getThreadNum();
        auto probe = std::make_shared<HealthProbe>(std::move(callback), context->settings.replicaId,
                                                   context->readiness->databaseState(), loops);
        probe->armTimer(trantor::EventLoop::getEventLoopOfCurrentThread());
        // A loop stuck in a handler never runs this: the timer answers 503.
        for (size_t i = 0; i < loops; ++i) {
          app.getIOLoop(i)->queueInLoop([probe] { probe->loopAnswered(); });
        }
        static UploadCheck uploadCheck;
        uploadCheck.run(context->readiness, probe);
      },
      {drogon::Get, drogon::Head});

  drogon::app().registerHandler(
      "/health/live",
      [context](const drogon::HttpRequestPtr&,
                std::function<void(const drogon::HttpResponsePtr&)>&& callback) {
        Json::Value body;
        body["status"] = "alive";
        body["replica"] = context->settings.replicaId;
        body["draining"] = context->drain->draining();
        auto resp = drogon::HttpResponse::newHttpJsonResponse(body);
        resp->addHeader("Cache-Control", "no-store");
        callback(resp);
      },
      {drogon::Get, drogon::Head});
}

}  // namespace bookstore::web
