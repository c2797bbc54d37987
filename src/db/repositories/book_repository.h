#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>

#include "db/catalog_changes.h"
#include "db/database.h"
#include "db/models.h"
#include "domain/quota.h"
#include "domain/validation.h"

namespace bookstore::db {

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
