#include "db/repositories/user_repository.h"

#include "db/errors.h"
#include "db/row_reading.h"

namespace bookstore::db {
namespace sql {
constexpr auto kUserColumns = "id, name, email, password, is_admin";
constexpr auto kFindByEmail =
    "SELECT id, name, email, password, is_admin FROM `user` WHERE email = ?";
constexpr auto kFindById = "SELECT id, name, email, password, is_admin FROM `user` WHERE id = ?";
constexpr auto kInsert =
    "INSERT INTO `user` (name, email, password, is_admin, created_at) VALUES (?, ?, ?, 0, ?)";
constexpr auto kUpdatePassword = "UPDATE `user` SET password = ? WHERE id = ?";
constexpr auto kList =
    "SELECT id, name, email, password, is_admin FROM `user` ORDER BY id LIMIT ? OFFSET ?";
constexpr auto kCount = "SELECT COUNT(*) FROM `user`";
constexpr auto kGrantAdmin = "UPDATE `user` SET is_admin = 1 WHERE email = ?";
}  // namespace sql

namespace {
User userFrom(const drogon::orm::Row& row) {
  return User{intOf(row[0]), textOf(row[1]), textOf(row[2]), textOf(row[3]), boolOf(row[4])};
}
}  // namespace

drogon::Task<std::optional<User>> UserRepository::findByEmail(std::string email) const {
  auto result = co_await db_->reader()->execSqlCoro(sql::kFindByEmail, email);
  if (result.empty()) co_return std::nullopt;
  co_return userFrom(result[0]);
}

drogon::Task<std::optional<User>> UserRepository::findById(int64_t id) const {
  auto result = co_await db_->reader()->execSqlCoro(sql::kFindById, id);
  if (result.empty()) co_return std::nullopt;
  co_return userFrom(result[0]);
}

drogon::Task<std::optional<User>> UserRepository::create(std::string name, std::string email,
                                                         std::string passwordHash) const {
  try {
    auto result =
        co_await db_->writer()->execSqlCoro(sql::kInsert, name, email, passwordHash, unixNow());
    co_return User{static_cast<int64_t>(result.insertId()), name, email, passwordHash, false};
  } catch (const drogon::orm::DrogonDbException& e) {
    if (isUniqueViolation(e)) co_return std::nullopt;
    throw;
  }
}

drogon::Task<void> UserRepository::updatePasswordHash(int64_t id, std::string hash) const {
  co_await db_->writer()->execSqlCoro(sql::kUpdatePassword, hash, id);
}

drogon::Task<Page<User>> UserRepository::list(int64_t page, int64_t perPage) const {
  Page<User> out;
  auto count = co_await db_->reader()->execSqlCoro(sql::kCount);
  out.total = intOf(count[0][0]);
  auto rows = co_await db_->reader()->execSqlCoro(sql::kList, perPage, (page - 1) * perPage);
  for (const auto& row : rows) out.items.push_back(userFrom(row));
  co_return out;
}

bool UserRepository::grantAdminSync(const drogon::orm::DbClientPtr& client,
                                    const std::string& email) {
  return client->execSqlSync(sql::kGrantAdmin, email).affectedRows() > 0 ||
         !client->execSqlSync(sql::kFindByEmail, email).empty();
}

}  // namespace bookstore::db
