#include "config/config.h"

#include <unistd.h>

#include <charconv>
#include <thread>

namespace bookstore::config {
namespace {

const std::string* find(const EnvMap& env, const std::string& key) {
  auto it = env.find(key);
  return it == env.end() ? nullptr : &it->second;
}

std::string getOr(const EnvMap& env, const std::string& key, const std::string& fallback) {
  const auto* value = find(env, key);
  return value && !value->empty() ? *value : fallback;
}

int64_t intSetting(const EnvMap& env, const std::string& key, int64_t fallback, int64_t min,
                   int64_t max) {
  const auto* value = find(env, key);
  if (!value || value->empty()) return fallback;
  int64_t parsed = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  if (ec != std::errc() || ptr != value->data() + value->size()) {
    throw ConfigError(key, "'" + *value + "' is not a whole number");
  }
  if (parsed < min || parsed > max) {
    throw ConfigError(key, "must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + " (got " + *value + ")");
  }
  return parsed;
}

// A size in bytes: a whole number, optionally followed by K, M or G (KiB,
// MiB, GiB; "KB", "MB", "GB" mean the same), between `min` and `max` bytes.
int64_t byteSetting(const EnvMap& env, const std::string& key, int64_t fallback, int64_t min,
                    int64_t max) {
  const auto* value = find(env, key);
  if (!value || value->empty()) return fallback;
  int64_t parsed = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  const std::string unit(ptr, value->data() + value->size());
  int64_t scale = 0;
  if (unit.empty() || unit == "B" || unit == "b") scale = 1;
  if (unit == "K" || unit == "k" || unit == "KB" || unit == "kB") scale = 1024;
  if (unit == "M" || unit == "m" || unit == "MB") scale = 1024 * 1024;
  if (unit == "G" || unit == "g" || unit == "GB") scale = 1024 * 1024 * 1024;
  if (ec != std::errc() || ptr == value->data() || scale == 0 || parsed < 0) {
    throw ConfigError(key, "'" + *value +
                               "' is not a size in bytes (a whole number, optionally with K, M "
                               "or G)");
  }
  if (parsed > max / scale || parsed * scale < min) {
    throw ConfigError(key, "must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + " bytes (got " + *value + ")");
  }
  return parsed * scale;
}

bool boolSetting(const EnvMap& env, const std::string& key, bool fallback) {
  const auto* value = find(env, key);
  if (!value || value->empty()) return fallback;
  if (*value == "1" || *value == "true" || *value == "yes" || *value == "on") return true;
  if (*value == "0" || *value == "false" || *value == "no" || *value == "off") return false;
  throw ConfigError(key, "'" + *value + "' is not a boolean (use true or false)");
}

DatabaseTarget databaseFrom(const EnvMap& env) {
  if (const auto* url = find(env, "DATABASE_URL"); url && !url->empty()) {
    try {
      return parseDatabaseUrl(*url);
    } catch (const std::invalid_argument& e) {
      throw ConfigError("DATABASE_URL", e.what());
    }
  }
  if (const auto* host = find(env, "DB_HOST"); host && !host->empty()) {
    DatabaseTarget target;
    target.dialect = Dialect::kMysql;
    target.host = *host;
    target.port = static_cast<uint16_t>(intSetting(env, "DB_PORT", 3306, 1, 65535));
    target.name = getOr(env, "DB_NAME", "");
    if (target.name.empty()) throw ConfigError("DB_NAME", "required when DB_HOST is set");
    target.user = getOr(env, "DB_USER", "");
    if (target.user.empty()) throw ConfigError("DB_USER", "required when DB_HOST is set");
    target.password = getOr(env, "DB_PASSWORD", "");
    return target;
  }
  DatabaseTarget target;
  target.sqlitePath = "instance/bookstore.db";
  return target;
}

LogLevel logLevelFrom(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (text == "TRACE") return LogLevel::kTrace;
  if (text == "DEBUG") return LogLevel::kDebug;
  if (text == "INFO") return LogLevel::kInfo;
  if (text == "WARN" || text == "WARNING") return LogLevel::kWarn;
  if (text == "ERROR") return LogLevel::kError;
  throw ConfigError("LOG_LEVEL", "must be one of TRACE, DEBUG, INFO, WARN, ERROR");
}

bool logFormatIsJson(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text == "json") return true;
  if (text == "text") return false;
  throw ConfigError("LOG_FORMAT", "must be text or json");
}

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "bookstore";
  return name;
}

}  // namespace

Config loadConfig(const EnvMap& env) {
  Config config;
  config.database = databaseFrom(env);
  config.uploadDir = getOr(env, "UPLOAD_DIR", config.uploadDir);
  config.host = getOr(env, "HOST", config.host);
  config.port = static_cast<uint16_t>(intSetting(env, "PORT", config.port, 1, 65535));

  config.secretKey = getOr(env, "SECRET_KEY", "");
  if (config.database.dialect != Dialect::kSqlite && config.secretKey.empty()) {
    throw ConfigError("SECRET_KEY",
                      "required when the database is not SQLite (all replicas share it)");
  }
  if (!config.secretKey.empty() && config.secretKey.size() < 16) {
    throw ConfigError("SECRET_KEY", "must be at least 16 characters long");
  }

  config.logLevel = logLevelFrom(getOr(env, "LOG_LEVEL", "INFO"));

  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  config.threads = static_cast<int>(intSetting(env, "THREADS", cores, 1, 256));
  config.dbPoolSize = static_cast<int>(intSetting(env, "DB_POOL_SIZE", config.threads, 1, 512));
  config.maxUploadBytes = intSetting(env, "MAX_UPLOAD_MB", 5, 1, 1024) * 1024 * 1024;
  config.shutdownGraceSeconds = static_cast<int>(
      intSetting(env, "SHUTDOWN_GRACE_SECONDS", config.shutdownGraceSeconds, 0, 3600));
  config.dbTimeoutSeconds =
      static_cast<double>(intSetting(env, "DB_TIMEOUT_MS", 3000, 100, 600000)) / 1000.0;
  try {
    config.trustedProxies = TrustedProxies::parse(getOr(env, "TRUSTED_PROXIES", ""));
  } catch (const std::invalid_argument& e) {
    throw ConfigError("TRUSTED_PROXIES", e.what());
  }
  config.replicaId = getOr(env, "REPLICA_ID", hostName());
  config.bootstrapDir = getOr(env, "BOOTSTRAP_DIR", config.bootstrapDir);
  config.originalCompatible = boolSetting(env, "ORIGINAL_COMPATIBLE", false);
  config.pendingPaymentTimeoutSeconds = intSetting(
      env, "PENDING_PAYMENT_TIMEOUT_SECONDS", config.pendingPaymentTimeoutSeconds, 1, 30 * 86400);
  config.metricsPublic = boolSetting(env, "METRICS_PUBLIC", false);
  config.metricsPort = static_cast<uint16_t>(intSetting(env, "METRICS_PORT", 0, 0, 65535));
  if (config.metricsPort != 0 && config.metricsPort == config.port) {
    throw ConfigError("METRICS_PORT", "must differ from PORT (or be 0 for no metrics listener)");
  }
  config.jsonLogs = logFormatIsJson(getOr(env, "LOG_FORMAT", "text"));
  config.sessionIdleSeconds =
      intSetting(env, "SESSION_IDLE_SECONDS", config.sessionIdleSeconds, 1, 365 * 86400);
  config.sessionMaxAgeSeconds =
      intSetting(env, "SESSION_MAX_AGE_SECONDS", config.sessionMaxAgeSeconds, 1, 365 * 86400);
  config.tokenTtlSeconds =
      intSetting(env, "API_TOKEN_TTL_SECONDS", config.tokenTtlSeconds, 1, 365 * 86400);
  config.registrationsPerAddressPerHour =
      intSetting(env, "REGISTRATIONS_PER_ADDRESS_PER_HOUR", config.registrationsPerAddressPerHour,
                 1, 1'000'000);
  config.passwordHashQueue =
      intSetting(env, "PASSWORD_HASH_QUEUE", config.passwordHashQueue, 1, 10'000);
  config.maxBooksPerSellerPerHour =
      intSetting(env, "MAX_BOOKS_PER_SELLER_PER_HOUR", config.maxBooksPerSellerPerHour, 0, 1000000);
  config.maxCoverBytesPerSeller =
      byteSetting(env, "MAX_COVER_BYTES_PER_SELLER", config.maxCoverBytesPerSeller, 0,
                  int64_t{1024} * 1024 * 1024 * 1024 * 1024);
  config.catalogCacheBytes = intSetting(env, "CATALOG_CACHE_MB", 64, 1, 65536) * 1024 * 1024;
  return config;
}

}  // namespace bookstore::config
