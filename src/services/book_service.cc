#include "services/book_service.h"

#include <trantor/utils/Logger.h>

#include <exception>

#include "domain/image_type.h"
#include "ops/blocking.h"

namespace bookstore::services {

Status BookService::coverSizeAllowed(size_t bytes) const {
  if (static_cast<int64_t>(bytes) > maxCoverBytes_) {
    return Error{Problem::kCoverTooLarge, {}, 0, maxCoverBytes_};
  }
  return done();
}

drogon::Task<Outcome<db::Book>> BookService::ownedBook(int64_t userId, int64_t bookId) const {
  auto book = co_await books_.find(bookId);
  if (!book || book->archived) co_return refuse(Problem::kBookNotFound);
  if (book->sellerId != userId) co_return refuse(Problem::kNotSeller);
  co_return std::move(*book);
}

drogon::Task<Outcome<db::Book>> BookService::publish(int64_t sellerId, domain::ValidBook book,
                                                     std::optional<std::string> cover) const {
  std::string coverFile;
  int64_t coverBytes = 0;
  if (cover) {
    coverBytes = static_cast<int64_t>(cover->size());
    auto stored = co_await storeCover(sellerId, 0, std::move(*cover));
    if (!stored) co_return stored.error();
    coverFile = std::move(stored.value());
  }
  // The book and its cover in one guarded write: counted against both
  // quotas, written together or not at all.
  std::exception_ptr failure;
  db::GuardedWrite created;
  try {
    created = co_await books_.createWithinQuota(sellerId, book, coverFile, coverBytes, quotas_);
  } catch (...) {
    failure = std::current_exception();
  }
  // No row points at the new file: it would be an orphan.
  if ((failure || created.outcome != db::QuotaOutcome::kDone) && !coverFile.empty()) {
    co_await deleteCoverFile(coverFile);
  }
  if (failure) std::rethrow_exception(failure);
  if (created.outcome != db::QuotaOutcome::kDone) co_return quotaRefusal(created);
  co_return co_await reread(created.bookId);
}

drogon::Task<Outcome<db::Book>> BookService::edit(int64_t userId, int64_t bookId,
                                                  domain::BookChanges changes,
                                                  std::optional<std::string> cover) const {
  auto owned = co_await ownedBook(userId, bookId);
  if (!owned) co_return owned.error();
  std::string coverFile;
  int64_t coverBytes = 0;
  if (cover) {
    coverBytes = static_cast<int64_t>(cover->size());
    auto stored = co_await storeCover(userId, owned->coverBytes, std::move(*cover));
    if (!stored) co_return stored.error();
    coverFile = std::move(stored.value());
  }
  std::exception_ptr failure;
  db::UpdateResult updated{db::UpdateOutcome::kUpdated, 0};
  try {
    updated = co_await books_.update(bookId, changes);
  } catch (...) {
    failure = std::current_exception();
  }
  if ((failure || updated.outcome != db::UpdateOutcome::kUpdated) && !coverFile.empty()) {
    co_await deleteCoverFile(coverFile);
  }
  if (failure) std::rethrow_exception(failure);
  if (updated.outcome == db::UpdateOutcome::kNotFound) co_return refuse(Problem::kBookNotFound);
  if (updated.outcome == db::UpdateOutcome::kStockChanged) {
    co_return Error{Problem::kStockChanged, {}, updated.currentStock, 0};
  }
  if (!coverFile.empty()) {
    // Refused only when other covers of the seller were stored meanwhile
    // (the early check in storeCover passed): the fields stay saved.
    auto attached = co_await attachCover(bookId, coverFile, coverBytes);
    if (!attached) co_return attached.error();
  }
  co_return co_await reread(bookId);
}

drogon::Task<Outcome<db::Book>> BookService::replaceCover(int64_t userId, int64_t bookId,
                                                          std::string cover) const {
  auto owned = co_await ownedBook(userId, bookId);
  if (!owned) co_return owned.error();
  const auto bytes = static_cast<int64_t>(cover.size());
  auto stored = co_await storeCover(userId, owned->coverBytes, std::move(cover));
  if (!stored) co_return stored.error();
  auto attached = co_await attachCover(bookId, stored.value(), bytes);
  if (!attached) co_return attached.error();
  co_return co_await reread(bookId);
}

drogon::Task<Outcome<BookService::Removal>> BookService::remove(int64_t userId,
                                                                int64_t bookId) const {
  auto owned = co_await ownedBook(userId, bookId);
  if (!owned) co_return owned.error();
  const auto removed = co_await books_.remove(bookId, originalCompatible_);
  switch (removed) {
    case db::DeleteOutcome::kNotFound:
      co_return refuse(Problem::kBookNotFound);
    case db::DeleteOutcome::kArchived:
      co_return Removal::kArchived;
    case db::DeleteOutcome::kDeleted:
      break;
  }
  if (!owned->coverImage.empty()) co_await deleteCoverFile(owned->coverImage);
  co_return Removal::kDeleted;
}

drogon::Task<std::vector<db::Book>> BookService::booksOf(int64_t sellerId) const {
  co_return co_await books_.bySeller(sellerId);
}

drogon::Task<Outcome<std::string>> BookService::storeCover(int64_t sellerId, int64_t replacedBytes,
                                                           std::string bytes) const {
  if (auto allowed = coverSizeAllowed(bytes.size()); !allowed) co_return allowed.error();
  const auto type = domain::detectImageType(bytes);
  if (!type) co_return refuse(Problem::kCoverNotAnImage);
  // Early and cheap: a seller past the quota writes no file at all. The
  // guarded write that points a book at the file decides under concurrency.
  if (quotas_.coverBytes > 0) {
    const auto stored = co_await books_.coverBytesOf(sellerId);
    const auto size = static_cast<int64_t>(bytes.size());
    if (!domain::coverFitsQuota(stored, replacedBytes, size, quotas_.coverBytes)) {
      co_return quotaRefusal(db::GuardedWrite{db::QuotaOutcome::kCoverQuotaFull, 0, 0, {}});
    }
  }
  const auto* store = &covers_;
  auto saving = ops::runBlocking(
      [store, bytes = std::move(bytes), type] { return store->save(bytes, *type); });
  std::string name;
  std::string full;
  try {
    name = co_await saving;
  } catch (const storage::StorageFull& e) {
    full = e.what();  // CoverStore removed its temporary file: nothing stayed
  }
  if (!full.empty()) {
    LOG_WARN << "cover refused, the upload folder is full: " << full;
    co_return refuse(Problem::kStorageFull);
  }
  co_return name;
}

drogon::Task<Status> BookService::attachCover(int64_t bookId, std::string fileName,
                                              int64_t bytes) const {
  std::exception_ptr failure;
  db::GuardedWrite attached;
  try {
    attached = co_await books_.setCoverWithinQuota(bookId, fileName, bytes, quotas_.coverBytes);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure || attached.outcome != db::QuotaOutcome::kDone) {
    co_await deleteCoverFile(fileName);
    if (failure) std::rethrow_exception(failure);
    co_return quotaRefusal(attached);
  }
  if (!attached.replacedCover.empty() && attached.replacedCover != fileName) {
    co_await deleteCoverFile(std::move(attached.replacedCover));
  }
  co_return done();
}

Error BookService::quotaRefusal(const db::GuardedWrite& write) const {
  switch (write.outcome) {
    case db::QuotaOutcome::kTooManyBooks:
      return Error{Problem::kBookQuotaReached, {}, 0, 0, write.retryAfterSeconds,
                   quotas_.booksPerHour};
    case db::QuotaOutcome::kCoverQuotaFull:
      return Error{Problem::kCoverQuotaReached,          {}, 0, quotas_.coverBytes,
                   domain::kCoverQuotaRetryAfterSeconds, 0};
    case db::QuotaOutcome::kNotFound:
    case db::QuotaOutcome::kDone:
      break;
  }
  return refuse(Problem::kBookNotFound);
}

drogon::Task<void> BookService::deleteCoverFile(std::string fileName) const {
  const auto* store = &covers_;
  auto removing = ops::runBlocking([store, fileName = std::move(fileName)] {
    store->remove(fileName);
    return true;
  });
  co_await removing;
}

drogon::Task<Outcome<db::Book>> BookService::reread(int64_t bookId) const {
  auto book = co_await books_.find(bookId);
  if (!book) co_return refuse(Problem::kBookNotFound);
  co_return std::move(*book);
}

}  // namespace bookstore::services
