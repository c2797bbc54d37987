#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "config/database_url.h"
#include "config/dotenv.h"
#include "config/trusted_proxies.h"

namespace bookstore::config {

// A setting that is wrong or missing; what() is the one line shown at start.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string setting, const std::string& problem)
      : std::runtime_error(setting + ": " + problem), setting_(std::move(setting)) {}
  const std::string& setting() const { return setting_; }

 private:
  std::string setting_;
};

// LOG_LEVEL, most verbose first.
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };

struct Config {
  DatabaseTarget database;
  std::string uploadDir = "instance/uploads";
  std::string host = "0.0.0.0";
  uint16_t port = 5000;
  std::string secretKey;  // empty only on SQLite, where one is generated and kept beside the DB
  LogLevel logLevel = LogLevel::kInfo;
  int threads = 0;     // 0: one per core
  int dbPoolSize = 0;  // 0: chosen from the thread count
  int64_t maxUploadBytes = 5 * 1024 * 1024;
  int shutdownGraceSeconds = 10;
  TrustedProxies trustedProxies;
  std::string replicaId;
  std::string bootstrapDir = "/usr/share/javascript/bootstrap5";
  double dbTimeoutSeconds = 3.0;
  // ORIGINAL_COMPATIBLE: write nothing the Flask original cannot read back
  // (README, "Cutting over from the original").
  bool originalCompatible = false;
  // PENDING_PAYMENT_TIMEOUT_SECONDS: how long an unpaid purchase holds stock.
  int64_t pendingPaymentTimeoutSeconds = 1800;
  // METRICS_PUBLIC: /metrics on the public listener too. Otherwise only on
  // METRICS_PORT (0: none), a second listener meant for a private network.
  bool metricsPublic = false;
  uint16_t metricsPort = 0;
  // LOG_FORMAT=json: one JSON object per log line (CloudWatch), else text.
  bool jsonLogs = false;
  // Abuse limits (README, "Limits"): sessions end after SESSION_IDLE_SECONDS
  // unused or SESSION_MAX_AGE_SECONDS in all; API tokens after
  // API_TOKEN_TTL_SECONDS; REGISTRATIONS_PER_ADDRESS_PER_HOUR accounts per
  // client address; PASSWORD_HASH_QUEUE password hashes running or waiting
  // at once per replica (more answer 503 at once).
  int64_t sessionIdleSeconds = 12 * 3600;
  int64_t sessionMaxAgeSeconds = 7 * 86400;
  int64_t tokenTtlSeconds = 30 * 86400;
  int64_t registrationsPerAddressPerHour = 20;
  int64_t passwordHashQueue = 16;
  // Per-seller quotas (0: no limit): books listed per hour, and the bytes of
  // all of a seller's stored covers (MAX_COVER_BYTES_PER_SELLER accepts a K,
  // M or G suffix). Past them, 429.
  int64_t maxBooksPerSellerPerHour = 60;
  int64_t maxCoverBytesPerSeller = 200LL * 1024 * 1024;
  // CATALOG_CACHE_MB: the most memory this replica's catalog cache takes
  // (books, pages' ids, rendered pages; services::CatalogCache), MiB.
  int64_t catalogCacheBytes = 64LL * 1024 * 1024;
};

// Builds the configuration from the merged environment (see loadEnvironment).
// Throws ConfigError naming the first wrong setting.
Config loadConfig(const EnvMap& env);

}  // namespace bookstore::config
