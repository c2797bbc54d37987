#pragma once

#include <exception>

namespace bookstore::services {

// True when a use case failed because the database could not be reached in
// time (connection lost, none up, a timeout, SQLite busy): not a bug, the
// request answers 503 and the database clients recover by themselves.
bool isUnavailable(const std::exception& error);

// Of those, a timeout with the connection up (db::isTimeout): one slow query
// or a busy pool, which alone is no outage (Readiness::databaseSlow).
bool isTimeout(const std::exception& error);

}  // namespace bookstore::services
