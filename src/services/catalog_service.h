#pragma once

#include <drogon/utils/coroutine.h>

#include <memory>

#include "db/models.h"
#include "db/repositories/book_repository.h"
#include "services/catalog_cache.h"
#include "services/outcome.h"

namespace bookstore::services {

// What shoppers browse: the catalog's pages and searches (slices of this
// replica's snapshot, see catalog_cache.h) and single books.
class CatalogService {
 public:
  CatalogService(const db::BookRepository& books, std::shared_ptr<CatalogCache> cache)
      : books_(books), cache_(std::move(cache)) {}

  // The books on sale now (own writes included, others' within kMaxAge).
  // Throws the database's error when a needed reload fails.
  drogon::Task<SnapshotPtr> snapshot() const;

  enum class Archived { kIncluded, kExcluded };
  // One book: from the snapshot when on sale, else from the database (a book
  // added on another replica a moment ago, or an archived one that order
  // history still links to when `archived` is kIncluded). kBookNotFound.
  drogon::Task<Outcome<db::Book>> book(int64_t id, Archived archived) const;

  CatalogCache::Stats cacheStats() const { return cache_->stats(); }

 private:
  const db::BookRepository& books_;
  std::shared_ptr<CatalogCache> cache_;
};

}  // namespace bookstore::services
