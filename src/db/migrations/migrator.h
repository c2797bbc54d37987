#pragma once

#include <drogon/orm/DbClient.h>

#include <functional>
#include <string>

#include "config/database_url.h"

namespace bookstore::db {

struct MigrationReport {
  int applied = 0;  // migrations run now
  int alreadyApplied = 0;
  int unknownNewer = 0;  // recorded by a newer binary
  int currentVersion = 0;
};

// Brings the schema up to date and seeds the delivery providers when there
// are none. Blocking: call it before the server starts or from the CLI, never
// on an I/O thread. Safe when several replicas run it at the same instant:
// MySQL/MariaDB serialise on GET_LOCK, SQLite on an immediate transaction.
// `client` must have exactly one connection (the lock is per connection).
// Throws on failure, with a message saying which migration failed.
MigrationReport migrate(const drogon::orm::DbClientPtr& client, config::Dialect dialect,
                        const std::function<void(const std::string&)>& log);

}  // namespace bookstore::db
