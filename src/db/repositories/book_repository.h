#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>

#include "db/catalog_changes.h"
#include "db/database.h"
#include "db/models.h"
#include "domain/validation.h"

namespace bookstore::db {

enum class DeleteOutcome { kDeleted, kArchived, kNotFound };

class BookRepository {
 public:
  BookRepository(std::shared_ptr<Database> db, std::shared_ptr<CatalogChanges> changes)
      : db_(std::move(db)), changes_(std::move(changes)) {}

  // Books not archived, newest first; `query` matches title or author.
  drogon::Task<Page<Book>> catalog(std::string query, int64_t page, int64_t perPage) const;
  // Any book, archived included (order history links to them).
  drogon::Task<std::optional<Book>> find(int64_t id) const;
  drogon::Task<std::vector<Book>> bySeller(int64_t sellerId) const;
  drogon::Task<int64_t> create(int64_t sellerId, domain::ValidBook book, std::string cover) const;
  drogon::Task<void> update(int64_t id, domain::ValidBook book) const;
  // Returns the cover it replaced ("" when none).
  drogon::Task<std::string> setCover(int64_t id, std::string cover) const;
  // A book with purchases is archived (kept for their history), else deleted.
  drogon::Task<DeleteOutcome> remove(int64_t id) const;

 private:
  std::shared_ptr<Database> db_;
  std::shared_ptr<CatalogChanges> changes_;
};

}  // namespace bookstore::db
