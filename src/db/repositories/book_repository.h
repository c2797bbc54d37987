#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>

#include "db/catalog_changes.h"
#include "db/database.h"
#include "db/models.h"
#include "domain/validation.h"

namespace bookstore::db {

enum class DeleteOutcome { kDeleted, kArchived, kNotFound };
enum class UpdateOutcome { kUpdated, kNotFound, kStockChanged };
struct UpdateResult {
  UpdateOutcome outcome = UpdateOutcome::kNotFound;
  int64_t currentStock = 0;  // kStockChanged: the stock stored now
};

class BookRepository {
 public:
  BookRepository(std::shared_ptr<Database> db, std::shared_ptr<CatalogChanges> changes)
      : db_(std::move(db)), changes_(std::move(changes)) {}

  // Every book on sale (not archived), newest first: what the catalog lists
  // (services::CatalogCache keeps it in memory and pages and searches it).
  drogon::Task<std::vector<Book>> listing() const;
  // Any book, archived included (order history links to them).
  drogon::Task<std::optional<Book>> find(int64_t id) const;
  drogon::Task<std::vector<Book>> bySeller(int64_t sellerId) const;
  // A new book without a cover (setCover adds one); answers its id.
  drogon::Task<int64_t> create(int64_t sellerId, domain::ValidBook book) const;
  // Writes only the fields `changes` sends, in one statement, and only while
  // the stock is still `changes.expectedStock` when that is set.
  drogon::Task<UpdateResult> update(int64_t id, domain::BookChanges changes) const;
  // Returns the cover it replaced ("" when none).
  drogon::Task<std::string> setCover(int64_t id, std::string cover) const;
  // A book with purchases is archived (kept for their history), else deleted.
  // `soldOut`: an archived book's stock also becomes 0 (for the original,
  // which knows no archived flag).
  drogon::Task<DeleteOutcome> remove(int64_t id, bool soldOut = false) const;

 private:
  std::shared_ptr<Database> db_;
  std::shared_ptr<CatalogChanges> changes_;
};

}  // namespace bookstore::db
