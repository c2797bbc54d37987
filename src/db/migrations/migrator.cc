#include "db/migrations/migrator.h"

#include <drogon/orm/Exception.h>

#include "db/migrations/migration_plan.h"
#include "db/repositories/provider_repository.h"
#include "db/row_reading.h"

namespace bookstore::db {
namespace sql {
constexpr auto kMysqlLock = "SELECT GET_LOCK('bookstore_migrations', 120)";
constexpr auto kMysqlUnlock = "SELECT RELEASE_LOCK('bookstore_migrations')";
constexpr auto kSqliteWal = "PRAGMA journal_mode=WAL";
constexpr auto kSqliteBegin = "BEGIN IMMEDIATE";
constexpr auto kSqliteCommit = "COMMIT";
constexpr auto kSqliteRollback = "ROLLBACK";
constexpr auto kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER NOT NULL PRIMARY KEY,"
    " name VARCHAR(100) NOT NULL,"
    " applied_at BIGINT NOT NULL)";
constexpr auto kSelectApplied = "SELECT version, name FROM schema_migrations ORDER BY version";
constexpr auto kRecordApplied =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";
}  // namespace sql

namespace {

// A MySQL DDL statement that already took effect before a crash between it and
// the version record: re-running it must not fail the whole start.
bool alreadyDoneError(const std::string& message) {
  return message.find("Duplicate column name") != std::string::npos ||
         message.find("Duplicate key name") != std::string::npos ||
         message.find("already exists") != std::string::npos;
}

void runMigrations(const drogon::orm::DbClientPtr& client, config::Dialect dialect,
                   const std::function<void(const std::string&)>& log, MigrationReport& report) {
  const bool mysql = dialect == config::Dialect::kMysql;
  client->execSqlSync(sql::kCreateVersionTable);
  std::vector<AppliedMigration> applied;
  for (const auto& row : client->execSqlSync(sql::kSelectApplied)) {
    applied.push_back({row[0].as<int>(), row[1].as<std::string>()});
  }
  const auto available = migrationsFor(mysql ? "mysql" : "sqlite");
  const auto plan = planMigrations(available, applied);
  report.alreadyApplied = static_cast<int>(applied.size() - plan.unknownApplied.size());
  report.unknownNewer = static_cast<int>(plan.unknownApplied.size());
  for (const auto& unknown : plan.unknownApplied) {
    log("database has migration " + std::to_string(unknown.version) + " (" + unknown.name +
        ") from a newer version of bookstore; continuing");
  }
  for (const auto& migration : plan.pending) {
    log("applying migration " + std::to_string(migration.version) + " " + migration.name);
    for (const auto& statement : splitSqlStatements(migration.sql)) {
      try {
        client->execSqlSync(statement);
      } catch (const drogon::orm::DrogonDbException& e) {
        const std::string message = e.base().what();
        if (mysql && alreadyDoneError(message)) {
          log("  already in place: " + message);
          continue;
        }
        throw MigrationError("migration " + std::to_string(migration.version) + " " +
                             migration.name + " failed: " + message);
      }
    }
    client->execSqlSync(sql::kRecordApplied, migration.version, migration.name, unixNow());
    ++report.applied;
  }
  report.currentVersion = available.empty() ? 0 : available.back().version;
  for (const auto& unknown : plan.unknownApplied) {
    report.currentVersion = std::max(report.currentVersion, unknown.version);
  }
  // The original seeded its providers into an empty table; so do we.
  if (ProviderRepository::seedDefaultsSync(client)) log("seeded the delivery providers");
}

}  // namespace

MigrationReport migrate(const drogon::orm::DbClientPtr& client, config::Dialect dialect,
                        const std::function<void(const std::string&)>& log) {
  MigrationReport report;
  if (dialect == config::Dialect::kMysql) {
    auto locked = client->execSqlSync(sql::kMysqlLock);
    if (locked.empty() || locked[0][0].isNull() || locked[0][0].as<int>() != 1) {
      throw MigrationError("could not take the migration lock within 120 seconds");
    }
    try {
      runMigrations(client, dialect, log, report);
    } catch (...) {
      client->execSqlSync(sql::kMysqlUnlock);
      throw;
    }
    client->execSqlSync(sql::kMysqlUnlock);
    return report;
  }
  client->execSqlSync(sql::kSqliteWal);
  client->execSqlSync(sql::kSqliteBegin);
  try {
    runMigrations(client, dialect, log, report);
  } catch (...) {
    try {
      client->execSqlSync(sql::kSqliteRollback);
    } catch (...) {
    }
    throw;
  }
  client->execSqlSync(sql::kSqliteCommit);
  return report;
}

}  // namespace bookstore::db
