// BookService's per-seller quotas (MAX_BOOKS_PER_SELLER_PER_HOUR,
// MAX_COVER_BYTES_PER_SELLER) and a full upload folder, against the real
// repositories on SQLite (service_fixture.h). Parallel requests on MySQL are
// tested over HTTP (tests/http/test_seller_quotas.py).
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "db/row_reading.h"
#include "service_fixture.h"

namespace bookstore::test {
namespace {

using services::Problem;

// A complete PNG of exactly `size` bytes (tinyPng with an ancillary chunk).
std::string pngOfSize(size_t size) {
  const std::string tiny = tinyPng();
  const size_t overhead = tiny.size() + 12;
  if (size < overhead) throw std::invalid_argument("too small for a PNG");
  const size_t length = size - overhead;
  std::string chunk;
  chunk.push_back(static_cast<char>((length >> 24) & 0xFF));
  chunk.push_back(static_cast<char>((length >> 16) & 0xFF));
  chunk.push_back(static_cast<char>((length >> 8) & 0xFF));
  chunk.push_back(static_cast<char>(length & 0xFF));
  chunk += "tEXt";
  chunk += std::string(length, 'a');
  chunk += std::string(4, '\0');  // CRC (not checked)
  std::string png = tiny;
  png.insert(tiny.size() - 12, chunk);  // before IEND
  return png;
}

class ServiceQuotas : public ServiceTest {
 protected:
  std::shared_ptr<services::BookService> withQuotas(int64_t booksPerHour, int64_t coverBytes) {
    return std::make_shared<services::BookService>(books_, covers_, config_.maxUploadBytes, false,
                                                   domain::SellerQuotas{booksPerHour, coverBytes});
  }
  static services::Outcome<db::Book> publish(const services::BookService& service,
                                             const db::User& seller, const std::string& title,
                                             std::optional<std::string> cover = std::nullopt) {
    auto book = bookInput(title);
    return run(service.publish(seller.id, std::move(book), std::move(cover)));
  }
  int64_t storedCoverBytes(const db::User& seller) { return run(books_.coverBytesOf(seller.id)); }
};

TEST_F(ServiceQuotas, PngOfSizeIsACover) {
  EXPECT_EQ(pngOfSize(1000).size(), 1000u);
  EXPECT_TRUE(domain::detectImageType(pngOfSize(1000)).has_value());
}

TEST_F(ServiceQuotas, BooksPerHourAreLimitedPerSeller) {
  auto service = withQuotas(3, 0);
  auto ana = makeUser("ana");
  auto bea = makeUser("bea");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(publish(*service, ana, "L" + std::to_string(i)).ok());
  auto refused = publish(*service, ana, "Uno de más");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kBookQuotaReached);
  EXPECT_EQ(refused.error().limit, 3);
  EXPECT_GT(refused.error().retryAfterSeconds, 3500);
  EXPECT_LE(refused.error().retryAfterSeconds, 3600);
  EXPECT_EQ(run(service->booksOf(ana.id)).size(), 3u);
  // Another seller is not affected.
  EXPECT_TRUE(publish(*service, bea, "De Bea").ok());
  // A refused publish with a cover leaves no file behind.
  auto withCover = publish(*service, ana, "Con portada", tinyPng());
  ASSERT_FALSE(withCover.ok());
  EXPECT_EQ(withCover.problem(), Problem::kBookQuotaReached);
  EXPECT_TRUE(coverFiles().empty());
}

TEST_F(ServiceQuotas, BooksListedOverAnHourAgoNoLongerCount) {
  auto service = withQuotas(2, 0);
  auto ana = makeUser("ana");
  ASSERT_TRUE(publish(*service, ana, "Uno").ok());
  ASSERT_TRUE(publish(*service, ana, "Dos").ok());
  ASSERT_FALSE(publish(*service, ana, "Tres").ok());
  const int64_t longAgo = db::unixNow() - domain::kBookQuotaWindowSeconds - 10;
  admin_->execSqlSync("UPDATE book SET created_at = ? WHERE title = ?", longAgo,
                      std::string("Uno"));
  EXPECT_TRUE(publish(*service, ana, "Tres").ok());
  ASSERT_FALSE(publish(*service, ana, "Cuatro").ok());
}

TEST_F(ServiceQuotas, ZeroTurnsTheLimitsOff) {
  auto service = withQuotas(0, 0);
  auto ana = makeUser("ana");
  for (int i = 0; i < 70; ++i) ASSERT_TRUE(publish(*service, ana, "L" + std::to_string(i)).ok());
}

TEST_F(ServiceQuotas, CoverBytesAreLimitedAndGivenBack) {
  auto service = withQuotas(0, 3000);
  auto ana = makeUser("ana");
  auto first = publish(*service, ana, "Primero", pngOfSize(1000));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->coverBytes, 1000);
  auto second = publish(*service, ana, "Segundo", pngOfSize(1500));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(storedCoverBytes(ana), 2500);

  // 2500 + 600 > 3000: refused, nothing stored (no file, no book).
  auto refused = publish(*service, ana, "Tercero", pngOfSize(600));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kCoverQuotaReached);
  EXPECT_EQ(refused.error().limitBytes, 3000);
  EXPECT_GT(refused.error().retryAfterSeconds, 0);
  EXPECT_EQ(run(service->booksOf(ana.id)).size(), 2u);
  EXPECT_EQ(coverFiles().size(), 2u);
  // A book without a cover still may be listed.
  EXPECT_TRUE(publish(*service, ana, "Sin portada").ok());

  // Replacing a cover counts the old one out: 1500 + 1500 = 3000 fits.
  auto replaced = run(service->replaceCover(ana.id, first->id, pngOfSize(1500)));
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(storedCoverBytes(ana), 3000);
  EXPECT_FALSE(coverExists(first->coverImage));
  auto tooBig = run(service->replaceCover(ana.id, first->id, pngOfSize(1501)));
  ASSERT_FALSE(tooBig.ok());
  EXPECT_EQ(tooBig.problem(), Problem::kCoverQuotaReached);
  EXPECT_TRUE(coverExists(replaced->coverImage));
  EXPECT_EQ(coverFiles().size(), 2u);

  // Removing a book gives its cover's bytes back.
  ASSERT_TRUE(run(service->remove(ana.id, second->id)).ok());
  EXPECT_EQ(storedCoverBytes(ana), 1500);
  domain::BookChanges none;
  auto edited = run(service->edit(ana.id, first->id, none, pngOfSize(1400)));
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(storedCoverBytes(ana), 1400);
  EXPECT_TRUE(publish(*service, ana, "Cuarto", pngOfSize(1600)).ok());
  EXPECT_EQ(storedCoverBytes(ana), 3000);
  // An edit whose cover does not fit changes nothing.
  domain::BookChanges rename;
  rename.title = std::string("Nuevo título");
  auto refusedEdit = run(service->edit(ana.id, first->id, rename, pngOfSize(1401)));
  ASSERT_FALSE(refusedEdit.ok());
  EXPECT_EQ(refusedEdit.problem(), Problem::kCoverQuotaReached);
  EXPECT_EQ(run(books_.find(first->id))->title, "Primero");
  EXPECT_EQ(coverFiles().size(), 2u);
}

TEST_F(ServiceQuotas, HealthNeedsRoomForTheLargestCover) {
  services::Readiness roomy(db_, config_.uploadDir, 1024);
  EXPECT_EQ(roomy.checkUploads(), "");
  EXPECT_GT(storage::availableBytes(config_.uploadDir), 1024);
  services::Readiness impossible(db_, config_.uploadDir, int64_t{1} << 62);
  EXPECT_EQ(impossible.checkUploads().rfind("no space left: ", 0), 0u) << impossible.checkUploads();
}

TEST_F(ServiceQuotas, AFullUploadFolderIsRefusedAndStoresNothing) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs needs root";
  // A 64 KiB tmpfs over the covers folder, filled up.
  const std::string dir = coversDir();
  if (std::system(("mount -t tmpfs -o size=64k tmpfs " + dir).c_str()) != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here";
  }
  struct Unmount {
    std::string dir;
    ~Unmount() { (void)std::system(("umount " + dir).c_str()); }
  } unmount{dir};
  {
    std::ofstream filler(dir + "/filler", std::ios::binary);
    filler << std::string(80 * 1024, 'x');  // more than fits: the folder is full
  }
  auto ana = makeUser("ana");
  auto service = withQuotas(0, 0);
  auto full = publish(*service, ana, "Sin sitio", pngOfSize(4000));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.problem(), Problem::kStorageFull);
  EXPECT_EQ(coverFiles(), std::vector<std::string>{"filler"});  // no temporary file left
  EXPECT_TRUE(run(service->booksOf(ana.id)).empty());
  // A cover for a book that exists: refused, the book keeps no cover.
  auto book = publish(*service, ana, "Sin portada");
  ASSERT_TRUE(book.ok());
  auto replaced = run(service->replaceCover(ana.id, book->id, pngOfSize(4000)));
  ASSERT_FALSE(replaced.ok());
  EXPECT_EQ(replaced.problem(), Problem::kStorageFull);
  EXPECT_EQ(run(books_.find(book->id))->coverImage, "");
  EXPECT_EQ(coverFiles(), std::vector<std::string>{"filler"});
  // /health's check names the lack of space while a largest cover does not fit.
  services::Readiness readiness(db_, dir, kMaxCoverBytes);
  EXPECT_NE(readiness.checkUploads().find("no space left"), std::string::npos)
      << readiness.checkUploads();
}

}  // namespace
}  // namespace bookstore::test
