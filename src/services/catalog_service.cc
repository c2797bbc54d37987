#include "services/catalog_service.h"

#include <algorithm>
#include <optional>
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

// The anchor of a position past the end of the listing: no book has id 0,
// so a page read from it is empty.
constexpr int64_t kPastTheEnd = 0;

size_t entryBytes(const int64_t& value) {
  return sizeof(value);
}
size_t entryBytes(const std::vector<int64_t>& ids) {
  return sizeof(ids) + ids.size() * sizeof(int64_t);
}
size_t entryBytes(const CatalogService::AnchorRun& run) {
  return sizeof(run) + run.ids.capacity() * sizeof(int64_t);
}

// The words a catalog query searches for (none: the whole listing), or
// nullopt when it can match nothing (not UTF-8, too long, no words).
std::optional<std::vector<std::string>> searchWordsOf(const std::string& query) {
  if (query.empty()) return std::vector<std::string>{};
  if (query.size() > CatalogService::kMaxQueryBytes || !domain::isValidUtf8(query)) {
    return std::nullopt;
  }
  auto words = domain::searchWords(query);
  if (words.empty()) return std::nullopt;
  return words;
}

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
  // when a listing change was applied meanwhile (a few times at most). The
  // total and ids are separate entries, each either read at the state of
  // the listing its generation saw (listingEntry) or stale; past a few
  // attempts (the listing changing faster than the log is read), the total
  // and ids are read together in one transaction instead.
  page = std::clamp<int64_t>(page, 1, kMaxPage);
  perPage = std::clamp<int64_t>(perPage, 1, 1000);
  const auto words = searchWordsOf(query);
  if (!words) {
    CatalogPage none;
    none.generation = cache_->generation();
    co_return none;
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto out = co_await pageOnce(*words, page, perPage);
    if (!cache_->listingChangedAfter(out.generation)) co_return out;
  }
  co_return co_await pageInOneRead(*words, page, perPage);
}

template <typename T, typename Read>
drogon::Task<std::shared_ptr<const T>> CatalogService::listingEntry(std::string key,
                                                                    uint64_t generation,
                                                                    Read read) const {
  if (auto cached = cache_->find<T>(key)) co_return cached;
  // One read at a time per key (single_flight.h); the others take its entry.
  SingleFlight::Turn turn(flights_, key);
  const bool lead = co_await turn;
  if (!lead) {
    if (auto cached = cache_->find<T>(key)) co_return cached;
  }
  auto value = std::make_shared<const T>(co_await read());
  // The database may be ahead of the log this cache has applied: a listing
  // change committed before the read and not applied yet would leave the
  // entry newer than its generation, and another request could show it
  // with an older total. Stored once every change committed before is
  // applied: then either none touched the listing since `generation` (the
  // entry is that state) or one did (the store refuses it, and page()
  // reads again).
  auto caughtUp = cache_->caughtUp();
  co_await caughtUp;
  cache_->store<T>(key, value, entryBytes(*value), generation, CatalogCache::Depends{true, {}});
  co_return value;
}

drogon::Task<std::vector<int64_t>> CatalogService::readIds(std::vector<std::string> words,
                                                           int64_t atOrBelow, int64_t skip,
                                                           int64_t limit) const {
  if (words.empty()) co_return co_await books_.listedIds(atOrBelow, skip, limit);
  co_return co_await books_.matchingIds(std::move(words), atOrBelow, skip, limit);
}

drogon::Task<int64_t> CatalogService::anchor(std::vector<std::string> words, std::string normalized,
                                             int64_t index, uint64_t generation) const {
  if (index == 0) co_return db::BookRepository::kNoAnchor;
  const auto key = "anchors:" + normalized;
  const auto at = [index](const AnchorRun& run) -> std::optional<int64_t> {
    if (index <= static_cast<int64_t>(run.ids.size())) return run.ids[index - 1];
    if (run.complete) return kPastTheEnd;
    return std::nullopt;
  };
  // The run is extended by one request at a time (the others wait, then
  // take it or extend it further): concurrent deep pages never walk the
  // same stretch of the index twice.
  for (;;) {
    if (auto run = cache_->find<AnchorRun>(key)) {
      if (auto id = at(*run)) co_return *id;
    }
    SingleFlight::Turn turn(flights_, key);
    const bool lead = co_await turn;
    if (!lead) continue;
    auto known = cache_->find<AnchorRun>(key);
    AnchorRun run = known ? *known : AnchorRun{};
    if (auto id = at(run)) co_return *id;
    const int64_t have = static_cast<int64_t>(run.ids.size());
    const int64_t count = index - have + anchorsAhead_;
    const int64_t from = run.ids.empty() ? db::BookRepository::kNoAnchor : run.ids.back();
    const auto more = co_await books_.anchors(words, from, anchorEvery_, count);
    run.complete = static_cast<int64_t>(more.size()) < count;
    run.ids.insert(run.ids.end(), more.begin(), more.end());
    const auto id = at(run);
    auto value = std::make_shared<const AnchorRun>(std::move(run));
    cache_->store<AnchorRun>(key, value, entryBytes(*value), generation,
                             CatalogCache::Depends{true, {}});
    co_return id.value_or(kPastTheEnd);
  }
}

drogon::Task<CatalogPage> CatalogService::pageOnce(std::vector<std::string> words, int64_t page,
                                                   int64_t perPage) const {
  CatalogPage out;
  out.generation = cache_->generation();
  // Queries with the same words share their entries.
  std::string normalized;
  for (const auto& word : words) normalized += word + " ";

  // The total, counted once per listing change (the count reads the whole
  // listing's index: a page read never does).
  const auto totalKey = "total:" + normalized;
  const auto total =
      co_await listingEntry<int64_t>(totalKey, out.generation, [&]() -> drogon::Task<int64_t> {
        if (words.empty()) co_return co_await books_.countListed();
        co_return co_await books_.countMatching(words);
      });
  out.page.total = *total;
  const int64_t offset = (page - 1) * perPage;
  if (offset >= out.page.total) co_return out;  // past the end

  const auto idsKey =
      "ids:" + std::to_string(perPage) + ":" + std::to_string(page) + ":" + normalized;
  bool idsReadNow = false;
  const auto ids = co_await listingEntry<std::vector<int64_t>>(
      idsKey, out.generation, [&]() -> drogon::Task<std::vector<int64_t>> {
        idsReadNow = true;
        const int64_t index = offset / anchorEvery_;
        const int64_t atOrBelow = co_await anchor(words, normalized, index, out.generation);
        co_return co_await readIds(words, atOrBelow, offset - index * anchorEvery_, perPage);
      });
  co_await showBooks(*ids, idsReadNow, &out);
  co_return out;
}

drogon::Task<CatalogPage> CatalogService::pageInOneRead(std::vector<std::string> words,
                                                        int64_t page, int64_t perPage) const {
  CatalogPage out;
  out.generation = cache_->generation();
  auto read = co_await books_.idsAndTotal(std::move(words), (page - 1) * perPage, perPage);
  out.page.total = read.total;
  co_await showBooks(read.items, true, &out);
  co_return out;
}

drogon::Task<void> CatalogService::showBooks(std::vector<int64_t> ids, bool idsReadNow,
                                             CatalogPage* out) const {
  // The page's books from the cache, the others by key; all by key when the
  // ids were just read, so a page read from the database shows one state
  // of it (a cached book may be older, until the change log says so).
  std::unordered_map<int64_t, std::shared_ptr<const db::Book>> known;
  std::vector<int64_t> missing;
  for (const auto id : ids) {
    if (idsReadNow) {
      missing.push_back(id);
    } else if (auto book = cache_->find<db::Book>(bookKey(id))) {
      known.emplace(id, std::move(book));
    } else {
      missing.push_back(id);
    }
  }
  if (!missing.empty()) {
    auto read = co_await books_.findMany(missing);
    for (auto& book : read) {
      keepBook(book, out->generation);
      const auto id = book.id;
      known.emplace(id, std::make_shared<const db::Book>(std::move(book)));
    }
  }
  for (const auto id : ids) {
    // A book deleted since the list was read is left out (the listing
    // change that removes it from the list is on its way).
    auto it = known.find(id);
    if (it == known.end()) continue;
    out->ids.push_back(id);
    out->page.items.push_back(*it->second);
  }
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
