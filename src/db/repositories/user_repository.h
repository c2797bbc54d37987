#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>

#include "db/database.h"
#include "db/models.h"

namespace bookstore::db {

class UserRepository {
 public:
  explicit UserRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  drogon::Task<std::optional<User>> findByEmail(std::string email) const;
  drogon::Task<std::optional<User>> findById(int64_t id) const;
  // nullopt when the email is taken.
  drogon::Task<std::optional<User>> create(std::string name, std::string email,
                                           std::string passwordHash) const;
  drogon::Task<void> updatePasswordHash(int64_t id, std::string hash) const;
  drogon::Task<Page<User>> list(int64_t page, int64_t perPage) const;

  // Blocking variants for the CLI (never on an I/O thread).
  static bool grantAdminSync(const drogon::orm::DbClientPtr& client, const std::string& email);

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace bookstore::db
