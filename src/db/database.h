#pragma once

#include <drogon/orm/DbClient.h>

#include <functional>
#include <memory>
#include <string>

#include "config/config.h"

namespace bookstore::db {

// The pooled, asynchronous database clients of one process. Queries run on the
// clients' own threads, never on Drogon's I/O threads.
//
// SQLite allows one writer at a time, so it gets a single-connection writer for
// every statement that changes data (and every transaction) beside a pool of
// readers; on MySQL/MariaDB both are the same pool.
class Database {
 public:
  static std::shared_ptr<Database> open(const config::Config& config, size_t poolSize);

  const drogon::orm::DbClientPtr& reader() const { return reader_; }
  const drogon::orm::DbClientPtr& writer() const { return writer_; }
  config::Dialect dialect() const { return dialect_; }
  bool isMysql() const { return dialect_ == config::Dialect::kMysql; }
  // False while no connection to the server is up (fail fast instead of queueing).
  bool connected() const;
  // One trivial query on a reader; `answered(true)` when it came back.
  void ping(std::function<void(bool answered)> answered) const;
  // Closes every connection (CLI commands, before they exit).
  void close() const;

 private:
  config::Dialect dialect_ = config::Dialect::kSqlite;
  drogon::orm::DbClientPtr reader_;
  drogon::orm::DbClientPtr writer_;
};

// Drogon's connection string for a target (values escaped as Drogon expects).
std::string connectionString(const config::DatabaseTarget& target);

// Creates the parent folder of a SQLite file when missing; no-op for MySQL.
void prepareSqliteFile(const config::DatabaseTarget& target);

// The ping of Database::ping, blocking (CLI only); throws when it fails.
void pingSync(const drogon::orm::DbClientPtr& client);

// A single-connection SQLite client that writes: waits up to 5 s for locks.
void configureSqliteWriter(const drogon::orm::DbClientPtr& client);

}  // namespace bookstore::db
