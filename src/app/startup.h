#pragma once

#include <drogon/orm/DbClient.h>

#include <chrono>
#include <string>

#include "config/config.h"

namespace bookstore::app {

// A client with one connection for start-up work and CLI commands (migrations,
// seeding, admin grants); it waits up to `wait` for the database to answer.
// Throws std::runtime_error naming the database when it does not.
drogon::orm::DbClientPtr openAdminClient(const config::Config& config,
                                         std::chrono::milliseconds wait);

// SQLite without SECRET_KEY: a random key is generated once and kept in a
// file beside the database (0600), so restarts keep tokens valid.
void ensureSecretKey(config::Config& config);

// Runs the migrations (with their lock) and logs what they did.
void migrateDatabase(const config::Config& config, const drogon::orm::DbClientPtr& client);

}  // namespace bookstore::app
