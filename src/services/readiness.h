#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "db/database.h"

namespace bookstore::services {

// What /health and the route guard know about this replica's dependencies:
// the shared database (reported, and used to fail fast) and the upload folder
// (EFS in AWS; a failing one takes this replica out of rotation).
//
// The database gate: once a request or a probe finds the database down,
// requests that need it answer 503 at once instead of each waiting
// DB_TIMEOUT_MS, and a probe at most every kReprobeSeconds (started by
// whoever asks) lets traffic back in as soon as the database answers again.
class Readiness : public std::enable_shared_from_this<Readiness> {
 public:
  static constexpr double kReprobeSeconds = 0.5;

  // `minFreeUploadBytes`: the folder fails the check while it has less room
  // than this (MAX_UPLOAD_MB: the largest cover must fit).
  Readiness(std::shared_ptr<db::Database> db, std::string uploadDir, int64_t minFreeUploadBytes = 0)
      : db_(std::move(db)),
        uploadDir_(std::move(uploadDir)),
        minFreeUploadBytes_(minFreeUploadBytes) {}

  // Whether a request that needs the database should try it now.
  bool databaseAdmits() const;
  // A request met the database unavailable (connection lost, none could be
  // opened): the gate closes, and the first caller kReprobeSeconds later
  // starts the probe that opens it again once the database answers.
  void databaseFailed() const;
  // A request's query timed out with the connection up: one slow query (a
  // cold deep read) or a busy pool is no outage, so the gate stays open;
  // a probe (unless one ran within kReprobeSeconds) closes it only if the
  // database does not answer it either (hung, or so overloaded that
  // failing fast is the better answer).
  void databaseSlow() const;
  static constexpr std::string_view kDatabaseOk = "ok";
  // For /health's body: kDatabaseOk, "unreachable" (no connection) or "failing".
  // Never waits; starts a probe when the last one is stale.
  std::string databaseState() const;
  // The database pools' connections in use, idle, and waited for (/metrics).
  db::Database::PoolFigures databasePool() const { return db_->poolFigures(); }
  // Blocking (file system): "" when writable with room for the largest
  // cover, else the reason ("no space left: …" when it is full).
  std::string checkUploads() const;

 private:
  void probeIfStale() const;
  void probe() const;

  std::shared_ptr<db::Database> db_;
  std::string uploadDir_;
  int64_t minFreeUploadBytes_ = 0;
  // The gate's state is shared by every I/O thread; it changes, the
  // configuration does not (hence mutable in a const service).
  mutable std::atomic<bool> down_{false};
  mutable std::atomic<bool> probing_{false};
  mutable std::atomic<int64_t> lastProbeNanos_{0};
};

}  // namespace bookstore::services
