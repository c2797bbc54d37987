#include "services/book_service.h"

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
  domain::BookChanges none;
  co_return co_await write(sellerId, 0, std::move(book), std::move(none), std::move(cover));
}

drogon::Task<Outcome<db::Book>> BookService::edit(int64_t userId, int64_t bookId,
                                                  domain::BookChanges changes,
                                                  std::optional<std::string> cover) const {
  auto owned = co_await ownedBook(userId, bookId);
  if (!owned) co_return owned.error();
  domain::ValidBook unused;
  co_return co_await write(userId, bookId, std::move(unused), std::move(changes), std::move(cover));
}

drogon::Task<Outcome<db::Book>> BookService::write(int64_t sellerId, int64_t bookId,
                                                   domain::ValidBook book,
                                                   domain::BookChanges changes,
                                                   std::optional<std::string> cover) const {
  std::string coverFile;
  if (cover) {
    auto stored = co_await storeCover(std::move(*cover));
    if (!stored) co_return stored.error();
    coverFile = std::move(stored.value());
  }
  std::exception_ptr failure;
  db::UpdateResult updated{db::UpdateOutcome::kUpdated, 0};
  try {
    if (bookId == 0) {
      bookId = co_await books_.create(sellerId, book);
    } else {
      updated = co_await books_.update(bookId, changes);
    }
    if (updated.outcome == db::UpdateOutcome::kUpdated && !coverFile.empty()) {
      co_await attachCover(bookId, coverFile);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  // No row points at the new file: it would be an orphan.
  if ((failure || updated.outcome != db::UpdateOutcome::kUpdated) && !coverFile.empty()) {
    co_await deleteCoverFile(coverFile);
  }
  if (failure) std::rethrow_exception(failure);
  if (updated.outcome == db::UpdateOutcome::kNotFound) co_return refuse(Problem::kBookNotFound);
  if (updated.outcome == db::UpdateOutcome::kStockChanged) {
    co_return Error{Problem::kStockChanged, {}, updated.currentStock, 0};
  }
  co_return co_await reread(bookId);
}

drogon::Task<Outcome<db::Book>> BookService::replaceCover(int64_t userId, int64_t bookId,
                                                          std::string cover) const {
  auto owned = co_await ownedBook(userId, bookId);
  if (!owned) co_return owned.error();
  auto stored = co_await storeCover(std::move(cover));
  if (!stored) co_return stored.error();
  std::exception_ptr failure;
  try {
    co_await attachCover(bookId, stored.value());
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    co_await deleteCoverFile(stored.value());
    std::rethrow_exception(failure);
  }
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

drogon::Task<Outcome<std::string>> BookService::storeCover(std::string bytes) const {
  if (auto allowed = coverSizeAllowed(bytes.size()); !allowed) co_return allowed.error();
  const auto type = domain::detectImageType(bytes);
  if (!type) co_return refuse(Problem::kCoverNotAnImage);
  const auto* store = &covers_;
  auto saving = ops::runBlocking(
      [store, bytes = std::move(bytes), type] { return store->save(bytes, *type); });
  co_return co_await saving;
}

drogon::Task<void> BookService::attachCover(int64_t bookId, std::string fileName) const {
  auto replaced = co_await books_.setCover(bookId, fileName);
  if (!replaced.empty() && replaced != fileName) co_await deleteCoverFile(std::move(replaced));
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
