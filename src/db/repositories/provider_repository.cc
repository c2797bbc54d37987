#include "db/repositories/provider_repository.h"

#include "db/row_reading.h"
#include "db/transaction.h"
#include "domain/money.h"

namespace bookstore::db {
namespace sql {
constexpr auto kList = "SELECT id, name, coverage_area, cost FROM delivery_provider ORDER BY id";
constexpr auto kFind = "SELECT id, name, coverage_area, cost FROM delivery_provider WHERE id = ?";
constexpr auto kInsert =
    "INSERT INTO delivery_provider (name, coverage_area, cost) VALUES (?, ?, ?)";
constexpr auto kUpdate =
    "UPDATE delivery_provider SET name = ?, coverage_area = ?, cost = ? WHERE id = ?";
constexpr auto kInUse = "SELECT COUNT(*) FROM delivery_assignment WHERE provider_id = ?";
constexpr auto kDelete = "DELETE FROM delivery_provider WHERE id = ?";
constexpr auto kCount = "SELECT COUNT(*) FROM delivery_provider";
}  // namespace sql

namespace {

struct SeedProvider {
  const char* name;
  const char* area;
  const char* cost;
};
constexpr SeedProvider kSeedProviders[] = {{"DHL", "Internacional", "50.00"},
                                           {"FedEx", "Internacional", "45.00"},
                                           {"Envia", "Nacional", "20.00"},
                                           {"Servientrega", "Nacional", "15.00"}};

Provider providerFrom(const drogon::orm::Row& row) {
  return Provider{intOf(row[0]), textOf(row[1]), textOf(row[2]), centsOf(row[3])};
}
}  // namespace

drogon::Task<std::vector<Provider>> ProviderRepository::list() const {
  std::vector<Provider> out;
  for (const auto& row : co_await db_->reader()->execSqlCoro(sql::kList)) {
    out.push_back(providerFrom(row));
  }
  co_return out;
}

drogon::Task<std::optional<Provider>> ProviderRepository::find(int64_t id) const {
  auto rows = co_await db_->reader()->execSqlCoro(sql::kFind, id);
  if (rows.empty()) co_return std::nullopt;
  co_return providerFrom(rows[0]);
}

drogon::Task<int64_t> ProviderRepository::create(std::string name, std::string area,
                                                 int64_t costCents) const {
  auto result =
      co_await db_->writer()->execSqlCoro(sql::kInsert, name, area, domain::formatMoney(costCents));
  co_return static_cast<int64_t>(result.insertId());
}

drogon::Task<bool> ProviderRepository::update(int64_t id, std::string name, std::string area,
                                              int64_t costCents) const {
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  if ((co_await trans->execSqlCoro(sql::kFind, id)).empty()) co_return false;
  co_await trans->execSqlCoro(sql::kUpdate, name, area, domain::formatMoney(costCents), id);
  co_await commit(trans);
  co_return true;
}

drogon::Task<ProviderDeleteOutcome> ProviderRepository::remove(int64_t id) const {
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  if ((co_await trans->execSqlCoro(sql::kFind, id)).empty())
    co_return ProviderDeleteOutcome::kNotFound;
  if (intOf((co_await trans->execSqlCoro(sql::kInUse, id))[0][0]) > 0) {
    co_return ProviderDeleteOutcome::kInUse;
  }
  co_await trans->execSqlCoro(sql::kDelete, id);
  co_await commit(trans);
  co_return ProviderDeleteOutcome::kDeleted;
}

}  // namespace bookstore::db

namespace bookstore::db {

bool ProviderRepository::seedDefaultsSync(const drogon::orm::DbClientPtr& client) {
  if (intOf(client->execSqlSync(sql::kCount)[0][0]) > 0) return false;
  for (const auto& p : kSeedProviders) {
    client->execSqlSync(sql::kInsert, std::string(p.name), std::string(p.area),
                        std::string(p.cost));
  }
  return true;
}

}  // namespace bookstore::db
