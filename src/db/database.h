#pragma once

#include <drogon/orm/DbClient.h>

#include <algorithm>
#include <atomic>
#include <coroutine>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "config/config.h"

namespace bookstore::db {

// Statements and transactions of this process waiting for or holding a
// connection of one pool (/metrics; Drogon does not expose its pool's state).
class PoolGauge {
 public:
  explicit PoolGauge(size_t connections) : connections_(connections) {}
  void acquire() { inFlight_.fetch_add(1, std::memory_order_relaxed); }
  void release() { inFlight_.fetch_sub(1, std::memory_order_relaxed); }
  size_t connections() const { return connections_; }
  // At most `connections` are in use; the rest wait for one.
  size_t inUse() const { return std::min(inFlight(), connections_); }
  size_t waiting() const { return inFlight() - inUse(); }

 private:
  size_t inFlight() const {
    return static_cast<size_t>(std::max<int64_t>(0, inFlight_.load(std::memory_order_relaxed)));
  }
  const size_t connections_;
  std::atomic<int64_t> inFlight_{0};
};

// Drogon's SqlAwaiter, counting the statement in its pool's gauge from the
// moment it is sent until its answer (or error) arrives.
class [[nodiscard]] CountedSqlAwaiter : public drogon::CallbackAwaiter<drogon::orm::Result> {
 public:
  CountedSqlAwaiter(drogon::orm::internal::SqlBinder&& binder, PoolGauge& gauge)
      : binder_(std::move(binder)), gauge_(gauge) {}
  void await_suspend(std::coroutine_handle<> handle) {
    gauge_.acquire();
    binder_ >> [handle, this](const drogon::orm::Result& result) {
      gauge_.release();
      setValue(result);
      handle.resume();
    };
    binder_ >> [handle, this](const std::exception_ptr& error) {
      gauge_.release();
      setException(error);
      handle.resume();
    };
    binder_.exec();
  }

 private:
  drogon::orm::internal::SqlBinder binder_;
  PoolGauge& gauge_;
};

// Drogon's TransactionAwaiter, counting the transaction in its pool's gauge
// until the last reference to it is gone (when Drogon commits or rolls back
// and frees its connection).
class [[nodiscard]] CountedTransactionAwaiter
    : public drogon::CallbackAwaiter<std::shared_ptr<drogon::orm::Transaction>> {
 public:
  CountedTransactionAwaiter(drogon::orm::DbClient& client, PoolGauge& gauge)
      : client_(client), gauge_(gauge) {}
  void await_suspend(std::coroutine_handle<> handle);

 private:
  drogon::orm::DbClient& client_;
  PoolGauge& gauge_;
};

// One pool as the repositories use it: `db->writer()->execSqlCoro(sql, …)`
// and `newTransactionCoro()`, as on a DbClientPtr, with every statement and
// transaction counted in the pool's gauge.
class CountedClient {
 public:
  CountedClient(drogon::orm::DbClient& client, PoolGauge& gauge) : client_(client), gauge_(gauge) {}
  const CountedClient* operator->() const { return this; }

  template <typename... Arguments>
  CountedSqlAwaiter execSqlCoro(const std::string& sql, Arguments&&... args) const {
    auto binder = client_ << sql;
    (void)(binder << ... << std::forward<Arguments>(args));
    return CountedSqlAwaiter(std::move(binder), gauge_);
  }
  CountedTransactionAwaiter newTransactionCoro() const {
    return CountedTransactionAwaiter(client_, gauge_);
  }

 private:
  drogon::orm::DbClient& client_;
  PoolGauge& gauge_;
};

// The pooled, asynchronous database clients of one process. Queries run on the
// clients' own threads, never on Drogon's I/O threads.
//
// SQLite allows one writer at a time, so it gets a single-connection writer for
// every statement that changes data (and every transaction) beside a pool of
// readers; on MySQL/MariaDB both are the same pool.
class Database {
 public:
  static std::shared_ptr<Database> open(const config::Config& config, size_t poolSize);

  CountedClient reader() const { return {*reader_, *readerGauge_}; }
  CountedClient writer() const { return {*writer_, *writerGauge_}; }
  // The connections of every pool, in use (or waiting for one) by this process.
  struct PoolFigures {
    size_t inUse = 0;
    size_t idle = 0;
    size_t waiting = 0;
  };
  PoolFigures poolFigures() const;
  config::Dialect dialect() const { return dialect_; }
  bool isMysql() const { return dialect_ == config::Dialect::kMysql; }
  // False while no connection to the server is up (fail fast instead of queueing).
  bool connected() const;
  // True once the writer has a connection up too (tests wait for both).
  bool writerConnected() const;
  // One trivial query on a reader; `answered(true)` when it came back.
  void ping(std::function<void(bool answered)> answered) const;
  // Closes every connection (CLI commands, before they exit).
  void close() const;

 private:
  config::Dialect dialect_ = config::Dialect::kSqlite;
  drogon::orm::DbClientPtr reader_;
  drogon::orm::DbClientPtr writer_;
  std::shared_ptr<PoolGauge> readerGauge_;
  std::shared_ptr<PoolGauge> writerGauge_;  // the reader's when both are one pool
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
