#pragma once

#include <functional>
#include <memory>
#include <string>

#include "db/database.h"

namespace bookstore::services {

// What /health checks: the shared database answers and the upload folder
// takes writes (EFS in AWS).
class Readiness {
 public:
  Readiness(std::shared_ptr<db::Database> db, std::string uploadDir)
      : db_(std::move(db)), uploadDir_(std::move(uploadDir)) {}

  // False while no connection to the database is up (answer 503 at once
  // instead of queueing behind a dead connection).
  bool databaseConnected() const { return db_->connected(); }
  // Calls `done` with "" when the database answered, else the problem.
  void checkDatabase(std::function<void(std::string)> done) const;
  // Blocking (file system): "" when writable, else the reason.
  std::string checkUploads() const;

 private:
  std::shared_ptr<db::Database> db_;
  std::string uploadDir_;
};

}  // namespace bookstore::services
