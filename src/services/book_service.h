#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>
#include <string>
#include <vector>

#include "db/models.h"
#include "db/repositories/book_repository.h"
#include "domain/quota.h"
#include "domain/validation.h"
#include "services/outcome.h"
#include "storage/cover_store.h"

namespace bookstore::services {

// A seller's books: publishing, editing, removing, and the cover files'
// lifecycle (a replaced or deleted book's file is removed; a file stored for
// a change that then failed is removed too, so no orphan stays behind).
// Only a book's seller may change it; an archived book cannot be changed.
class BookService {
 public:
  // `originalCompatible` (ORIGINAL_COMPATIBLE): an archived book's stock
  // also becomes 0, so the Flask original, which lists every book, cannot
  // sell it during a rollback.
  // `quotas`: MAX_BOOKS_PER_SELLER_PER_HOUR and MAX_COVER_BYTES_PER_SELLER
  // (kBookQuotaReached, kCoverQuotaReached), held under concurrency by the
  // repository's guarded writes.
  BookService(const db::BookRepository& books, const storage::CoverStore& covers,
              int64_t maxCoverBytes, bool originalCompatible = false,
              domain::SellerQuotas quotas = {})
      : books_(books),
        covers_(covers),
        maxCoverBytes_(maxCoverBytes),
        originalCompatible_(originalCompatible),
        quotas_(quotas) {}

  // kCoverTooLarge above MAX_UPLOAD_MB: for adapters that know an upload's
  // size before copying it.
  Status coverSizeAllowed(size_t bytes) const;

  // The book `userId` may change: kBookNotFound (none, or archived), kNotSeller.
  drogon::Task<Outcome<db::Book>> ownedBook(int64_t userId, int64_t bookId) const;

  // `cover`: the uploaded bytes, when one was sent (kCoverTooLarge,
  // kCoverNotAnImage). Answers the stored book. Past the seller's quotas:
  // kBookQuotaReached, kCoverQuotaReached; an upload folder without room:
  // kStorageFull. A refusal stores nothing (no file, no row).
  drogon::Task<Outcome<db::Book>> publish(int64_t sellerId, domain::ValidBook book,
                                          std::optional<std::string> cover) const;
  // Writes the fields `changes` sends (and the cover when one is sent);
  // kStockChanged (nothing written) when the stock is no longer
  // `changes.expectedStock`.
  drogon::Task<Outcome<db::Book>> edit(int64_t userId, int64_t bookId, domain::BookChanges changes,
                                       std::optional<std::string> cover) const;
  drogon::Task<Outcome<db::Book>> replaceCover(int64_t userId, int64_t bookId,
                                               std::string cover) const;

  enum class Removal { kDeleted, kArchived };
  // A book with purchases is archived (kept, with its cover, for their
  // history); any other is deleted with its cover.
  drogon::Task<Outcome<Removal>> remove(int64_t userId, int64_t bookId) const;

  // The seller's books on sale, newest first.
  drogon::Task<std::vector<db::Book>> booksOf(int64_t sellerId) const;

 private:
  // Checks an upload (size, type, and whether it fits the seller's cover
  // quota in place of `replacedBytes`) and stores it as a new cover file;
  // answers its name (kStorageFull when the folder has no room).
  drogon::Task<Outcome<std::string>> storeCover(int64_t sellerId, int64_t replacedBytes,
                                                std::string bytes) const;
  // Points the book at `fileName` within the seller's cover quota and
  // removes the file it replaced; a refusal or a failure removes `fileName`.
  drogon::Task<Status> attachCover(int64_t bookId, std::string fileName, int64_t bytes) const;
  // The refusal of a guarded write that was not done.
  Error quotaRefusal(const db::GuardedWrite& write) const;
  drogon::Task<void> deleteCoverFile(std::string fileName) const;
  // The book as stored now (kBookNotFound when it went away meanwhile).
  drogon::Task<Outcome<db::Book>> reread(int64_t bookId) const;

  const db::BookRepository& books_;
  const storage::CoverStore& covers_;
  int64_t maxCoverBytes_;
  bool originalCompatible_;
  domain::SellerQuotas quotas_;
};

}  // namespace bookstore::services
