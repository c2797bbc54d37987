#include "services/catalog_service.h"

#include <algorithm>
#include <unordered_map>

#include "domain/search_text.h"
#include "domain/validation.h"

namespace bookstore::services {
namespace {

constexpr int64_t kMaxPage = 10'000'000;

size_t bookBytes(const db::Book& book) {
  return sizeof(db::Book) + book.title.capacity() + book.author.capacity() +
         book.description.capacity() + book.sellerName.capacity() + book.coverImage.capacity();
}

// A page's book ids and the total read with them.
struct PageIds {
  int64_t total = 0;
  std::vector<int64_t> ids;
};

std::string bookKey(int64_t id) {
  return "book:" + std::to_string(id);
}

}  // namespace

void CatalogService::keepBook(const db::Book& book, uint64_t generation) const {
  auto value = std::make_shared<const db::Book>(book);
  cache_->store<db::Book>(bookKey(book.id), value, bookBytes(book), generation,
                          CatalogCache::Depends{false, {book.id}});
}

drogon::Task<CatalogPage> CatalogService::page(std::string query, int64_t page,
                                               int64_t perPage) const {
  auto wait = cache_->current();
  co_await wait;
  // A page's total and books come from one state of the listing: read again
  // when a listing change was applied meanwhile (a few times at most).
  CatalogPage out;
  for (int attempt = 0; attempt < 3; ++attempt) {
    out = co_await pageOnce(query, page, perPage);
    if (!cache_->listingChangedAfter(out.generation)) break;
  }
  co_return out;
}

drogon::Task<CatalogPage> CatalogService::pageOnce(std::string query, int64_t page,
                                                   int64_t perPage) const {
  CatalogPage out;
  out.generation = cache_->generation();
  page = std::clamp<int64_t>(page, 1, kMaxPage);
  perPage = std::clamp<int64_t>(perPage, 1, 1000);
  std::vector<std::string> words;
  if (!query.empty()) {
    if (query.size() > kMaxQueryBytes || !domain::isValidUtf8(query)) co_return out;
    words = domain::searchWords(query);
    if (words.empty()) co_return out;
  }
  // Queries with the same words share their entries.
  std::string normalized;
  for (const auto& word : words) normalized += word + " ";

  const auto totalKey = "total:" + normalized;
  if (auto cached = cache_->find<int64_t>(totalKey)) {
    out.page.total = *cached;
  } else {
    // One count at a time per query (single_flight.h); the others take its result.
    SingleFlight::Turn turn(flights_, totalKey);
    const bool lead = co_await turn;
    auto counted = lead ? nullptr : cache_->find<int64_t>(totalKey);
    if (counted) {
      out.page.total = *counted;
    } else {
      if (words.empty()) {
        out.page.total = co_await books_.countListed();
      } else {
        out.page.total = co_await books_.countMatching(words);
      }
      auto value = std::make_shared<const int64_t>(out.page.total);
      cache_->store<int64_t>(totalKey, value, sizeof(int64_t), out.generation,
                             CatalogCache::Depends{true, {}});
    }
  }
  const int64_t offset = (page - 1) * perPage;
  if (offset >= out.page.total) co_return out;  // past the end

  // The page's ids with the total read with them (one state of the listing).
  const auto idsKey =
      "ids:" + std::to_string(perPage) + ":" + std::to_string(page) + ":" + normalized;
  auto ids = cache_->find<PageIds>(idsKey);
  // One read at a time per page (single_flight.h); the others take its ids.
  SingleFlight::Turn turn(flights_, idsKey);
  if (!ids) {
    const bool lead = co_await turn;
    if (!lead) ids = cache_->find<PageIds>(idsKey);
  }
  if (!ids) {
    db::Page<db::Book> read;
    if (words.empty()) {
      read = co_await books_.listedPage(offset, perPage);
    } else {
      read = co_await books_.matchingPage(words, offset, perPage);
    }
    PageIds found;
    found.total = read.total;
    found.ids.reserve(read.items.size());
    for (const auto& book : read.items) {
      found.ids.push_back(book.id);
      keepBook(book, out.generation);
    }
    out.ids = found.ids;
    const size_t bytes = sizeof(PageIds) + found.ids.size() * sizeof(int64_t);
    cache_->store<PageIds>(idsKey, std::make_shared<const PageIds>(std::move(found)), bytes,
                           out.generation, CatalogCache::Depends{true, {}});
    auto total = std::make_shared<const int64_t>(read.total);
    cache_->store<int64_t>(totalKey, total, sizeof(int64_t), out.generation,
                           CatalogCache::Depends{true, {}});
    out.page = std::move(read);
    co_return out;
  }
  out.page.total = ids->total;
  // The page's ids are known: its books from the cache, the others by key.
  std::unordered_map<int64_t, std::shared_ptr<const db::Book>> known;
  std::vector<int64_t> missing;
  for (const auto id : ids->ids) {
    if (auto book = cache_->find<db::Book>(bookKey(id))) {
      known.emplace(id, std::move(book));
    } else {
      missing.push_back(id);
    }
  }
  if (!missing.empty()) {
    auto read = co_await books_.findMany(missing);
    for (auto& book : read) {
      keepBook(book, out.generation);
      const auto id = book.id;
      known.emplace(id, std::make_shared<const db::Book>(std::move(book)));
    }
  }
  for (const auto id : ids->ids) {
    // A book deleted since the list was read is left out (the listing
    // change that removes it from the list is on its way).
    auto it = known.find(id);
    if (it == known.end()) continue;
    out.ids.push_back(id);
    out.page.items.push_back(*it->second);
  }
  co_return out;
}

drogon::Task<int64_t> CatalogService::pruneChanges() const {
  constexpr int64_t kBatch = 5000;
  constexpr int kBatches = 4;
  const auto now = std::chrono::system_clock::now();
  const int64_t olderThan =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() -
      CatalogCache::kChangeRetentionSeconds;
  int64_t deleted = 0;
  for (int i = 0; i < kBatches; ++i) {
    const auto batch = co_await books_.pruneChanges(olderThan, kBatch);
    deleted += batch;
    if (batch == 0) break;
  }
  co_return deleted;
}

drogon::Task<Outcome<db::Book>> CatalogService::book(int64_t id, Archived archived) const {
  auto wait = cache_->current();
  co_await wait;
  const auto generation = cache_->generation();
  std::optional<db::Book> found;
  if (auto cached = cache_->find<db::Book>(bookKey(id), CatalogCache::Count::kAnswer)) {
    found = *cached;
  } else {
    found = co_await books_.find(id);
    if (found) keepBook(*found, generation);
  }
  if (!found || (found->archived && archived == Archived::kExcluded)) {
    co_return refuse(Problem::kBookNotFound);
  }
  co_return std::move(*found);
}

}  // namespace bookstore::services
