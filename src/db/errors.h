#pragma once

#include <drogon/orm/Exception.h>

#include <stdexcept>

namespace bookstore::db {

// The database could not be reached in time (connection lost, no connection,
// timeout): callers answer 503 and the client recovers on its own.
bool isUnavailable(const drogon::orm::DrogonDbException& e);

// Of those, the ones where the database did not answer in time while the
// connection stayed up (a query's timeout, no pooled connection free in
// time, SQLite busy): a slow query or a busy pool, not necessarily an outage.
bool isTimeout(const drogon::orm::DrogonDbException& e);

// A UNIQUE constraint refused the row (MySQL 1062, SQLite UNIQUE).
bool isUniqueViolation(const drogon::orm::DrogonDbException& e);

// Thrown by code that checks connectivity up front instead of queueing work
// behind a dead connection.
class DatabaseUnavailable : public std::runtime_error {
 public:
  DatabaseUnavailable() : std::runtime_error("database unavailable") {}
};

}  // namespace bookstore::db
