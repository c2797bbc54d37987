#pragma once

#include <drogon/utils/coroutine.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/catalog_changes.h"
#include "db/database.h"
#include "db/models.h"
#include "domain/quota.h"
#include "domain/validation.h"

namespace bookstore::db {

// The catalog's change log (migrations/*/0008_catalog_changes.sql): every
// write that changes what the catalog shows records the book it changed, in
// its own transaction, as its last statement before the commit (so the row's
// id is allocated as late as possible: see services::CatalogCache). The book
// and purchase repositories both call it; the statement is the book
// repository's `kRecordChange`.
enum class CatalogChangeKind {
  kBookOnly,  // the book's fields (a purchase's stock): no page lists other books
  kListing,   // which books a page or search lists, or their order
};
drogon::Task<void> recordCatalogChange(std::shared_ptr<drogon::orm::Transaction> trans,
                                       int64_t bookId, CatalogChangeKind kind);

enum class DeleteOutcome { kDeleted, kArchived, kNotFound };
enum class UpdateOutcome { kUpdated, kNotFound, kStockChanged };
struct UpdateResult {
  UpdateOutcome outcome = UpdateOutcome::kNotFound;
  int64_t currentStock = 0;  // kStockChanged: the stock stored now
};

// A write guarded by the seller's quotas (createWithinQuota, setCoverWithinQuota).
enum class QuotaOutcome { kDone, kTooManyBooks, kCoverQuotaFull, kNotFound };
struct GuardedWrite {
  QuotaOutcome outcome = QuotaOutcome::kDone;
  int64_t bookId = 0;             // kDone of createWithinQuota: the new book
  int64_t retryAfterSeconds = 0;  // kTooManyBooks: until one more may be listed
  std::string replacedCover;      // kDone of setCoverWithinQuota: the file replaced ("" none)
};

// One row of the catalog's change log: book `bookId` changed; `listing` when
// the change can alter which books a page or search lists or their order;
// `createdAt`: when it was written (unix seconds, the writer's clock).
struct CatalogChange {
  int64_t id = 0;
  int64_t bookId = 0;
  bool listing = false;
  int64_t createdAt = 0;
};

class BookRepository {
 public:
  BookRepository(std::shared_ptr<Database> db, std::shared_ptr<CatalogChanges> changes)
      : db_(std::move(db)), changes_(std::move(changes)) {}

  // The catalog: books on sale (not archived), newest first, read through
  // indexes (services::CatalogService keeps what it reads). Every read is
  // one statement: a total and a page read apart may see different states
  // of the table (the service keeps them per listing change).
  drogon::Task<int64_t> countListed() const;
  // The ids of `limit` books on sale from position `skip` (0: the first)
  // among those whose id is at most `atOrBelow` (kNoAnchor: all).
  static constexpr int64_t kNoAnchor = INT64_MAX;
  drogon::Task<std::vector<int64_t>> listedIds(int64_t atOrBelow, int64_t skip,
                                               int64_t limit) const;
  // Books on sale whose title or author has every word of `words` (from
  // domain::searchWords, not empty) as a word or a word's beginning, case
  // and accents aside: SQLite FTS5 or MySQL FULLTEXT. As countListed and
  // listedIds.
  drogon::Task<int64_t> countMatching(std::vector<std::string> words) const;
  drogon::Task<std::vector<int64_t>> matchingIds(std::vector<std::string> words, int64_t atOrBelow,
                                                 int64_t skip, int64_t limit) const;
  // Anchors for deep pages: the ids at positions `every`, 2 * `every`, ...,
  // `count` * `every` (0: the first) of the listing (`words` empty) or the
  // search among books with id at most `atOrBelow` (kNoAnchor: all), in
  // one walk of at most `count` * `every` + 1 index entries; fewer when it
  // ends first.
  drogon::Task<std::vector<int64_t>> anchors(std::vector<std::string> words, int64_t atOrBelow,
                                             int64_t every, int64_t count) const;
  // listedIds (no anchor) or matchingIds (`words` not empty) and the total,
  // read in one transaction: one state of the table, however busy.
  drogon::Task<Page<int64_t>> idsAndTotal(std::vector<std::string> words, int64_t skip,
                                          int64_t limit) const;
  // The books of `ids` that exist (archived included), in no particular order.
  drogon::Task<std::vector<Book>> findMany(std::vector<int64_t> ids) const;
  static constexpr size_t kFindManyBatch = 20;

  // The catalog's change log (services::CatalogCache): its newest id (0 when
  // empty), the changes after `id` in id order (at most `limit`), and a
  // batch of pruning: rows older than `olderThan` (unix seconds) among the
  // `batch` oldest ids; answers how many went.
  drogon::Task<int64_t> latestChange() const;
  drogon::Task<std::vector<CatalogChange>> changesAfter(int64_t id, int64_t limit) const;
  drogon::Task<int64_t> pruneChanges(int64_t olderThan, int64_t batch) const;
  // Any book, archived included (order history links to them).
  drogon::Task<std::optional<Book>> find(int64_t id) const;
  drogon::Task<std::vector<Book>> bySeller(int64_t sellerId) const;
  // A new book without a cover (setCover adds one); answers its id.
  drogon::Task<int64_t> create(int64_t sellerId, domain::ValidBook book) const;
  // Writes only the fields `changes` sends, in one statement, and only while
  // the stock is still `changes.expectedStock` when that is set.
  drogon::Task<UpdateResult> update(int64_t id, domain::BookChanges changes) const;
  // Returns the cover it replaced ("" when none). Unguarded (the demo seed).
  drogon::Task<std::string> setCover(int64_t id, std::string cover, int64_t coverBytes = 0) const;

  // The quota-guarded writes. Each runs in one transaction that first
  // updates the seller's seller_quota row, so the seller's guarded writes
  // take turns on every replica (SQLite: one writer; MySQL: that row's lock
  // until the commit) and none counts before another has committed: parallel
  // requests cannot outrun a limit.
  //
  // A new book with `cover` (of `coverBytes`; "" for none): kTooManyBooks
  // when the seller listed `quotas.booksPerHour` books within the last hour,
  // kCoverQuotaFull when the cover would take the seller's stored covers past
  // `quotas.coverBytes`; nothing written then.
  drogon::Task<GuardedWrite> createWithinQuota(int64_t sellerId, domain::ValidBook book,
                                               std::string cover, int64_t coverBytes,
                                               domain::SellerQuotas quotas) const;
  // Points book `id` at `cover` (of `coverBytes`), unless the seller's
  // stored covers, less the one it replaces, plus this one would pass
  // `maxSellerCoverBytes` (kCoverQuotaFull; 0: no limit).
  drogon::Task<GuardedWrite> setCoverWithinQuota(int64_t id, std::string cover, int64_t coverBytes,
                                                 int64_t maxSellerCoverBytes) const;
  // The bytes of all the seller's covers (archived books' included): a
  // cheap early refusal before a file is written; the guarded writes decide.
  drogon::Task<int64_t> coverBytesOf(int64_t sellerId) const;
  // A book with purchases is archived (kept for their history), else deleted.
  // `soldOut`: an archived book's stock also becomes 0 (for the original,
  // which knows no archived flag).
  drogon::Task<DeleteOutcome> remove(int64_t id, bool soldOut = false) const;
  // ORIGINAL_COMPATIBLE: sets the stock of every archived book that has any
  // to 0 (books archived before the mode was on); answers how many changed.
  drogon::Task<int64_t> emptyArchivedStock() const;

 private:
  // The seller's seller_quota row, created on first use.
  drogon::Task<void> ensureQuotaRow(int64_t sellerId) const;

  std::shared_ptr<Database> db_;
  std::shared_ptr<CatalogChanges> changes_;
};

}  // namespace bookstore::db
