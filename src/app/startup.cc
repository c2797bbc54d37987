#include "app/startup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "db/database.h"
#include "db/migrations/migrator.h"
#include "domain/tokens.h"

namespace bookstore::app {

drogon::orm::DbClientPtr openAdminClient(const config::Config& config,
                                         std::chrono::milliseconds wait) {
  const auto conn = db::connectionString(config.database);
  drogon::orm::DbClientPtr client;
  if (config.database.dialect == config::Dialect::kMysql) {
    client = drogon::orm::DbClient::newMysqlClient(conn, 1);
  } else {
    db::prepareSqliteFile(config.database);
    client = drogon::orm::DbClient::newSqlite3Client(conn, 1);
    db::configureSqliteWriter(client);
  }
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (!client->hasAvailableConnections()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      client->closeAll();
      throw std::runtime_error("database unreachable: " + config.database.describe());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return client;
}

void ensureSecretKey(config::Config& config) {
  if (!config.secretKey.empty() || config.database.dialect != config::Dialect::kSqlite) return;
  auto dir = std::filesystem::path(config.database.sqlitePath).parent_path();
  auto path = (dir.empty() ? std::filesystem::path(".") : dir) / "secret_key";
  std::ifstream in(path);
  if (in) {
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto key = buffer.str();
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    if (key.size() >= 32) {
      config.secretKey = key;
      return;
    }
  }
  auto key = domain::randomToken(32);
  // O_EXCL: when two processes race, one writes and the other reads its key.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream again(path);
    std::getline(again, key);
    if (key.size() < 32) throw std::runtime_error("SECRET_KEY: cannot read " + path.string());
  } else {
    auto line = key + "\n";
    bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ok = fsync(fd) == 0 && ok;
    close(fd);
    if (!ok) throw std::runtime_error("SECRET_KEY: cannot write " + path.string());
  }
  config.secretKey = key;
}

void migrateDatabase(const config::Config& config, const drogon::orm::DbClientPtr& client) {
  auto report = db::migrate(client, config.database.dialect,
                            [](const std::string& line) { LOG_INFO << line; });
  LOG_INFO << "schema at version " << report.currentVersion << " (" << report.applied
           << " applied now)";
}

}  // namespace bookstore::app
