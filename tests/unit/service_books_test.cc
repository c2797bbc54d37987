// BookService against the real book repository and a real cover folder
// (service_fixture.h): publishing, editing, removing, and the cover files'
// lifecycle (no orphan file, no file deleted that a book still shows).
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "domain/image_type.h"
#include "service_fixture.h"

namespace bookstore::test {
namespace {

using services::BookService;
using services::Problem;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class ServiceBooks : public ServiceTest {
 protected:
  services::Outcome<db::Book> publishWith(const db::User& seller, const std::string& title,
                                          std::optional<std::string> cover) {
    auto book = bookInput(title);
    return run(bookService_->publish(seller.id, std::move(book), std::move(cover)));
  }

  services::Outcome<db::Book> edit(const db::User& user, int64_t bookId, domain::ValidBook book,
                                   std::optional<std::string> cover = std::nullopt) {
    auto changes = domain::allFieldsOf(book, std::nullopt);  // a form's edit: every field
    return run(bookService_->edit(user.id, bookId, std::move(changes), std::move(cover)));
  }

  services::Outcome<db::Book> replaceCover(const db::User& user, int64_t bookId,
                                           std::string cover) {
    return run(bookService_->replaceCover(user.id, bookId, std::move(cover)));
  }

  services::Outcome<BookService::Removal> remove(const db::User& user, int64_t bookId) {
    return run(bookService_->remove(user.id, bookId));
  }

  std::optional<db::Book> stored(int64_t bookId) { return run(books_.find(bookId)); }

  // A purchase of the book, so that removing it archives it.
  void sell(int64_t bookId) {
    auto buyer = makeUser("comprador" + std::to_string(bookId));
    auto bought = run(purchaseService_->buy(buyer.id, bookId, 1));
    ASSERT_TRUE(bought.ok());
  }
};

TEST_F(ServiceBooks, PublishWithoutCover) {
  auto seller = makeUser("ana");
  auto published = publishWith(seller, "Rayuela", std::nullopt);
  ASSERT_TRUE(published.ok());
  EXPECT_GT(published->id, 0);
  EXPECT_EQ(published->title, "Rayuela");
  EXPECT_EQ(published->author, "Autora de Prueba");
  EXPECT_EQ(published->description, "Descripción de Rayuela");
  EXPECT_EQ(published->priceCents, 1250);
  EXPECT_EQ(published->stock, 5);
  EXPECT_EQ(published->sellerId, seller.id);
  EXPECT_EQ(published->sellerName, seller.name);
  EXPECT_EQ(published->coverImage, "");
  EXPECT_FALSE(published->archived);
  EXPECT_TRUE(coverFiles().empty());

  auto again = stored(published->id);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, published.value());
}

TEST_F(ServiceBooks, PublishWithCoverStoresTheFile) {
  auto seller = makeUser("bruno");
  auto published = publishWith(seller, "Ficciones", tinyPng());
  ASSERT_TRUE(published.ok());
  const auto& cover = published->coverImage;
  EXPECT_TRUE(domain::isCoverFileName(cover)) << cover;
  EXPECT_EQ(cover.substr(cover.size() - 4), ".png");
  ASSERT_TRUE(coverExists(cover));
  EXPECT_EQ(readFile(coversDir() + "/" + cover), tinyPng());
  EXPECT_EQ(coverFiles(), std::vector<std::string>{cover});
  EXPECT_EQ(stored(published->id)->coverImage, cover);
}

TEST_F(ServiceBooks, CoverSizeLimit) {
  EXPECT_TRUE(bookService_->coverSizeAllowed(kMaxCoverBytes).ok());
  auto tooLarge = bookService_->coverSizeAllowed(kMaxCoverBytes + 1);
  ASSERT_FALSE(tooLarge.ok());
  EXPECT_EQ(tooLarge.problem(), Problem::kCoverTooLarge);
  EXPECT_EQ(tooLarge.error().limitBytes, kMaxCoverBytes);

  // A PNG padded past the limit: refused before anything is stored.
  auto seller = makeUser("carmen");
  auto big = tinyPng() + std::string(kMaxCoverBytes, '\0');
  auto refused = publishWith(seller, "Demasiado grande", big);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kCoverTooLarge);
  EXPECT_EQ(refused.error().limitBytes, kMaxCoverBytes);
  EXPECT_TRUE(run(bookService_->booksOf(seller.id)).empty());
  EXPECT_TRUE(coverFiles().empty());
}

TEST_F(ServiceBooks, PublishRefusesACoverThatIsNotAnImage) {
  auto seller = makeUser("dario");
  const std::string truncated = tinyPng().substr(0, 40);
  for (const std::string& bytes : {std::string("GIF89a no es un PNG"), truncated, std::string()}) {
    auto refused = publishWith(seller, "Sin portada", bytes);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.problem(), Problem::kCoverNotAnImage);
  }
  EXPECT_TRUE(run(bookService_->booksOf(seller.id)).empty());
  EXPECT_TRUE(coverFiles().empty());
}

TEST_F(ServiceBooks, OwnedBookIsTheSellersOnly) {
  auto seller = makeUser("elisa");
  auto other = makeUser("fabio");
  auto book = publish(seller, "Pedro Páramo");
  auto owned = run(bookService_->ownedBook(seller.id, book.id));
  ASSERT_TRUE(owned.ok());
  EXPECT_EQ(owned->id, book.id);

  auto notMine = run(bookService_->ownedBook(other.id, book.id));
  ASSERT_FALSE(notMine.ok());
  EXPECT_EQ(notMine.problem(), Problem::kNotSeller);

  auto missing = run(bookService_->ownedBook(seller.id, book.id + 1000));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.problem(), Problem::kBookNotFound);
}

TEST_F(ServiceBooks, EditReplacesEveryFieldAndKeepsTheCover) {
  auto seller = makeUser("gloria");
  auto published = publishWith(seller, "Borrador", tinyPng());
  ASSERT_TRUE(published.ok());
  auto changed = domain::ValidBook{"Definitivo", "Otro Autor", "Nueva", 999, 42};
  auto edited = edit(seller, published->id, changed);
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(edited->title, "Definitivo");
  EXPECT_EQ(edited->author, "Otro Autor");
  EXPECT_EQ(edited->description, "Nueva");
  EXPECT_EQ(edited->priceCents, 999);
  EXPECT_EQ(edited->stock, 42);
  EXPECT_EQ(edited->coverImage, published->coverImage);
  EXPECT_TRUE(coverExists(published->coverImage));
  EXPECT_EQ(*stored(published->id), edited.value());
}

TEST_F(ServiceBooks, EditBySomeoneElseIsRefusedAndChangesNothing) {
  auto seller = makeUser("hector");
  auto other = makeUser("irene");
  auto published = publishWith(seller, "Intocable", tinyPng());
  ASSERT_TRUE(published.ok());
  auto refused = edit(other, published->id, bookInput("Robado"), tinyPng());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kNotSeller);
  EXPECT_EQ(*stored(published->id), published.value());
  EXPECT_EQ(coverFiles(), std::vector<std::string>{published->coverImage});

  auto cover = replaceCover(other, published->id, tinyPng());
  ASSERT_FALSE(cover.ok());
  EXPECT_EQ(cover.problem(), Problem::kNotSeller);
  EXPECT_EQ(coverFiles(), std::vector<std::string>{published->coverImage});

  auto missing = edit(seller, published->id + 1000, bookInput("Nada"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.problem(), Problem::kBookNotFound);
}

TEST_F(ServiceBooks, EditWithANewCoverDeletesTheOldFile) {
  auto seller = makeUser("julio");
  auto published = publishWith(seller, "Con portada", tinyPng());
  ASSERT_TRUE(published.ok());
  const auto oldCover = published->coverImage;

  auto edited = edit(seller, published->id, bookInput("Con otra portada"), tinyPng());
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(edited->title, "Con otra portada");
  EXPECT_NE(edited->coverImage, oldCover);
  EXPECT_TRUE(coverExists(edited->coverImage));
  EXPECT_FALSE(coverExists(oldCover));
  EXPECT_EQ(coverFiles(), std::vector<std::string>{edited->coverImage});

  auto replaced = replaceCover(seller, published->id, tinyPng());
  ASSERT_TRUE(replaced.ok());
  EXPECT_NE(replaced->coverImage, edited->coverImage);
  EXPECT_EQ(replaced->title, "Con otra portada");
  EXPECT_EQ(coverFiles(), std::vector<std::string>{replaced->coverImage});
}

TEST_F(ServiceBooks, EditWithABadCoverChangesNothing) {
  auto seller = makeUser("karla");
  auto published = publishWith(seller, "Estable", tinyPng());
  ASSERT_TRUE(published.ok());

  auto notImage = edit(seller, published->id, bookInput("Cambiado"), std::string("texto"));
  ASSERT_FALSE(notImage.ok());
  EXPECT_EQ(notImage.problem(), Problem::kCoverNotAnImage);
  auto tooLarge =
      edit(seller, published->id, bookInput("Cambiado"), std::string(kMaxCoverBytes + 1, 'x'));
  ASSERT_FALSE(tooLarge.ok());
  EXPECT_EQ(tooLarge.problem(), Problem::kCoverTooLarge);
  auto cover = replaceCover(seller, published->id, "tampoco");
  ASSERT_FALSE(cover.ok());
  EXPECT_EQ(cover.problem(), Problem::kCoverNotAnImage);

  EXPECT_EQ(*stored(published->id), published.value());
  EXPECT_EQ(coverFiles(), std::vector<std::string>{published->coverImage});
}

TEST_F(ServiceBooks, RemoveDeletesAnUnsoldBookAndItsCover) {
  auto seller = makeUser("lucas");
  auto other = makeUser("marta");
  auto published = publishWith(seller, "Efímero", tinyPng());
  ASSERT_TRUE(published.ok());

  auto refused = remove(other, published->id);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kNotSeller);
  EXPECT_TRUE(stored(published->id).has_value());

  auto removed = remove(seller, published->id);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed.value(), BookService::Removal::kDeleted);
  EXPECT_FALSE(stored(published->id).has_value());
  EXPECT_FALSE(coverExists(published->coverImage));
  EXPECT_TRUE(coverFiles().empty());

  auto again = remove(seller, published->id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.problem(), Problem::kBookNotFound);
}

TEST_F(ServiceBooks, RemoveArchivesASoldBookAndKeepsItsCover) {
  auto seller = makeUser("nico");
  auto published = publishWith(seller, "Vendido", tinyPng());
  ASSERT_TRUE(published.ok());
  sell(published->id);

  auto removed = remove(seller, published->id);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed.value(), BookService::Removal::kArchived);
  auto kept = stored(published->id);
  ASSERT_TRUE(kept.has_value());
  EXPECT_TRUE(kept->archived);
  EXPECT_EQ(kept->coverImage, published->coverImage);
  EXPECT_TRUE(coverExists(published->coverImage));
  EXPECT_TRUE(run(bookService_->booksOf(seller.id)).empty());

  // An archived book can no longer be changed by anyone.
  auto owned = run(bookService_->ownedBook(seller.id, published->id));
  ASSERT_FALSE(owned.ok());
  EXPECT_EQ(owned.problem(), Problem::kBookNotFound);
  auto edited = edit(seller, published->id, bookInput("Resucitado"));
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.problem(), Problem::kBookNotFound);
  auto cover = replaceCover(seller, published->id, tinyPng());
  ASSERT_FALSE(cover.ok());
  EXPECT_EQ(cover.problem(), Problem::kBookNotFound);
  auto again = remove(seller, published->id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.problem(), Problem::kBookNotFound);
  EXPECT_EQ(coverFiles(), std::vector<std::string>{published->coverImage});
}

TEST_F(ServiceBooks, BooksOfListsTheSellersBooksOnSaleNewestFirst) {
  auto seller = makeUser("olga");
  auto other = makeUser("pablo");
  auto first = publish(seller, "Primero");
  publish(other, "Ajeno");
  auto second = publish(seller, "Segundo");
  auto third = publish(seller, "Tercero");
  sell(second.id);
  ASSERT_TRUE(remove(seller, second.id).ok());  // archived

  auto mine = run(bookService_->booksOf(seller.id));
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, third.id);
  EXPECT_EQ(mine[1].id, first.id);
  EXPECT_EQ(run(bookService_->booksOf(other.id)).size(), 1u);
}

}  // namespace
}  // namespace bookstore::test
