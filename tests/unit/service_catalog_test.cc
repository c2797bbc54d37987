// CatalogService and its CatalogCache against the real book repository
// (service_fixture.h): this replica's writes show in its very next snapshot,
// single books come from the snapshot or the database, and many readers
// awaiting snapshots while writes force reloads all get complete, consistent,
// never-older snapshots.
#include <trantor/net/EventLoopThread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "service_fixture.h"

namespace bookstore::test {
namespace {

using services::CatalogService;
using services::Problem;
using services::SnapshotPtr;

std::vector<int64_t> idsOf(const std::vector<db::Book>& books) {
  std::vector<int64_t> ids;
  for (const auto& book : books) ids.push_back(book.id);
  return ids;
}

class ServiceCatalog : public ServiceTest {
 protected:
  SnapshotPtr snapshot() { return run(catalog_->snapshot()); }
  services::Outcome<db::Book> book(int64_t id, CatalogService::Archived archived) {
    return run(catalog_->book(id, archived));
  }
};

TEST_F(ServiceCatalog, ThisReplicasWritesShowInTheNextSnapshot) {
  auto seller = makeUser("sofia");
  auto buyer = makeUser("tomas");
  auto empty = snapshot();
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->size(), 0u);

  // Published.
  auto published = publish(seller, "La sombra del viento", 5, 2100, "Carlos Ruiz Zafón");
  auto afterPublish = snapshot();
  ASSERT_EQ(afterPublish->size(), 1u);
  const auto* listed = afterPublish->find(published.id);
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(*listed, published);
  EXPECT_EQ(listed->sellerName, seller.name);

  // Bought: the stock shown drops at once.
  ASSERT_TRUE(run(purchaseService_->buy(buyer.id, published.id, 2)).ok());
  auto afterBuy = snapshot();
  ASSERT_NE(afterBuy->find(published.id), nullptr);
  EXPECT_EQ(afterBuy->find(published.id)->stock, 3);
  // The older snapshot is an immutable value: it still says 5.
  EXPECT_EQ(afterPublish->find(published.id)->stock, 5);

  // Edited.
  auto changed =
      domain::allFieldsOf(bookInput("El juego del ángel", 7, 2300, "Carlos Ruiz Zafón"), {});
  std::optional<std::string> noCover;
  ASSERT_TRUE(
      run(bookService_->edit(seller.id, published.id, std::move(changed), std::move(noCover)))
          .ok());
  auto afterEdit = snapshot();
  ASSERT_NE(afterEdit->find(published.id), nullptr);
  EXPECT_EQ(afterEdit->find(published.id)->title, "El juego del ángel");
  EXPECT_EQ(afterEdit->find(published.id)->stock, 7);
  EXPECT_EQ(afterEdit->page("ángel", 1, 10).total, 1);
  EXPECT_EQ(afterEdit->page("sombra", 1, 10).total, 0);

  // Removed: deleted (unsold) and archived (sold) books both leave the catalog.
  auto unsold = publish(seller, "Marina");
  ASSERT_EQ(snapshot()->size(), 2u);
  ASSERT_TRUE(run(bookService_->remove(seller.id, unsold.id)).ok());
  auto afterDelete = snapshot();
  EXPECT_EQ(afterDelete->size(), 1u);
  EXPECT_EQ(afterDelete->find(unsold.id), nullptr);
  auto removed = run(bookService_->remove(seller.id, published.id));
  ASSERT_TRUE(removed.ok());
  ASSERT_EQ(removed.value(), services::BookService::Removal::kArchived);
  EXPECT_EQ(snapshot()->size(), 0u);
}

TEST_F(ServiceCatalog, AnUnchangedCatalogKeepsItsSnapshot) {
  auto seller = makeUser("ursula");
  publish(seller, "Quieto");
  auto first = snapshot();
  auto second = snapshot();
  EXPECT_EQ(first, second);
  EXPECT_EQ(first->size(), 1u);

  // A refused change records nothing: still the same snapshot.
  auto buyer = makeUser("valeria");
  auto tooMany = run(purchaseService_->buy(buyer.id, first->page("", 1, 1).items[0].id, 99));
  ASSERT_FALSE(tooMany.ok());
  EXPECT_EQ(snapshot(), first);
}

TEST_F(ServiceCatalog, BookComesFromTheSnapshotOrTheDatabase) {
  using Archived = CatalogService::Archived;
  auto seller = makeUser("walter");
  auto buyer = makeUser("ximena");
  auto onSale = publish(seller, "En venta");
  auto sold = publish(seller, "Vendido y retirado");
  ASSERT_TRUE(run(purchaseService_->buy(buyer.id, sold.id, 1)).ok());
  ASSERT_TRUE(run(bookService_->remove(seller.id, sold.id)).ok());

  for (auto archived : {Archived::kIncluded, Archived::kExcluded}) {
    auto found = book(onSale.id, archived);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(found.value(), onSale);

    auto missing = book(onSale.id + 1000, archived);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.problem(), Problem::kBookNotFound);
  }
  // An archived book only for order history.
  auto history = book(sold.id, Archived::kIncluded);
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->archived);
  EXPECT_EQ(history->title, "Vendido y retirado");
  EXPECT_EQ(history->stock, 4);
  auto shop = book(sold.id, Archived::kExcluded);
  ASSERT_FALSE(shop.ok());
  EXPECT_EQ(shop.problem(), Problem::kBookNotFound);
}

TEST_F(ServiceCatalog, ABookAddedByAnotherReplicaIsFoundAtOnce) {
  auto seller = makeUser("yago");
  publish(seller, "Local");
  auto before = snapshot();
  ASSERT_EQ(before->size(), 1u);

  // Another replica: its own repository and change counter on the same database.
  db::BookRepository otherReplica(db_, std::make_shared<db::CatalogChanges>());
  auto input = bookInput("Remoto");
  const auto id = run(otherReplica.create(seller.id, std::move(input)));
  auto found = book(id, CatalogService::Archived::kExcluded);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->title, "Remoto");
  EXPECT_EQ(found->sellerName, seller.name);
}

TEST_F(ServiceCatalog, SnapshotSearchesAndPagesNewestFirst) {
  auto seller = makeUser("zoe");
  std::vector<db::Book> books;
  books.push_back(
      publish(seller, "El amor en los tiempos del cólera", 1, 1000, "Gabriel García Márquez"));
  books.push_back(publish(seller, "Rayuela", 1, 1000, "Julio Cortázar"));
  books.push_back(
      publish(seller, "Crónica de una muerte anunciada", 1, 1000, "Gabriel García Márquez"));
  books.push_back(publish(seller, "Cien años de soledad", 1, 1000, "Gabriel García Márquez"));
  books.push_back(publish(seller, "Bestiario", 1, 1000, "Julio Cortázar"));
  auto current = snapshot();
  ASSERT_EQ(current->size(), 5u);

  auto all = current->page("", 1, 2);
  EXPECT_EQ(all.total, 5);
  EXPECT_EQ(idsOf(all.items), (std::vector<int64_t>{books[4].id, books[3].id}));
  EXPECT_EQ(idsOf(current->page("", 3, 2).items), (std::vector<int64_t>{books[0].id}));
  EXPECT_TRUE(current->page("", 4, 2).items.empty());

  // Author or title, ignoring case and accents.
  auto marquez = current->page("GARCIA marquez", 1, 2);
  EXPECT_EQ(marquez.total, 3);
  EXPECT_EQ(idsOf(marquez.items), (std::vector<int64_t>{books[3].id, books[2].id}));
  EXPECT_EQ(idsOf(current->page("garcía", 2, 2).items), (std::vector<int64_t>{books[0].id}));
  EXPECT_EQ(idsOf(current->page("colera", 1, 10).items), (std::vector<int64_t>{books[0].id}));
  EXPECT_EQ(current->page("cortazar", 1, 10).total, 2);
  EXPECT_EQ(current->page("borges", 1, 10).total, 0);
}

// ---- many readers during reloads ----

// What the writer has done so far. A publish is counted in `started` before
// it begins and in `finished` once it has returned (committed and recorded).
struct Progress {
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
  std::atomic<bool> writerDone{false};
};

struct ReaderReport {
  int answers = 0;
  int distinctSnapshots = 0;
  size_t lastSize = 0;
  std::vector<std::string> problems;  // empty when every snapshot was right
};

constexpr int64_t kInitialStock = 50;
constexpr int64_t kPrice = 1234;
// Books already on sale before the test: enough that a reload takes a while,
// so that writes land while one is running (the case a wrong cache gets wrong:
// a reload that started before a write must not answer a reader who needs it).
constexpr size_t kBackground = 1500;

// One I/O thread's requests: awaits snapshots one after another on its own
// event loop (as Drogon's handlers do) and checks each new one completely.
drogon::AsyncTask readSnapshots(const CatalogService* catalog, const Progress* progress,
                                const std::string* sellerName, ReaderReport* report,
                                std::promise<void>* done) {
  auto* loop = trantor::EventLoop::getEventLoopOfCurrentThread();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  SnapshotPtr previous;
  auto problem = [report](std::string what) {
    if (report->problems.size() < 10) report->problems.push_back(std::move(what));
  };
  for (;;) {
    const bool lastRound = progress->writerDone.load();
    const auto mustShow = kBackground + static_cast<size_t>(progress->finished.load());
    SnapshotPtr current;
    try {
      current = co_await catalog->snapshot();
    } catch (const std::exception& e) {
      problem(std::string("snapshot() threw: ") + e.what());
      break;
    }
    const auto mayShow = kBackground + static_cast<size_t>(progress->started.load());
    ++report->answers;
    if (!current) {
      problem("null snapshot");
      break;
    }
    if (current != previous) {
      ++report->distinctSnapshots;
      const auto size = current->size();
      // Every publish that returned before this request is in it; nothing
      // that had not started is.
      if (size < mustShow || size > mayShow) {
        problem("size " + std::to_string(size) + " outside [" + std::to_string(mustShow) + ", " +
                std::to_string(mayShow) + "]");
      }
      // A reader never gets an older catalog than it already had.
      if (previous && size < previous->size()) {
        problem("went back from " + std::to_string(previous->size()) + " to " +
                std::to_string(size));
      }
      // Complete and consistent: every book whole, newest first, found by id,
      // listed by pages and by search alike.
      auto all = current->page("", 1, static_cast<int64_t>(size) + 1);
      if (all.total != static_cast<int64_t>(size) || all.items.size() != size) {
        problem("page total " + std::to_string(all.total) + " for size " + std::to_string(size));
      }
      if (current->page("CONCURRENTE", 1, 1).total != static_cast<int64_t>(size - kBackground)) {
        problem("search does not find every new book");
      }
      for (size_t i = 0; i < all.items.size(); ++i) {
        const auto& book = all.items[i];
        if (i > 0 && book.id >= all.items[i - 1].id) problem("not newest first");
        if (current->find(book.id) == nullptr) problem("find misses " + std::to_string(book.id));
        const bool known =
            book.title.rfind("Concurrente ", 0) == 0 || book.title.rfind("Fondo ", 0) == 0;
        if (!known || book.sellerName != *sellerName || book.priceCents != kPrice ||
            book.stock < 0 || book.stock > kInitialStock || book.archived) {
          problem("incomplete book " + std::to_string(book.id) + " '" + book.title + "'");
        }
      }
      previous = current;
    }
    report->lastSize = current->size();
    if (lastRound || std::chrono::steady_clock::now() > deadline) break;
    // Let the writer and the other readers run (two cores may be all there is).
    co_await drogon::sleepCoro(loop, std::chrono::microseconds(200));
  }
  done->set_value();
}

TEST_F(ServiceCatalog, ManyReadersDuringReloadsGetCompleteConsistentSnapshots) {
  constexpr int kReaders = 8;
  constexpr int kBooks = 30;
  auto seller = makeUser("escritora");
  auto buyer = makeUser("lectora");
  // The background catalogue, in one statement.
  admin_->execSqlSync(
      "INSERT INTO book (title, author, description, price, stock, seller_id, archived, "
      "created_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
      "SELECT 'Fondo ' || i, 'Autor de fondo', 'Libro de fondo', '12.34', ?, ?, 0, 0 FROM n",
      static_cast<int64_t>(kBackground), kInitialStock, seller.id);

  Progress progress;
  std::vector<ReaderReport> reports(kReaders);
  std::vector<std::promise<void>> finished(kReaders);
  std::vector<std::unique_ptr<trantor::EventLoopThread>> loops;
  for (int r = 0; r < kReaders; ++r) {
    loops.push_back(std::make_unique<trantor::EventLoopThread>("reader" + std::to_string(r)));
    loops.back()->run();
  }
  for (int r = 0; r < kReaders; ++r) {
    loops[r]->getLoop()->queueInLoop([&, r] {
      readSnapshots(catalog_.get(), &progress, &seller.name, &reports[r], &finished[r]);
    });
  }

  // The writer: books published, and bought from, one after another, each
  // write bumping the catalog's version and forcing a reload.
  // (No ASSERT here: the readers must always be told that the writer is done.)
  std::vector<int64_t> published;
  try {
    for (int i = 0; i < kBooks; ++i) {
      ++progress.started;
      auto book = publish(seller, "Concurrente " + std::to_string(i), kInitialStock, kPrice);
      ++progress.finished;
      published.push_back(book.id);
      EXPECT_TRUE(run(purchaseService_->buy(buyer.id, published[published.size() / 2], 1)).ok());
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "writer: " << e.what();
  }
  progress.writerDone = true;

  for (int r = 0; r < kReaders; ++r) {
    ASSERT_EQ(finished[r].get_future().wait_for(std::chrono::seconds(30)),
              std::future_status::ready)
        << "reader " << r << " never finished";
  }
  loops.clear();  // joins the readers' threads

  int distinct = 0;
  for (int r = 0; r < kReaders; ++r) {
    const auto& report = reports[r];
    for (const auto& problem : report.problems) ADD_FAILURE() << "reader " << r << ": " << problem;
    EXPECT_GT(report.answers, 0);
    // Its last request started after the writer was done: everything is there.
    EXPECT_EQ(report.lastSize, kBackground + kBooks) << "reader " << r;
    distinct = std::max(distinct, report.distinctSnapshots);
  }
  // The readers did run during the writes (saw the catalog change under them).
  EXPECT_GT(distinct, 1);

  auto last = snapshot();
  ASSERT_EQ(last->size(), kBackground + kBooks);
  int64_t stockLeft = 0;
  for (auto id : published) {
    ASSERT_NE(last->find(id), nullptr);
    stockLeft += last->find(id)->stock;
  }
  EXPECT_EQ(stockLeft, kBooks * kInitialStock - kBooks);
}

}  // namespace
}  // namespace bookstore::test
