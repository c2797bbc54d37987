#include <gtest/gtest.h>

#include "services/catalog_cache.h"

using bookstore::db::Book;
using bookstore::services::CatalogSnapshot;

namespace {

// Books 1..n, newest (highest id) first, as BookRepository::listing returns them.
std::vector<Book> books(int n) {
  std::vector<Book> out;
  for (int id = n; id >= 1; --id) {
    Book book;
    book.id = id;
    book.title = "Libro " + std::to_string(id);
    book.author = id % 10 == 0 ? "Gabriel García Márquez" : "Autora " + std::to_string(id);
    book.priceCents = 1000 + id;
    book.stock = id;
    out.push_back(book);
  }
  return out;
}

std::vector<int64_t> ids(const std::vector<Book>& list) {
  std::vector<int64_t> out;
  for (const auto& book : list) out.push_back(book.id);
  return out;
}

}  // namespace

TEST(CatalogSnapshot, PagesAreSlicesNewestFirst) {
  CatalogSnapshot snapshot(books(45));
  auto first = snapshot.page("", 1, 20);
  EXPECT_EQ(first.total, 45);
  ASSERT_EQ(first.items.size(), 20u);
  EXPECT_EQ(first.items.front().id, 45);
  EXPECT_EQ(first.items.back().id, 26);
  auto last = snapshot.page("", 3, 20);
  EXPECT_EQ(ids(last.items), (std::vector<int64_t>{5, 4, 3, 2, 1}));
  EXPECT_TRUE(snapshot.page("", 4, 20).items.empty());
  EXPECT_EQ(snapshot.page("", 4, 20).total, 45);
}

TEST(CatalogSnapshot, SearchMatchesTitleOrAuthorIgnoringCaseAndAccents) {
  CatalogSnapshot snapshot(books(45));
  auto marquez = snapshot.page("MARQUEZ", 1, 20);
  EXPECT_EQ(marquez.total, 4);
  EXPECT_EQ(ids(marquez.items), (std::vector<int64_t>{40, 30, 20, 10}));
  EXPECT_EQ(snapshot.page("márquez", 2, 3).total, 4);
  EXPECT_EQ(ids(snapshot.page("márquez", 2, 3).items), (std::vector<int64_t>{10}));
  // "libro 4" is in "Libro 4" and "Libro 40".."Libro 45".
  EXPECT_EQ(snapshot.page("libro 4", 1, 20).total, 7);
  EXPECT_EQ(snapshot.page("%", 1, 20).total, 0);
  EXPECT_EQ(snapshot.page("zzz", 1, 20).total, 0);
}

TEST(CatalogSnapshot, FindsListedBooksOnly) {
  CatalogSnapshot snapshot(books(30));
  ASSERT_NE(snapshot.find(17), nullptr);
  EXPECT_EQ(snapshot.find(17)->title, "Libro 17");
  EXPECT_EQ(snapshot.find(30)->id, 30);
  EXPECT_EQ(snapshot.find(1)->id, 1);
  EXPECT_EQ(snapshot.find(0), nullptr);
  EXPECT_EQ(snapshot.find(31), nullptr);
  EXPECT_TRUE(snapshot.sameBooks(books(30)));
  EXPECT_FALSE(snapshot.sameBooks(books(29)));
}

TEST(CatalogSnapshot, MemoBuildsOncePerKeyAndStaysBounded) {
  CatalogSnapshot snapshot(books(3));
  int builds = 0;
  auto build = [&] {
    ++builds;
    return std::string(1000, 'x');
  };
  auto a = snapshot.memo<std::string>("json:a", build);
  auto again = snapshot.memo<std::string>("json:a", build);
  EXPECT_EQ(builds, 1);
  EXPECT_EQ(a.get(), again.get());
  // Far more entries than the bound: old ones are dropped, nothing breaks, and
  // values handed out stay valid.
  for (int i = 0; i < 5000; ++i) snapshot.memo<std::string>("json:" + std::to_string(i), build);
  EXPECT_EQ(*a, std::string(1000, 'x'));
  const int before = builds;
  snapshot.memo<std::string>("json:a", build);
  EXPECT_EQ(builds, before + 1);  // it was dropped, so it is built again
}
