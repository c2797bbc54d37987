// CatalogService and its CatalogCache against the real book repository on a
// real SQLite database (service_fixture.h, migrations included: the FTS5
// index and the catalog change log): this replica's writes show in its very
// next answer; a purchase drops only its book's entries, not the pages' id
// lists; a listing change drops the lists and totals; the cache stays within
// its bytes and evicts; a change committed late (out of id order) is still
// applied; many readers during writes get complete, never-older pages.
#include <trantor/net/EventLoopThread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "service_fixture.h"

namespace bookstore::test {
namespace {

using namespace std::chrono_literals;
using services::CatalogCache;
using services::CatalogPage;
using services::CatalogService;
using services::Problem;

std::vector<int64_t> idsOf(const std::vector<db::Book>& books) {
  std::vector<int64_t> ids;
  for (const auto& book : books) ids.push_back(book.id);
  return ids;
}

std::vector<std::string> titlesOf(const std::vector<db::Book>& books) {
  std::vector<std::string> titles;
  for (const auto& book : books) titles.push_back(book.title);
  return titles;
}

class ServiceCatalog : public ServiceTest {
 protected:
  CatalogPage page(const std::string& query = "", int64_t number = 1, int64_t perPage = 20) {
    return run(catalog_->page(query, number, perPage));
  }
  const db::Book* find(const CatalogPage& shown, int64_t id) {
    for (const auto& book : shown.page.items) {
      if (book.id == id) return &book;
    }
    return nullptr;
  }
  services::Outcome<db::Book> book(int64_t id, CatalogService::Archived archived) {
    return run(catalog_->book(id, archived));
  }
  // Waits for the change log as an answer would, then looks `key` up.
  bool cached(const std::string& key) {
    run(catalog_->memoFind<std::string>("html:sync"));
    return catalogCache_->find<void>(key) != nullptr;
  }
  std::vector<std::string> titlesFound(const std::string& query) {
    return titlesOf(page(query, 1, 100).page.items);
  }
};

TEST_F(ServiceCatalog, ThisReplicasWritesShowInTheNextAnswer) {
  auto seller = makeUser("sofia");
  auto buyer = makeUser("tomas");
  EXPECT_EQ(page().page.total, 0);
  EXPECT_TRUE(page().page.items.empty());

  auto published = publish(seller, "La sombra del viento", 5, 2100, "Carlos Ruiz Zafón");
  auto afterPublish = page();
  ASSERT_EQ(afterPublish.page.total, 1);
  ASSERT_NE(find(afterPublish, published.id), nullptr);
  EXPECT_EQ(*find(afterPublish, published.id), published);
  EXPECT_EQ(find(afterPublish, published.id)->sellerName, seller.name);

  ASSERT_TRUE(run(purchaseService_->buy(buyer.id, published.id, 2)).ok());
  EXPECT_EQ(find(page(), published.id)->stock, 3);
  EXPECT_EQ(book(published.id, CatalogService::Archived::kExcluded)->stock, 3);

  auto changed =
      domain::allFieldsOf(bookInput("El juego del ángel", 7, 2300, "Carlos Ruiz Zafón"), {});
  std::optional<std::string> noCover;
  ASSERT_TRUE(
      run(bookService_->edit(seller.id, published.id, std::move(changed), std::move(noCover)))
          .ok());
  auto afterEdit = page();
  EXPECT_EQ(find(afterEdit, published.id)->title, "El juego del ángel");
  EXPECT_EQ(find(afterEdit, published.id)->stock, 7);
  EXPECT_EQ(page("ángel").page.total, 1);
  EXPECT_EQ(page("sombra").page.total, 0);

  auto unsold = publish(seller, "Marina");
  ASSERT_EQ(page().page.total, 2);
  ASSERT_TRUE(run(bookService_->remove(seller.id, unsold.id)).ok());
  EXPECT_EQ(page().page.total, 1);
  EXPECT_EQ(find(page(), unsold.id), nullptr);
  EXPECT_EQ(page("marina").page.total, 0);
  auto removed = run(bookService_->remove(seller.id, published.id));
  ASSERT_TRUE(removed.ok());
  ASSERT_EQ(removed.value(), services::BookService::Removal::kArchived);
  EXPECT_EQ(page().page.total, 0);
  EXPECT_EQ(page("ángel").page.total, 0);
}

TEST_F(ServiceCatalog, PagesAreNewestFirstSlices) {
  auto seller = makeUser("paula");
  std::vector<int64_t> ids;
  for (int i = 0; i < 45; ++i) ids.push_back(publish(seller, "Libro " + std::to_string(i)).id);
  std::reverse(ids.begin(), ids.end());
  std::vector<int64_t> walked;
  for (int64_t n = 1; n <= 3; ++n) {
    auto shown = page("", n, 20);
    EXPECT_EQ(shown.page.total, 45);
    for (auto id : idsOf(shown.page.items)) walked.push_back(id);
  }
  EXPECT_EQ(walked, ids);
  // Twice: the second time from the cache, the same.
  EXPECT_EQ(idsOf(page("", 2, 20).page.items),
            std::vector<int64_t>(ids.begin() + 20, ids.begin() + 40));
  EXPECT_TRUE(page("", 4, 20).page.items.empty());
  EXPECT_TRUE(page("", 10'000'000, 100).page.items.empty());
  EXPECT_EQ(page("", 10'000'000, 100).page.total, 45);
}

TEST_F(ServiceCatalog, DeepPagesReadFromAnchorsAreTheSameSlices) {
  auto seller = makeUser("paloma");
  std::vector<int64_t> all;   // newest first
  std::vector<int64_t> odds;  // the books a search finds, newest first
  for (int i = 0; i < 47; ++i) {
    const bool odd = i % 2 == 1;
    const auto id = publish(seller, std::string(odd ? "Impar " : "Par ") + std::to_string(i)).id;
    all.insert(all.begin(), id);
    if (odd) odds.insert(odds.begin(), id);
  }
  // An anchor every 7 positions, pages of 5: pages start on both sides of
  // anchors, and are read in an order that extends the run of anchors from
  // its end (no anchors read ahead) or reads it whole (32 ahead).
  constexpr int64_t kEvery = 7;
  constexpr int64_t kPerPage = 5;
  for (const int64_t ahead : {int64_t{0}, int64_t{32}}) {
    SCOPED_TRACE("anchors read ahead: " + std::to_string(ahead));
    auto cache = std::make_shared<CatalogCache>(books_, catalogChanges_, 1 << 20);
    CatalogService service(books_, cache, kEvery, ahead);
    auto expectSlices = [&](const std::string& query, const std::vector<int64_t>& expected) {
      const auto pages = static_cast<int64_t>((expected.size() + kPerPage - 1) / kPerPage);
      for (const int64_t n : {pages, int64_t{4}, int64_t{1}, pages - 1, int64_t{6}, int64_t{2},
                              int64_t{3}, int64_t{5}, int64_t{7}, pages}) {
        if (n < 1 || n > pages) continue;
        const auto first = expected.begin() + (n - 1) * kPerPage;
        const auto last = expected.begin() + std::min<int64_t>(n * kPerPage, expected.size());
        const auto shown = run(service.page(query, n, kPerPage));
        EXPECT_EQ(idsOf(shown.page.items), std::vector<int64_t>(first, last))
            << "query '" << query << "' page " << n;
        EXPECT_EQ(shown.page.total, static_cast<int64_t>(expected.size()));
      }
      EXPECT_TRUE(run(service.page(query, pages + 1, kPerPage)).page.items.empty());
    };
    // The run kept for a listing: the id at every 7th position, in order.
    auto expectRun = [&](const std::string& key, const std::vector<int64_t>& expected) {
      const auto anchors = cache->find<CatalogService::AnchorRun>(key);
      ASSERT_NE(anchors, nullptr) << key;
      ASSERT_FALSE(anchors->ids.empty()) << key;
      for (size_t i = 0; i < anchors->ids.size(); ++i) {
        ASSERT_LT((i + 1) * kEvery, expected.size());
        EXPECT_EQ(anchors->ids[i], expected[(i + 1) * kEvery]) << key << " anchor " << i + 1;
      }
    };
    expectSlices("", all);
    expectSlices("impar", odds);
    expectRun("anchors:", all);
    expectRun("anchors:impar ", odds);
    // A listing change moves every position: anchors go, and pages shift.
    const auto added = publish(seller, "Impar nuevo " + std::to_string(ahead)).id;
    all.insert(all.begin(), added);
    odds.insert(odds.begin(), added);
    run(service.memoFind<std::string>("html:sync"));
    EXPECT_EQ(cache->find<void>("anchors:"), nullptr);
    expectSlices("", all);
    expectSlices("impar", odds);
    expectRun("anchors:", all);
    // An archived book leaves every page it was on.
    ASSERT_TRUE(run(bookService_->remove(seller.id, all[20])).ok());
    std::erase(odds, all[20]);
    all.erase(all.begin() + 20);
    expectSlices("", all);
    expectRun("anchors:", all);
  }
}

TEST_F(ServiceCatalog, SearchFindsWordsAndPrefixesIgnoringCaseAndAccents) {
  auto seller = makeUser("rita");
  publish(seller, "Cien años de soledad", 5, 1000, "Gabriel García Márquez");
  publish(seller, "Rayuela", 5, 1000, "Julio Cortázar");
  publish(seller, "100% cotidiano", 5, 1000, "Anónimo");
  publish(seller, "El amor en los tiempos del cólera", 5, 1000, "Gabriel García Márquez");
  using Titles = std::vector<std::string>;
  const Titles marquez{"El amor en los tiempos del cólera", "Cien años de soledad"};
  EXPECT_EQ(titlesFound("marq"), marquez);  // a prefix, newest first
  EXPECT_EQ(titlesFound("MÁRQUEZ"), marquez);
  EXPECT_EQ(titlesFound("garcia marquez"), marquez);
  EXPECT_EQ(titlesFound("anos soledad"), Titles{"Cien años de soledad"});
  EXPECT_EQ(titlesFound("cortazar"), Titles{"Rayuela"});
  EXPECT_EQ(titlesFound("100"), Titles{"100% cotidiano"});
  EXPECT_EQ(titlesFound("cien marquez"), Titles{"Cien años de soledad"});  // title and author
  // Whole words and beginnings only: not inside a word.
  EXPECT_TRUE(titlesFound("arque").empty());
  EXPECT_TRUE(titlesFound("ayuela").empty());
  EXPECT_TRUE(titlesFound("rayuela cien").empty());
  // No words, too long, not UTF-8: nothing, and no error.
  for (const std::string odd : {"%", "\"", "*", "-", "NEAR(", "\" OR 1=1 --", "a\xFF"}) {
    EXPECT_NO_THROW(page(odd)) << odd;
  }
  EXPECT_EQ(page("%").page.total, 0);
  EXPECT_EQ(page(std::string(10'000, 'a')).page.total, 0);
  EXPECT_EQ(titlesFound("\"rayuela\""), Titles{"Rayuela"});
  EXPECT_EQ(titlesFound("-rayuela"), Titles{"Rayuela"});
}

TEST_F(ServiceCatalog, APurchaseDropsOnlyItsBook) {
  auto seller = makeUser("ursula");
  auto buyer = makeUser("valeria");
  std::vector<db::Book> books;
  for (int i = 0; i < 25; ++i) books.push_back(publish(seller, "Tomo " + std::to_string(i)));
  page("", 1, 20);
  page("", 2, 20);
  page("tomo", 1, 20);
  ASSERT_TRUE(cached("ids:20:1:"));
  ASSERT_TRUE(cached("ids:20:2:"));
  ASSERT_TRUE(cached("ids:20:1:tomo "));
  const auto other = books[23].id;
  ASSERT_NE(catalogCache_->find<db::Book>("book:" + std::to_string(other)), nullptr);

  const auto bought = books[24].id;  // the newest: on page 1
  ASSERT_TRUE(run(purchaseService_->buy(buyer.id, bought, 2)).ok());
  auto shown = page("", 1, 20);
  EXPECT_EQ(find(shown, bought)->stock, 3);
  // The lists and the other books stay; only the bought book was read again.
  EXPECT_TRUE(cached("ids:20:1:"));
  EXPECT_TRUE(cached("ids:20:2:"));
  EXPECT_TRUE(cached("ids:20:1:tomo "));
  EXPECT_NE(catalogCache_->find<db::Book>("book:" + std::to_string(other)), nullptr);

  // A rendered answer showing the bought book is dropped; one not showing it stays.
  auto first = page("", 1, 20);
  auto second = page("", 2, 20);
  catalog_->memoStore<std::string>("json:first", first, std::string("first"));
  catalog_->memoStore<std::string>("json:second", second, std::string("second"));
  ASSERT_TRUE(run(purchaseService_->buy(buyer.id, bought, 1)).ok());
  EXPECT_EQ(run(catalog_->memoFind<std::string>("json:first")), nullptr);
  auto kept = run(catalog_->memoFind<std::string>("json:second"));
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(*kept, "second");
  EXPECT_EQ(find(page("", 1, 20), bought)->stock, 2);
}

TEST_F(ServiceCatalog, AListingChangeDropsListsAndTotals) {
  auto seller = makeUser("walter");
  for (int i = 0; i < 3; ++i) publish(seller, "Antiguo " + std::to_string(i));
  auto before = page();
  catalog_->memoStore<std::string>("json:all", before, std::string("all"));
  ASSERT_TRUE(cached("ids:20:1:"));
  auto added = publish(seller, "Nuevo");
  EXPECT_FALSE(cached("ids:20:1:"));
  EXPECT_EQ(run(catalog_->memoFind<std::string>("json:all")), nullptr);
  auto after = page();
  EXPECT_EQ(after.page.total, 4);
  EXPECT_EQ(after.page.items.front().id, added.id);
  // A retitle changes what searches find.
  EXPECT_EQ(page("nuevo").page.total, 1);
  domain::BookChanges retitle;
  retitle.title = "Renombrado";
  ASSERT_EQ(run(books_.update(added.id, retitle)).outcome, db::UpdateOutcome::kUpdated);
  EXPECT_EQ(page("nuevo").page.total, 0);
  EXPECT_EQ(page("renombrado").page.total, 1);
}

TEST_F(ServiceCatalog, TheCacheStaysWithinItsBytesAndEvicts) {
  auto seller = makeUser("ximena");
  std::vector<int64_t> ids;
  for (int i = 0; i < 60; ++i) ids.push_back(publish(seller, "Libro " + std::to_string(i)).id);
  std::reverse(ids.begin(), ids.end());
  // A small cache of its own on the same repository.
  constexpr size_t kBytes = 16 * 1024;
  auto small = std::make_shared<CatalogCache>(books_, catalogChanges_, kBytes);
  CatalogService service(books_, small);
  for (int round = 0; round < 3; ++round) {
    for (int64_t n = 1; n <= 60; ++n) {
      auto shown = run(service.page("", n, 1));
      ASSERT_EQ(shown.page.items.size(), 1u);
      EXPECT_EQ(shown.page.items[0].id, ids[static_cast<size_t>(n - 1)]);
      EXPECT_LE(small->stats().bytes, kBytes);
    }
  }
  const auto stats = small->stats();
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_GT(stats.entries, 0u);
  EXPECT_LE(stats.bytes, kBytes);
  // Least recently used first: what was just read is still there.
  EXPECT_NE(small->find<void>("ids:1:60:"), nullptr);
  EXPECT_EQ(small->find<void>("ids:1:1:"), nullptr);
  // A value larger than the whole bound is not kept.
  auto shown = run(service.page("", 1, 1));
  service.memoStore<std::string>("html:huge", shown, std::string(kBytes * 2, 'x'));
  EXPECT_EQ(small->find<std::string>("html:huge"), nullptr);
  EXPECT_LE(small->stats().bytes, kBytes);
}

TEST_F(ServiceCatalog, AnotherReplicasChangeShowsWithinMaxAge) {
  auto seller = makeUser("yago");
  auto buyer = makeUser("zoe");
  auto local = publish(seller, "Local", 9);
  ASSERT_EQ(find(page(), local.id)->stock, 9);
  // Another replica: its own repositories and change counter on the same database.
  auto otherChanges = std::make_shared<db::CatalogChanges>();
  db::PurchaseRepository otherPurchases(db_, otherChanges);
  db::BookRepository otherBooks(db_, otherChanges);
  ASSERT_EQ(run(otherPurchases.buy(buyer.id, local.id, 4)).outcome, db::BuyOutcome::kCreated);
  auto input = bookInput("Remoto");
  const auto remote = run(otherBooks.create(seller.id, std::move(input)));
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    auto shown = page();
    if (shown.page.total == 2 && find(shown, local.id)->stock == 5) {
      EXPECT_EQ(shown.page.items.front().id, remote);
      break;
    }
    ASSERT_LT(std::chrono::steady_clock::now() - start, CatalogCache::kMaxAge + 500ms);
    std::this_thread::sleep_for(20ms);
  }
  auto found = book(remote, CatalogService::Archived::kExcluded);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->title, "Remoto");
}

// MariaDB can commit change-log rows out of id order: a row whose id is below
// ones already read appears later. It must still be applied.
TEST_F(ServiceCatalog, AChangeCommittedOutOfIdOrderIsStillApplied) {
  auto seller = makeUser("abel");
  auto a = publish(seller, "Primero", 3);
  auto b = publish(seller, "Segundo", 3);
  ASSERT_EQ(find(page(), a.id)->stock, 3);
  // Behind the repositories' back (as another replica whose transaction
  // took id N+1 but commits after N+2): leave a gap, then fill it.
  const int64_t top = run(books_.latestChange());
  admin_->execSqlSync("UPDATE book SET stock = 8 WHERE id = ?", b.id);
  admin_->execSqlSync(
      "INSERT INTO catalog_change (id, book_id, listing, created_at) "
      "VALUES (?, ?, 0, 0)",
      top + 2, b.id);
  catalogChanges_->record();  // as if this replica wrote: poll now
  EXPECT_EQ(find(page(), b.id)->stock, 8);
  admin_->execSqlSync("UPDATE book SET stock = 7 WHERE id = ?", a.id);
  admin_->execSqlSync(
      "INSERT INTO catalog_change (id, book_id, listing, created_at) "
      "VALUES (?, ?, 0, 0)",
      top + 1, a.id);
  catalogChanges_->record();
  EXPECT_EQ(find(page(), a.id)->stock, 7);
}

TEST_F(ServiceCatalog, AGapBelowManyBatchesIsGivenUp) {
  auto seller = makeUser("bruno");
  auto a = publish(seller, "Cuarto", 3);
  ASSERT_EQ(find(page(), a.id)->stock, 3);
  const int64_t top = run(books_.latestChange());
  // One id never committed, then 2.5 poll batches of changes above it.
  const int64_t above = CatalogCache::kPollBatch * 5 / 2;
  for (int64_t i = 0; i < above; ++i) {
    admin_->execSqlSync(
        "INSERT INTO catalog_change (id, book_id, listing, created_at) VALUES (?, ?, 0, 0)",
        top + 2 + i, a.id);
  }
  catalogChanges_->record();
  page();
  EXPECT_EQ(catalogCache_->stats().aboveGap, static_cast<size_t>(above));
  EXPECT_EQ(catalogCache_->stats().horizon, top);
  std::this_thread::sleep_for(CatalogCache::kGapPatience + 300ms);
  catalogChanges_->record();
  page();
  EXPECT_EQ(catalogCache_->stats().aboveGap, 0u);
  EXPECT_EQ(catalogCache_->stats().horizon, top + 1 + above);
  EXPECT_EQ(catalogCache_->stats().dropsAll, 1u);
}

// A replica that has not read the log for a while meets gaps left long ago:
// written a minute before (by the writers' clock), they are given up at once.
TEST_F(ServiceCatalog, AGapBelowRowsWrittenLongAgoIsGivenUpAtOnce) {
  auto seller = makeUser("bea");
  auto a = publish(seller, "Quinto", 3);
  ASSERT_EQ(find(page(), a.id)->stock, 3);
  const int64_t top = run(books_.latestChange());
  const auto minuteAgo =
      std::chrono::duration_cast<std::chrono::seconds>(
          (std::chrono::system_clock::now() - std::chrono::minutes(1)).time_since_epoch())
          .count();
  admin_->execSqlSync("UPDATE book SET stock = 9 WHERE id = ?", a.id);
  for (int64_t id : {top + 2, top + 4}) {
    admin_->execSqlSync(
        "INSERT INTO catalog_change (id, book_id, listing, created_at) VALUES (?, ?, 0, ?)", id,
        a.id, minuteAgo);
  }
  catalogChanges_->record();
  EXPECT_EQ(find(page(), a.id)->stock, 9);
  EXPECT_EQ(catalogCache_->stats().aboveGap, 0u);
  EXPECT_EQ(catalogCache_->stats().horizon, top + 4);
  EXPECT_EQ(catalogCache_->stats().dropsAll, 1u);
}

TEST_F(ServiceCatalog, PruningDeletesOnlyRowsPastTheRetention) {
  auto seller = makeUser("carmen");
  auto a = publish(seller, "Sexto", 3);  // a recent row
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const int64_t top = run(books_.latestChange());
  // Nothing old: nothing goes.
  EXPECT_EQ(run(catalog_->pruneChanges()), 0);
  admin_->execSqlSync("DELETE FROM catalog_change");
  const int64_t old = now - CatalogCache::kChangeRetentionSeconds - 60;
  for (int64_t i = 1; i <= 30; ++i) {
    admin_->execSqlSync(
        "INSERT INTO catalog_change (id, book_id, listing, created_at) VALUES (?, ?, 0, ?)",
        top + i, a.id, i <= 20 ? old : now);
  }
  EXPECT_EQ(run(catalog_->pruneChanges()), 20);
  EXPECT_EQ(run(catalog_->pruneChanges()), 0);
  EXPECT_EQ(run(books_.changesAfter(0, 100)).size(), 10u);
}

TEST_F(ServiceCatalog, GapsSeenTogetherAreGivenUpTogether) {
  auto seller = makeUser("berta");
  auto a = publish(seller, "Tercero", 3);
  ASSERT_EQ(find(page(), a.id)->stock, 3);
  // Three ids that never commit (writers killed mid-commit), each below a
  // committed change.
  const int64_t top = run(books_.latestChange());
  for (int64_t i = 1; i <= 3; ++i) {
    admin_->execSqlSync("UPDATE book SET stock = ? WHERE id = ?", 10 + i, a.id);
    admin_->execSqlSync(
        "INSERT INTO catalog_change (id, book_id, listing, created_at) VALUES (?, ?, 0, 0)",
        top + 2 * i, a.id);
  }
  catalogChanges_->record();
  EXPECT_EQ(find(page(), a.id)->stock, 13);  // changes above a gap apply at once
  EXPECT_EQ(catalogCache_->stats().dropsAll, 0u);
  std::this_thread::sleep_for(CatalogCache::kGapPatience + 300ms);
  catalogChanges_->record();
  EXPECT_EQ(find(page(), a.id)->stock, 13);
  // One patience and one drop for the three.
  EXPECT_EQ(catalogCache_->stats().dropsAll, 1u);
  // Past them: the next change is taken at once, with no more drops.
  admin_->execSqlSync("UPDATE book SET stock = 20 WHERE id = ?", a.id);
  admin_->execSqlSync(
      "INSERT INTO catalog_change (id, book_id, listing, created_at) VALUES (?, ?, 0, 0)", top + 7,
      a.id);
  catalogChanges_->record();
  EXPECT_EQ(find(page(), a.id)->stock, 20);
  EXPECT_EQ(catalogCache_->stats().aboveGap, 0u);
  EXPECT_EQ(catalogCache_->stats().horizon, top + 7);
  // No gap is left waiting: another patience later, still the one drop.
  std::this_thread::sleep_for(CatalogCache::kGapPatience + 300ms);
  catalogChanges_->record();
  EXPECT_EQ(find(page(), a.id)->stock, 20);
  EXPECT_EQ(catalogCache_->stats().dropsAll, 1u);
}

// ORIGINAL_COMPATIBLE: the original application shares the database during a
// cut-over and logs nothing. Its writes show within kMaxAge all the same; the
// control (the default) keeps the entry until a logged change.
TEST_F(ServiceCatalog, UnloggedWritesShowWithinMaxAgeOnlyWithForeignWriters) {
  auto seller = makeUser("olga");
  auto listed = publish(seller, "Compartido", 9);
  auto foreign = std::make_shared<CatalogCache>(books_, catalogChanges_, kCatalogCacheBytes,
                                                CatalogCache::Writers::kForeignWriters);
  auto onlyLogged = std::make_shared<CatalogCache>(books_, catalogChanges_, kCatalogCacheBytes);
  CatalogService withForeign(books_, foreign);
  CatalogService control(books_, onlyLogged);
  auto stockIn = [&](CatalogService& service) {
    auto shown = run(service.page("", 1, 20));
    return find(shown, listed.id)->stock;
  };
  ASSERT_EQ(stockIn(withForeign), 9);
  ASSERT_EQ(stockIn(control), 9);
  // The original sells two copies: a plain UPDATE, no change-log row.
  admin_->execSqlSync("UPDATE book SET stock = 7 WHERE id = ?", listed.id);
  EXPECT_EQ(stockIn(withForeign), 9);  // still fresh: read a moment ago
  std::this_thread::sleep_for(CatalogCache::kMaxAge + 50ms);
  EXPECT_EQ(stockIn(withForeign), 7);
  EXPECT_EQ(stockIn(control), 9);  // nothing was logged: the entry stays
}

TEST_F(ServiceCatalog, BookComesFromTheCacheOrTheDatabase) {
  using Archived = CatalogService::Archived;
  auto seller = makeUser("walter");
  auto buyer = makeUser("ximena");
  auto onSale = publish(seller, "En venta");
  auto sold = publish(seller, "Vendido y retirado");
  ASSERT_TRUE(run(purchaseService_->buy(buyer.id, sold.id, 1)).ok());
  ASSERT_TRUE(run(bookService_->remove(seller.id, sold.id)).ok());

  for (auto archived : {Archived::kIncluded, Archived::kExcluded}) {
    for (int twice = 0; twice < 2; ++twice) {
      auto found = book(onSale.id, archived);
      ASSERT_TRUE(found.ok());
      EXPECT_EQ(found.value(), onSale);
      auto missing = book(onSale.id + 1000, archived);
      ASSERT_FALSE(missing.ok());
      EXPECT_EQ(missing.problem(), Problem::kBookNotFound);
    }
  }
  auto history = book(sold.id, Archived::kIncluded);
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->archived);
  EXPECT_EQ(history->stock, 4);
  auto shop = book(sold.id, Archived::kExcluded);
  ASSERT_FALSE(shop.ok());
  EXPECT_EQ(shop.problem(), Problem::kBookNotFound);
}

// Another replica publishes while many readers ask for one page at once:
// one of them reads the page's ids from a database ahead of this cache's
// log, and no reader may show those ids with the total cached before the
// change. A page's ids are exactly the positions its total says, since
// every book is listed and ids grow. Each round reads a page not read
// before (its ids are not cached; the total is).
TEST_F(ServiceCatalog, IdsReadAheadOfTheLogAreNeverShownWithAnOlderTotal) {
  auto seller = makeUser("dora");
  auto otherChanges = std::make_shared<db::CatalogChanges>();
  db::BookRepository otherBooks(db_, otherChanges);
  std::vector<int64_t> ids;  // oldest first
  for (int i = 0; i < 70; ++i) {
    auto input = bookInput("Base " + std::to_string(i));
    ids.push_back(run(otherBooks.create(seller.id, std::move(input))));
  }
  constexpr int64_t kPerPage = 2;
  constexpr int kReaders = 8;
  std::atomic<int> failures{0};
  for (int64_t round = 0; round < 30; ++round) {
    ASSERT_EQ(page("", 1, kPerPage).page.total, static_cast<int64_t>(ids.size()));
    auto input = bookInput("Remoto " + std::to_string(round));
    ids.push_back(run(otherBooks.create(seller.id, std::move(input))));
    const int64_t number = 2 + round;
    std::vector<std::thread> readers;
    for (int r = 0; r < kReaders; ++r) {
      readers.emplace_back([&] {
        auto shown = run(catalog_->page("", number, kPerPage));
        std::vector<int64_t> expected;
        for (int64_t at = (number - 1) * kPerPage; at < number * kPerPage; ++at) {
          expected.push_back(ids[shown.page.total - 1 - at]);
        }
        if (idsOf(shown.page.items) != expected) {
          ADD_FAILURE() << "round " << round << ": total " << shown.page.total << ", ids "
                        << testing::PrintToString(idsOf(shown.page.items)) << " instead of "
                        << testing::PrintToString(expected);
          failures.fetch_add(1);
        }
      });
    }
    for (auto& reader : readers) reader.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

// Readers on several event loops page the catalog while this thread keeps
// buying and publishing: every page is a complete newest-first slice, its
// total is never below the books published before the read began, and a
// bought book's stock is never higher than before the purchase returned.
TEST_F(ServiceCatalog, ConcurrentReadersDuringChanges) {
  auto seller = makeUser("berta");
  auto buyer = makeUser("carla");
  auto target = publish(seller, "Objetivo", 1000);
  for (int i = 0; i < 30; ++i) publish(seller, "Relleno " + std::to_string(i));
  std::atomic<int64_t> published{31};
  std::atomic<int64_t> stockAtMost{1000};
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> reads{0};
  std::vector<std::unique_ptr<trantor::EventLoopThread>> loops;
  std::vector<std::future<void>> readers;
  for (int r = 0; r < 4; ++r) {
    loops.push_back(std::make_unique<trantor::EventLoopThread>());
    loops.back()->run();
    auto done = std::make_shared<std::promise<void>>();
    readers.push_back(done->get_future());
    loops.back()->getLoop()->queueInLoop([&, done, r] {
      [](CatalogService* catalog, std::shared_ptr<std::promise<void>> done, int r,
         std::atomic<bool>* stop, std::atomic<int>* failures, std::atomic<int>* reads,
         std::atomic<int64_t>* published, std::atomic<int64_t>* stockAtMost,
         int64_t targetId) -> drogon::AsyncTask {
        while (!stop->load()) {
          const int64_t floor = published->load();
          const int64_t highest = stockAtMost->load();
          const int64_t number = 1 + r % 2;
          auto shown = co_await catalog->page("", number, 20);
          auto ids = idsOf(shown.page.items);
          const bool sorted = std::is_sorted(ids.rbegin(), ids.rend()) &&
                              std::adjacent_find(ids.begin(), ids.end()) == ids.end();
          const auto expected = std::min<int64_t>(20, shown.page.total - (number - 1) * 20);
          const bool full = static_cast<int64_t>(shown.page.items.size()) == expected;
          if (!sorted || !full || shown.page.total < floor) {
            ADD_FAILURE() << "page " << number << " total " << shown.page.total << " items "
                          << shown.page.items.size() << " floor " << floor;
            failures->fetch_add(1);
          }
          for (const auto& book : shown.page.items) {
            if (book.id == targetId && book.stock > highest) {
              ADD_FAILURE() << "stock " << book.stock << " > " << highest;
              failures->fetch_add(1);
            }
          }
          reads->fetch_add(1);
          // Back to the event loop between reads. A read answered from the
          // cache completes without suspending, and without optimisation
          // (the sanitizer build) GCC does not make the transfers between
          // coroutines tail calls: a loop of such reads nested each one in
          // the last until the stack overflowed (once in 40 ASan runs).
          auto yield =
              drogon::queueInLoopCoro(trantor::EventLoop::getEventLoopOfCurrentThread(), [] {});
          co_await yield;
        }
        done->set_value();
      }(catalog_.get(), done, r, &stop, &failures, &reads, &published, &stockAtMost, target.id);
    });
  }
  for (int i = 0; i < 15; ++i) {
    ASSERT_TRUE(run(purchaseService_->buy(buyer.id, target.id, 1)).ok());
    stockAtMost.store(1000 - (i + 1));
    publish(seller, "Nuevo " + std::to_string(i));
    published.fetch_add(1);
  }
  stop.store(true);
  for (auto& reader : readers) reader.wait();
  loops.clear();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(page().page.total, 46);
}

}  // namespace
}  // namespace bookstore::test
