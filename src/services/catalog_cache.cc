#include "services/catalog_cache.h"

#include <algorithm>

#include "domain/search_text.h"

namespace bookstore::services {

CatalogSnapshot::CatalogSnapshot(std::vector<db::Book> books) : books_(std::move(books)) {
  foldedTitles_.reserve(books_.size());
  foldedAuthors_.reserve(books_.size());
  for (const auto& book : books_) {
    foldedTitles_.push_back(domain::foldForSearch(book.title));
    foldedAuthors_.push_back(domain::foldForSearch(book.author));
  }
}

db::Page<db::Book> CatalogSnapshot::page(std::string_view query, int64_t page,
                                         int64_t perPage) const {
  db::Page<db::Book> out;
  const auto first = static_cast<size_t>(std::max<int64_t>(page - 1, 0) * perPage);
  const auto count = static_cast<size_t>(std::max<int64_t>(perPage, 0));
  if (query.empty()) {
    out.total = static_cast<int64_t>(books_.size());
    for (size_t i = first; i < books_.size() && i < first + count; ++i) {
      out.items.push_back(books_[i]);
    }
    return out;
  }
  const auto needle = domain::foldForSearch(query);
  size_t matched = 0;
  for (size_t i = 0; i < books_.size(); ++i) {
    if (!domain::containsFolded(foldedTitles_[i], needle) &&
        !domain::containsFolded(foldedAuthors_[i], needle)) {
      continue;
    }
    if (matched >= first && matched < first + count) out.items.push_back(books_[i]);
    ++matched;
  }
  out.total = static_cast<int64_t>(matched);
  return out;
}

const db::Book* CatalogSnapshot::find(int64_t id) const {
  // Ids are unique and sorted descending.
  auto it = std::lower_bound(books_.begin(), books_.end(), id,
                             [](const db::Book& book, int64_t wanted) { return book.id > wanted; });
  return it != books_.end() && it->id == id ? &*it : nullptr;
}

std::shared_ptr<const void> CatalogSnapshot::memoFind(const std::string& key) const {
  std::lock_guard lock(memoMutex_);
  auto it = memo_.find(key);
  return it == memo_.end() ? nullptr : it->second;
}

void CatalogSnapshot::memoStore(const std::string& key, std::shared_ptr<const void> value,
                                size_t bytes) const {
  std::lock_guard lock(memoMutex_);
  if (memo_.size() >= kMemoMaxEntries || memoBytes_ + bytes > kMemoMaxBytes) {
    memo_.clear();
    memoBytes_ = 0;
  }
  if (memo_.emplace(key, std::move(value)).second) memoBytes_ += bytes + key.size();
}

SnapshotPtr CatalogCache::freshOrNull() {
  const auto now = Clock::now();
  const auto version = changes_->version();
  SnapshotPtr fresh;
  bool launch = false;
  {
    std::lock_guard lock(mutex_);
    if (!snapshot_ || loadedVersion_ != version || now - loadedAt_ >= kMaxAge) return nullptr;
    if (now - loadedAt_ >= kRefreshAfter && !loading_) {
      beginLoadLocked(now);
      launch = true;
    }
    fresh = snapshot_;
  }
  if (launch) load(shared_from_this());
  return fresh;
}

void CatalogCache::wait(Done done) {
  const auto now = Clock::now();
  const auto version = changes_->version();
  bool launch = false;
  {
    std::lock_guard lock(mutex_);
    waiters_.push_back(Waiter{version, now, std::move(done)});
    if (!loading_) {
      beginLoadLocked(now);
      launch = true;
    }
  }
  if (launch) load(shared_from_this());
}

void CatalogCache::beginLoadLocked(Clock::time_point now) {
  loading_ = true;
  loadStartedAt_ = now;
  // Read before the query starts: a write committed after this point bumps
  // the version again and forces another load.
  loadVersion_ = changes_->version();
}

drogon::AsyncTask CatalogCache::load(std::shared_ptr<CatalogCache> self) {
  std::vector<db::Book> books;
  std::exception_ptr error;
  try {
    books = co_await self->books_.listing();
  } catch (...) {
    error = std::current_exception();
  }
  self->finishLoad(std::move(books), error);
}

void CatalogCache::finishLoad(std::vector<db::Book> books, std::exception_ptr error) {
  std::vector<Waiter> satisfied;
  SnapshotPtr snapshot;
  bool launch = false;
  {
    std::lock_guard lock(mutex_);
    loading_ = false;
    if (error) {
      satisfied.swap(waiters_);
    } else {
      // An unchanged catalog keeps its snapshot and the answers memoised with it.
      if (!snapshot_ || !snapshot_->sameBooks(books)) {
        snapshot_ = std::make_shared<const CatalogSnapshot>(std::move(books));
      }
      loadedAt_ = loadStartedAt_;
      loadedVersion_ = loadVersion_;
      snapshot = snapshot_;
      // A waiter is served by a load that saw its own replica's writes and
      // is young enough; the others wait for the next load.
      std::vector<Waiter> remaining;
      for (auto& waiter : waiters_) {
        const bool fresh =
            loadVersion_ >= waiter.neededVersion && loadStartedAt_ + kMaxAge > waiter.arrivedAt;
        (fresh ? satisfied : remaining).push_back(std::move(waiter));
      }
      waiters_.swap(remaining);
      if (!waiters_.empty()) {
        beginLoadLocked(Clock::now());
        launch = true;
      }
    }
  }
  // Outside the lock: a load may finish synchronously and call back here.
  if (launch) load(shared_from_this());
  for (auto& waiter : satisfied) waiter.done(snapshot, error);
}

}  // namespace bookstore::services
