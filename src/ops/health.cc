#include "ops/health.h"

#include <drogon/HttpAppFramework.h>
#include <trantor/net/EventLoop.h>

#include <atomic>
#include <mutex>

#include "ops/blocking.h"
#include "storage/upload_dir.h"

namespace bookstore::ops {
namespace sql {
constexpr auto kPing = "SELECT 1";
}  // namespace sql

namespace {

constexpr double kHealthTimeoutSeconds = 1.5;

// Collects the asynchronous checks; answers once, when both are in or when the
// timer fires, whichever comes first (a hung check counts as failing).
class HealthProbe : public std::enable_shared_from_this<HealthProbe> {
 public:
  HealthProbe(std::function<void(const drogon::HttpResponsePtr&)>&& callback, std::string replica)
      : callback_(std::move(callback)), replica_(std::move(replica)) {}

  void setDatabase(std::string problem) { set(database_, std::move(problem)); }
  void setUploads(std::string problem) { set(uploads_, std::move(problem)); }
  void timeout() {
    std::lock_guard lock(mutex_);
    if (!database_) database_ = "timed out";
    if (!uploads_) uploads_ = "timed out";
    finishLocked();
  }

 private:
  void set(std::optional<std::string>& slot, std::string problem) {
    std::lock_guard lock(mutex_);
    if (slot) return;
    slot = std::move(problem);
    if (database_ && uploads_) finishLocked();
  }

  void finishLocked() {
    if (answered_) return;
    answered_ = true;
    Json::Value body;
    const bool ok = database_->empty() && uploads_->empty();
    body["status"] = ok ? "ok" : "unavailable";
    body["replica"] = replica_;
    body["checks"]["database"] = database_->empty() ? "ok" : *database_;
    body["checks"]["uploads"] = uploads_->empty() ? "ok" : *uploads_;
    body["checks"]["draining"] = false;
    auto resp = drogon::HttpResponse::newHttpJsonResponse(body);
    resp->setStatusCode(ok ? drogon::k200OK : drogon::k503ServiceUnavailable);
    resp->addHeader("Cache-Control", "no-store");
    callback_(resp);
  }

  std::mutex mutex_;
  std::function<void(const drogon::HttpResponsePtr&)> callback_;
  std::string replica_;
  std::optional<std::string> database_;
  std::optional<std::string> uploads_;
  bool answered_ = false;
};

}  // namespace

void registerHealthRoutes(const app::ContextPtr& context) {
  drogon::app().registerHandler(
      "/health",
      [context](const drogon::HttpRequestPtr&,
                std::function<void(const drogon::HttpResponsePtr&)>&& callback) {
        if (context->drain->draining()) {
          Json::Value body;
          body["status"] = "draining";
          body["replica"] = context->config.replicaId;
          body["checks"]["draining"] = true;
          auto resp = drogon::HttpResponse::newHttpJsonResponse(body);
          resp->setStatusCode(drogon::k503ServiceUnavailable);
          resp->addHeader("Cache-Control", "no-store");
          callback(resp);
          return;
        }
        auto probe = std::make_shared<HealthProbe>(std::move(callback), context->config.replicaId);
        auto* loop = trantor::EventLoop::getEventLoopOfCurrentThread();
        loop->runAfter(kHealthTimeoutSeconds, [probe] { probe->timeout(); });
        if (!context->db->connected()) {
          probe->setDatabase("unreachable");
        } else {
          context->db->reader()->execSqlAsync(
              sql::kPing, [probe](const drogon::orm::Result&) { probe->setDatabase(""); },
              [probe](const drogon::orm::DrogonDbException&) { probe->setDatabase("failing"); });
        }
        // A hung shared file system must not pile up probes in the blocking pool.
        static std::atomic<bool> uploadProbeRunning{false};
        if (uploadProbeRunning.exchange(true)) {
          probe->setUploads("previous check still running");
        } else {
          submitBlocking([probe, dir = context->config.uploadDir] {
            auto problem = storage::probeWritable(dir);
            uploadProbeRunning = false;
            probe->setUploads(std::move(problem));
          });
        }
      },
      {drogon::Get, drogon::Head});

  drogon::app().registerHandler(
      "/health/live",
      [context](const drogon::HttpRequestPtr&,
                std::function<void(const drogon::HttpResponsePtr&)>&& callback) {
        Json::Value body;
        body["status"] = "alive";
        body["replica"] = context->config.replicaId;
        body["draining"] = context->drain->draining();
        auto resp = drogon::HttpResponse::newHttpJsonResponse(body);
        resp->addHeader("Cache-Control", "no-store");
        callback(resp);
      },
      {drogon::Get, drogon::Head});
}

}  // namespace bookstore::ops
