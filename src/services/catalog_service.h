#pragma once

#include <drogon/utils/coroutine.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "db/models.h"
#include "db/repositories/book_repository.h"
#include "services/catalog_cache.h"
#include "services/outcome.h"
#include "services/single_flight.h"

namespace bookstore::services {

// One page of the catalog or of a search, and what an answer rendered from
// it depends on (for memoStore).
struct CatalogPage {
  db::Page<db::Book> page;
  uint64_t generation = 0;   // the cache's, before anything was read
  std::vector<int64_t> ids;  // the books shown
};

// What shoppers browse: the catalog's pages and searches and single books,
// through this replica's CatalogCache (see catalog_cache.h): own writes show
// in the next answer, other replicas' within CatalogCache::kMaxAge.
class CatalogService {
 public:
  // Longer searches match nothing (no title is that long) and cost nothing.
  static constexpr size_t kMaxQueryBytes = 200;

  // Anchors make deep pages cheap: the id at every `anchorEvery`-th
  // position of a listing or search is kept (until the listing changes),
  // and a page is read from the anchor before it, skipping fewer than
  // `anchorEvery` index entries instead of every entry before the page (an
  // index knows no positions: OFFSET walks them). A listing's anchors are
  // one run from its start, read as deep as pages have needed (and
  // kAnchorsAhead further) in one walk of the index from the last known one.
  static constexpr int64_t kAnchorEvery = 250;
  static constexpr int64_t kAnchorsAhead = 32;
  struct AnchorRun {
    std::vector<int64_t> ids;  // ids[i]: the id at position (i + 1) * anchorEvery
    bool complete = false;     // the listing ends before the next anchor
  };

  CatalogService(const db::BookRepository& books, std::shared_ptr<CatalogCache> cache,
                 int64_t anchorEvery = kAnchorEvery, int64_t anchorsAhead = kAnchorsAhead)
      : books_(books),
        cache_(std::move(cache)),
        anchorEvery_(std::max<int64_t>(anchorEvery, 1)),
        anchorsAhead_(std::max<int64_t>(anchorsAhead, 0)) {}

  // Books on sale matching `query` ("" lists all; else every word of it is
  // a word or a word's beginning in the title or author, case and accents
  // aside: domain::searchWords), newest first, page `page` of `perPage`.
  // A query that is not UTF-8, is longer than kMaxQueryBytes or has no
  // words, and a page past the end, answer no books without a query.
  // Throws the database's error.
  drogon::Task<CatalogPage> page(std::string query, int64_t page, int64_t perPage) const;

  // An answer rendered from a CatalogPage (a page's HTML, a list's JSON),
  // kept under `key` (its kind, query and page, …) until the listing or one
  // of the books it shows changes. Use as
  //   auto content = co_await catalog.memoFind<T>(key);
  //   if (!content) content = catalog.memoStore(key, shown, render(shown));
  template <typename T>
  drogon::Task<std::shared_ptr<const T>> memoFind(std::string key) const {
    auto wait = cache_->current();
    co_await wait;
    co_return cache_->find<T>(key, CatalogCache::Count::kAnswer);
  }
  template <typename T>
  std::shared_ptr<const T> memoStore(const std::string& key, const CatalogPage& shown,
                                     T value) const {
    auto made = std::make_shared<const T>(std::move(value));
    cache_->store<T>(key, made, sizeOf(*made), shown.generation,
                     CatalogCache::Depends{true, shown.ids});
    return made;
  }

  enum class Archived { kIncluded, kExcluded };
  // One book (archived ones too when `archived` is kIncluded: order history
  // links to them). kBookNotFound.
  drogon::Task<Outcome<db::Book>> book(int64_t id, Archived archived) const;

  CatalogCache::Stats cacheStats() const { return cache_->stats(); }

  // Deletes change-log rows older than CatalogCache::kChangeRetentionSeconds,
  // a few batches (of primary-key ranges); answers how many. For the sweep.
  drogon::Task<int64_t> pruneChanges() const;

 private:
  template <typename T>
  static size_t sizeOf(const T& value) {
    if constexpr (requires { value.size(); }) {
      return value.size();
    } else {
      return sizeof(T);
    }
  }
  void keepBook(const db::Book& book, uint64_t generation) const;
  // A page whose total and ids are read in one transaction (when the
  // listing changes faster than pageOnce can check its reads).
  drogon::Task<CatalogPage> pageInOneRead(std::vector<std::string> words, int64_t page,
                                          int64_t perPage) const;
  // Fills `out`'s books and ids from `ids` (all read by key when
  // `idsReadNow`, else from the cache where it has them).
  drogon::Task<void> showBooks(std::vector<int64_t> ids, bool idsReadNow, CatalogPage* out) const;
  // `words`: from searchWordsOf (none: the whole listing); `page` and
  // `perPage` clamped by page().
  drogon::Task<CatalogPage> pageOnce(std::vector<std::string> words, int64_t page,
                                     int64_t perPage) const;
  // The entry `key`, read by `read` when the cache misses it and kept until
  // the listing changes; stored only once the cache has applied every
  // change committed before the read.
  template <typename T, typename Read>
  drogon::Task<std::shared_ptr<const T>> listingEntry(std::string key, uint64_t generation,
                                                      Read read) const;
  // The listing's ids (`words` empty) or a search's: as BookRepository::listedIds.
  drogon::Task<std::vector<int64_t>> readIds(std::vector<std::string> words, int64_t atOrBelow,
                                             int64_t skip, int64_t limit) const;
  // The id at position `index` * anchorEvery_ of the listing or search
  // `words` (`normalized`: its key; kPastTheEnd past its end), from the
  // listing's run of anchors, extended when it is too short.
  drogon::Task<int64_t> anchor(std::vector<std::string> words, std::string normalized,
                               int64_t index, uint64_t generation) const;

  const db::BookRepository& books_;
  std::shared_ptr<CatalogCache> cache_;
  int64_t anchorEvery_;
  int64_t anchorsAhead_;
  mutable SingleFlight flights_;
};

}  // namespace bookstore::services
