#include "app/server.h"

#include <drogon/HttpAppFramework.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>

#include "app/application.h"
#include "app/startup.h"
#include "ops/json_log.h"
#include "ops/lifecycle.h"
#include "ops/memory_trim.h"
#include "storage/upload_dir.h"
#include "web/errors.h"
#include "web/metrics.h"
#include "web/request_info.h"
#include "web/routes.h"

namespace bookstore::app {
namespace {

trantor::Logger::LogLevel trantorLevel(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::kTrace:
      return trantor::Logger::kTrace;
    case config::LogLevel::kDebug:
      return trantor::Logger::kDebug;
    case config::LogLevel::kInfo:
      return trantor::Logger::kInfo;
    case config::LogLevel::kWarn:
      return trantor::Logger::kWarn;
    case config::LogLevel::kError:
      return trantor::Logger::kError;
  }
  return trantor::Logger::kInfo;
}

// Static files are only what is named here: Bootstrap from Debian's package
// and the stored covers. Nothing is served from the working directory.
void configureStaticFiles(const config::Config& config) {
  // Drogon resolves relative aliases against the document root, not the
  // working directory, so every folder is made absolute first.
  const auto uploads = std::filesystem::absolute(config.uploadDir).lexically_normal().string();
  const auto bootstrap = std::filesystem::absolute(config.bootstrapDir).lexically_normal().string();
  auto& app = drogon::app();
  app.setDocumentRoot(uploads + "/.no-document-root");
  app.setFileTypes({"css", "js", "map", "png", "jpg", "jpeg", "webp", "svg", "ico", "woff2"});
  app.setImplicitPageEnable(false);
  app.addALocation("/static/bootstrap", "", bootstrap, true, false, true);
  // Cover names are random and never reused, so browsers may keep them for a year.
  app.addALocation("/uploads/covers", "", uploads + "/covers", true, false, false);
  app.setStaticFileHeaders({{"Cache-Control", "public, max-age=31536000, immutable"}});
}

// Purchases left unpaid past PENDING_PAYMENT_TIMEOUT_SECONDS give their
// copies back (rule 13). Every replica sweeps; each purchase is cancelled
// once whichever replica gets there first. The same sweep deletes
// idempotency keys past their 24 hours, in batches of 500 rows per statement,
// the catalog change log's rows past CatalogCache::kChangeRetentionSeconds
// (batches of primary-key ranges) and, with ORIGINAL_COMPATIBLE on, makes rows
// the original would misread harmless
// (PurchaseService::clearWhatTheOriginalMisreads).
std::atomic<bool> sweeping{false};

drogon::AsyncTask sweep(std::shared_ptr<const services::PurchaseService> purchases,
                        std::shared_ptr<const services::IdempotencyService> keys,
                        std::shared_ptr<const services::CatalogService> catalog) {
  if (sweeping.exchange(true)) co_return;  // the previous sweep is still running
  try {
    const auto cancelled = co_await purchases->expireOverdue();
    if (cancelled > 0) LOG_INFO << "cancelled " << cancelled << " purchases left unpaid";
  } catch (const std::exception& e) {
    LOG_WARN << "expiring unpaid purchases: " << e.what();  // the next sweep tries again
  }
  try {
    // ORIGINAL_COMPATIBLE: rows from before the mode that the original would misread.
    const auto cleared = co_await purchases->clearWhatTheOriginalMisreads();
    if (cleared > 0) LOG_INFO << "made " << cleared << " rows readable by the original";
  } catch (const std::exception& e) {
    LOG_WARN << "clearing rows the original would misread: " << e.what();
  }
  try {
    const auto deleted = co_await keys->deleteExpired();
    if (deleted > 0) LOG_INFO << "deleted " << deleted << " expired idempotency keys";
  } catch (const std::exception& e) {
    LOG_WARN << "deleting expired idempotency keys: " << e.what();
  }
  try {
    const auto pruned = co_await catalog->pruneChanges();
    if (pruned > 0) LOG_DEBUG << "pruned " << pruned << " old catalog change-log rows";
  } catch (const std::exception& e) {
    LOG_WARN << "pruning the catalog change log: " << e.what();
  }
  sweeping.store(false);
}

// Expired sessions, tokens and throttle rows: every replica deletes a few
// batches now and then (AccountService::deleteExpired), which is enough to
// keep up with any sign-in rate and never holds locks for long.
std::atomic<bool> cleaning{false};

drogon::AsyncTask deleteExpiredSignIns(std::shared_ptr<const services::AccountService> accounts) {
  if (cleaning.exchange(true)) co_return;
  try {
    const auto deleted = co_await accounts->deleteExpired();
    if (deleted > 0) LOG_DEBUG << "deleted " << deleted << " expired sessions, tokens, throttles";
  } catch (const std::exception& e) {
    LOG_WARN << "deleting expired sessions and tokens: " << e.what();  // next time, then
  }
  cleaning.store(false);
}

// Often enough that what expires goes soon after it does, never more than
// once a second.
double sweepIntervalSeconds(int64_t timeoutSeconds, int64_t atMost = 30) {
  return static_cast<double>(std::clamp<int64_t>(timeoutSeconds / 4, 1, atMost));
}

}  // namespace

int serve(config::Config config) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  trantor::Logger::setLogLevel(trantorLevel(config.logLevel));
  if (config.jsonLogs) ops::installJsonLogOutput();
  try {
    storage::prepareUploadDir(config.uploadDir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "UPLOAD_DIR: %s\n", e.what());
    return 2;
  }
  try {
    ensureSecretKey(config);
    auto admin = openAdminClient(config, std::chrono::seconds(30));
    migrateDatabase(config, admin);
    admin->closeAll();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "database: %s\n", e.what());
    return 3;
  }

  // Never destroyed: database callbacks may still run on the clients' own
  // threads after the event loops have stopped.
  const auto* application = new Application(config);

  auto& app = drogon::app();
  app.setLogLevel(trantorLevel(config.logLevel));
  app.addListener(config.host, config.port);
  app.setThreadNum(static_cast<size_t>(config.threads));
  // Drogon itself answers a bare 413 (no page) above this, so it is set well
  // above MAX_UPLOAD_MB: the handlers refuse oversized covers with a proper
  // 413 page or JSON error, and only absurd bodies meet Drogon's limit.
  const auto maxBody = static_cast<size_t>(config.maxUploadBytes * 2 + 1024 * 1024);
  app.setClientMaxBodySize(maxBody);
  app.setClientMaxMemoryBodySize(maxBody);
  app.enableServerHeader(false);
  app.enableGzip(true);
  app.setIdleConnectionTimeout(60);
  app.setCustomErrorHandler([](drogon::HttpStatusCode status, const drogon::HttpRequestPtr& req) {
    return web::errorFor(req, status);
  });
  configureStaticFiles(config);

  const auto trusted = config.trustedProxies;
  ops::installRequestAdvices(
      application->drain(),
      {config.logLevel <= config::LogLevel::kInfo, config.jsonLogs, config.replicaId,
       [trusted](const drogon::HttpRequestPtr& req) { return web::clientAddress(req, trusted); }});
  ops::installGracefulDrain(application->drain(), config.shutdownGraceSeconds);
  ops::installIdleMemoryTrim();
  web::registerRoutes(application->webContext());
  web::installMetrics(application->webContext(),
                      {config.metricsPublic, config.host, config.metricsPort});

  app.registerBeginningAdvice([config, purchases = application->webContext()->purchases,
                               accounts = application->webContext()->accounts,
                               keys = application->webContext()->idempotency,
                               catalog = application->webContext()->catalog] {
    LOG_INFO << "bookstore " << BOOKSTORE_VERSION << " serving on " << config.host << ":"
             << config.port << " (replica " << config.replicaId << ", "
             << config.database.describe() << ")";
    drogon::app().getLoop()->runEvery(
        sweepIntervalSeconds(config.pendingPaymentTimeoutSeconds),
        [purchases, keys, catalog] { sweep(purchases, keys, catalog); });
    const auto shortest =
        std::min({config.sessionIdleSeconds, config.sessionMaxAgeSeconds, config.tokenTtlSeconds});
    drogon::app().getLoop()->runEvery(sweepIntervalSeconds(shortest, 60),
                                      [accounts] { deleteExpiredSignIns(accounts); });
  });
  app.run();
  ops::flushRequestLog();
  LOG_INFO << "drained; exiting";
  return 0;
}

}  // namespace bookstore::app
