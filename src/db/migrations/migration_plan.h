#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bookstore::db {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

struct AppliedMigration {
  int version = 0;
  std::string name;
};

struct MigrationPlan {
  std::vector<Migration> pending;  // in version order
  // Versions recorded in the database that this binary does not know: a newer
  // replica migrated first (rolling deploy). Additive migrations keep older
  // binaries working, so this is reported, not fatal.
  std::vector<AppliedMigration> unknownApplied;
};

class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The migrations of one dialect ("sqlite" or "mysql") compiled into the binary.
std::vector<Migration> migrationsFor(std::string_view dialect);

// What must run, given what the database has recorded. Throws MigrationError
// when a recorded version carries another name than the binary's (two
// different migrations share a number) or versions are duplicated.
MigrationPlan planMigrations(const std::vector<Migration>& available,
                             const std::vector<AppliedMigration>& applied);

// Splits a migration file into statements at semicolons that end a statement,
// ignoring those inside quotes and comments; comments and blanks are dropped.
std::vector<std::string> splitSqlStatements(std::string_view sql);

}  // namespace bookstore::db
