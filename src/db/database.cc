#include "db/database.h"

#include <filesystem>

namespace bookstore::db {
namespace sql {
constexpr auto kPing = "SELECT 1";
constexpr auto kSqliteBusyTimeout = "PRAGMA busy_timeout = 5000";
}  // namespace sql

namespace {

std::string quoted(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string connectionString(const config::DatabaseTarget& target) {
  if (target.dialect == config::Dialect::kSqlite) return "filename=" + quoted(target.sqlitePath);
  // Drogon's parser takes a quoted value greedily up to the last quote, so the
  // one value that may hold anything (the password) goes last.
  return "host=" + target.host + " port=" + std::to_string(target.port) + " dbname=" + target.name +
         " user=" + target.user + " client_encoding=utf8mb4 password=" + quoted(target.password);
}

void prepareSqliteFile(const config::DatabaseTarget& target) {
  if (target.dialect != config::Dialect::kSqlite) return;
  auto parent = std::filesystem::path(target.sqlitePath).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
}

void pingSync(const drogon::orm::DbClientPtr& client) {
  client->execSqlSync(sql::kPing);
}

void configureSqliteWriter(const drogon::orm::DbClientPtr& client) {
  // Queued before any other statement, so the single connection waits for a
  // lock held by another process instead of failing at once.
  client->execSqlAsync(
      sql::kSqliteBusyTimeout, [](const drogon::orm::Result&) {},
      [](const drogon::orm::DrogonDbException& e) {
        LOG_WARN << "cannot set the SQLite busy timeout: " << e.base().what();
      });
}

std::shared_ptr<Database> Database::open(const config::Config& config, size_t poolSize) {
  auto db = std::make_shared<Database>();
  db->dialect_ = config.database.dialect;
  const auto conn = connectionString(config.database);
  db->readerGauge_ = std::make_shared<PoolGauge>(poolSize);
  if (db->isMysql()) {
    db->reader_ = drogon::orm::DbClient::newMysqlClient(conn, poolSize);
    db->writer_ = db->reader_;
    db->writerGauge_ = db->readerGauge_;
  } else {
    prepareSqliteFile(config.database);
    db->reader_ = drogon::orm::DbClient::newSqlite3Client(conn, poolSize);
    db->writer_ = drogon::orm::DbClient::newSqlite3Client(conn, 1);
    db->writerGauge_ = std::make_shared<PoolGauge>(1);
    configureSqliteWriter(db->writer_);
  }
  db->reader_->setTimeout(config.dbTimeoutSeconds);
  if (db->writer_ != db->reader_) db->writer_->setTimeout(config.dbTimeoutSeconds);
  return db;
}

Database::PoolFigures Database::poolFigures() const {
  PoolFigures figures;
  auto add = [&figures](const PoolGauge& gauge) {
    figures.inUse += gauge.inUse();
    figures.idle += gauge.connections() - gauge.inUse();
    figures.waiting += gauge.waiting();
  };
  add(*readerGauge_);
  if (writerGauge_ != readerGauge_) add(*writerGauge_);
  return figures;
}

void CountedTransactionAwaiter::await_suspend(std::coroutine_handle<> handle) {
  gauge_.acquire();
  client_.newTransactionAsync(
      [this, handle](const std::shared_ptr<drogon::orm::Transaction>& transaction) {
        if (transaction == nullptr) {
          gauge_.release();
          setException(std::make_exception_ptr(
              drogon::orm::TimeoutError("Timeout, no connection available for transaction")));
        } else {
          // The returned pointer keeps Drogon's own alive; when the last copy of
          // it goes, the gauge is released and Drogon's transaction ends as usual.
          auto* gauge = &gauge_;
          setValue(std::shared_ptr<drogon::orm::Transaction>(
              transaction.get(), [kept = transaction, gauge](drogon::orm::Transaction*) mutable {
                kept.reset();
                gauge->release();
              }));
        }
        handle.resume();
      });
}

bool Database::writerConnected() const {
  return writer_->hasAvailableConnections();
}

bool Database::connected() const {
  return reader_->hasAvailableConnections();
}

}  // namespace bookstore::db

namespace bookstore::db {

void Database::close() const {
  reader_->closeAll();
  if (writer_ != reader_) writer_->closeAll();
}

void Database::ping(std::function<void(bool answered)> answered) const {
  reader_->execSqlAsync(
      sql::kPing, [answered](const drogon::orm::Result&) { answered(true); },
      [answered](const drogon::orm::DrogonDbException&) { answered(false); });
}

}  // namespace bookstore::db
