// Shared fixture of the service tests (tests/unit/service_*_test.cc): the use
// cases of src/services/ against the real repositories on a real, migrated
// SQLite database and a real cover folder, wired exactly as the composition
// root (src/app/application.cc) wires them. Nothing of ours is mocked.
//
// Where the database lives. Database::open makes several connections (a
// reader pool and a single writer), and a plain ":memory:" gives each
// connection its own empty database. A named shared in-memory database
// ("file:<name>?mode=memory&cache=shared") does open: Drogon calls plain
// sqlite3_open() without SQLITE_OPEN_URI, but Debian's libsqlite3 is built
// with SQLITE_USE_URI=1, so URI names are honoured. It is still not used,
// because shared-cache mode locks whole tables: while the writer holds a
// transaction open (Drogon commits a transaction that is dropped without a
// commit asynchronously, e.g. after a refused delivery choice), a read on
// another connection fails at once with SQLITE_LOCKED "database table is
// locked" (busy_timeout does not retry it), which the production database, a
// file in WAL mode whose readers see the last commit, never does; the service
// tests failed that way. So each test gets a fresh database file in a
// temporary folder on /dev/shm, a RAM file system: the same WAL journal and
// locking as production, without disk I/O. The folder (database and cover
// files) is removed at the end of the test.
#pragma once

#include <drogon/orm/DbClient.h>
#include <drogon/utils/coroutine.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <trantor/utils/Logger.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "config/config.h"
#include "db/catalog_changes.h"
#include "db/database.h"
#include "db/migrations/migrator.h"
#include "db/repositories/auth_repository.h"
#include "db/repositories/book_repository.h"
#include "db/repositories/idempotency_repository.h"
#include "db/repositories/provider_repository.h"
#include "db/repositories/purchase_repository.h"
#include "db/repositories/user_repository.h"
#include "domain/validation.h"
#include "services/account_service.h"
#include "services/book_service.h"
#include "services/catalog_cache.h"
#include "services/catalog_service.h"
#include "services/idempotency_service.h"
#include "services/outcome.h"
#include "services/provider_service.h"
#include "services/purchase_service.h"
#include "services/readiness.h"
#include "storage/cover_store.h"
#include "storage/upload_dir.h"

namespace bookstore::test {

// Runs a use case to completion from a test's thread.
template <typename T>
T run(drogon::Task<T> task) {
  return drogon::sync_wait(std::move(task));
}
inline void run(drogon::Task<void> task) {
  drogon::sync_wait(std::move(task));
}

// A fresh folder, removed with everything in it at the end. On /dev/shm (a
// RAM file system) when there is one, so the covers' fsyncs cost nothing.
class TempDir {
 public:
  TempDir() {
    const std::filesystem::path base = std::filesystem::is_directory("/dev/shm")
                                           ? std::filesystem::path("/dev/shm")
                                           : std::filesystem::temp_directory_path();
    std::string pattern = (base / "bookstore-service-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

template <typename Connected>
void waitUntil(Connected connected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!connected()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("the test database did not open");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// The smallest complete PNG (1×1): what detectImageType accepts as a cover.
inline std::string tinyPng() {
  static const unsigned char bytes[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
      0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
      0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(bytes), sizeof(bytes));
}

class ServiceTest : public ::testing::Test {
 protected:
  // Small, so kCoverTooLarge needs no big buffer.
  static constexpr int64_t kMaxCoverBytes = 4096;
  static constexpr size_t kCatalogCacheBytes = 4 * 1024 * 1024;

  ServiceTest()
      : config_(makeConfig(folder_.path())),
        admin_(openMigratedAdmin(config_)),
        db_(openDatabase(config_)),
        users_(db_),
        auth_(db_),
        books_(db_, catalogChanges_),
        purchases_(db_, catalogChanges_),
        providers_(db_),
        keys_(db_),
        covers_(config_.uploadDir) {
    // As app/application.cc builds the use cases.
    accounts_ = std::make_shared<services::AccountService>(users_, auth_);
    bookService_ = std::make_shared<services::BookService>(books_, covers_, config_.maxUploadBytes);
    catalogCache_ =
        std::make_shared<services::CatalogCache>(books_, catalogChanges_, kCatalogCacheBytes);
    catalog_ = std::make_shared<services::CatalogService>(books_, catalogCache_);
    idempotency_ = std::make_shared<services::IdempotencyService>(keys_);
    purchaseService_ = std::make_shared<services::PurchaseService>(
        purchases_, books_, 1800, db::CancelledRows::kKeep, idempotency_.get());
    providerService_ = std::make_shared<services::ProviderService>(providers_);
    readiness_ = std::make_shared<services::Readiness>(db_, config_.uploadDir);
  }

  static drogon::Task<void> settleWriter(std::shared_ptr<db::Database> db) {
    const std::string ping = "SELECT 1";
    co_await db->writer()->execSqlCoro(ping);
  }

  ~ServiceTest() override {
    // A catalog poll still running (a background refresh) uses books_:
    // wait for one that starts after every other, so none is left in flight.
    if (db_->connected()) {
      try {
        catalogChanges_->record();
        run(catalog_->page("", 1, 1));
        // A refused use case rolls its transaction back (RollbackUnlessCommitted)
        // without waiting: the single writer takes this after that rollback, so
        // the connection is not closed under it (Drogon then releases the
        // client on its own thread, which aborts the test).
        run(settleWriter(db_));
      } catch (...) {
      }
    }
    db_->close();
    admin_->closeAll();
  }

  // ---- helpers: rows made through the real repositories ----

  // A user without going through Argon2id (registration is covered by the
  // account tests): the password hash is only a placeholder.
  db::User makeUser(const std::string& name) {
    std::string displayName = name;
    std::string email = name + "@test.bookstore";
    std::string hash = "placeholder-hash";
    auto user = run(users_.create(std::move(displayName), std::move(email), std::move(hash)));
    if (!user) throw std::runtime_error("cannot create user " + name);
    return *user;
  }

  // An administrator, made the way `bookstore admin grant` makes one.
  db::User makeAdmin(const std::string& name) {
    auto user = makeUser(name);
    if (!db::UserRepository::grantAdminSync(admin_, user.email)) {
      throw std::runtime_error("cannot grant admin to " + user.email);
    }
    auto granted = run(users_.findById(user.id));
    if (!granted || !granted->isAdmin) throw std::runtime_error("grant did not stick");
    return *granted;
  }

  static domain::ValidBook bookInput(const std::string& title, int64_t stock = 5,
                                     int64_t priceCents = 1250,
                                     const std::string& author = "Autora de Prueba") {
    return domain::ValidBook{title, author, "Descripción de " + title, priceCents, stock};
  }

  // Published through BookService, without a cover.
  db::Book publish(const db::User& seller, const std::string& title, int64_t stock = 5,
                   int64_t priceCents = 1250, const std::string& author = "Autora de Prueba") {
    auto book = bookInput(title, stock, priceCents, author);
    std::optional<std::string> noCover;
    auto published = run(bookService_->publish(seller.id, std::move(book), std::move(noCover)));
    if (!published) throw std::runtime_error("cannot publish " + title);
    return published.value();
  }

  // A provider added by an administrator; answers its id.
  int64_t addProvider(const db::User& admin, const std::string& name, const std::string& cost) {
    db::User actor = admin;
    domain::ProviderInput input{name, "Nacional", cost};
    auto added = run(providerService_->add(std::move(actor), std::move(input)));
    if (!added) throw std::runtime_error("cannot add provider " + name);
    return added.value();
  }

  // ---- the cover folder ----

  std::string coversDir() const { return config_.uploadDir + "/covers"; }
  bool coverExists(const std::string& name) const {
    return !name.empty() && std::filesystem::is_regular_file(coversDir() + "/" + name);
  }
  // Every entry of the covers folder (temporary files included).
  std::vector<std::string> coverFiles() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(coversDir())) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  TempDir folder_;  // holds bookstore.db (and its -wal, -shm) and uploads/
  config::Config config_;
  drogon::orm::DbClientPtr admin_;  // one connection, for migrations and admin grants
  std::shared_ptr<db::Database> db_;
  std::shared_ptr<db::CatalogChanges> catalogChanges_ = std::make_shared<db::CatalogChanges>();
  db::UserRepository users_;
  db::AuthRepository auth_;
  db::BookRepository books_;
  db::PurchaseRepository purchases_;
  db::ProviderRepository providers_;
  db::IdempotencyRepository keys_;
  storage::CoverStore covers_;

  std::shared_ptr<services::AccountService> accounts_;
  std::shared_ptr<services::BookService> bookService_;
  std::shared_ptr<services::CatalogCache> catalogCache_;
  std::shared_ptr<services::CatalogService> catalog_;
  std::shared_ptr<services::IdempotencyService> idempotency_;
  std::shared_ptr<services::PurchaseService> purchaseService_;
  std::shared_ptr<services::ProviderService> providerService_;
  std::shared_ptr<services::Readiness> readiness_;

 private:
  static config::Config makeConfig(const std::string& folder) {
    trantor::Logger::setLogLevel(trantor::Logger::kWarn);
    config::Config config;
    config.database.dialect = config::Dialect::kSqlite;
    config.database.sqlitePath = folder + "/bookstore.db";
    config.uploadDir = folder + "/uploads";
    config.dbPoolSize = 2;
    config.dbTimeoutSeconds = 10.0;
    config.maxUploadBytes = kMaxCoverBytes;
    storage::prepareUploadDir(config.uploadDir);
    return config;
  }

  // Made first, as app::openAdminClient makes it (which polls every 20 ms: too
  // slow to pay in every test), and used as the server's start-up uses it.
  static drogon::orm::DbClientPtr openMigratedAdmin(const config::Config& config) {
    auto client = drogon::orm::DbClient::newSqlite3Client(db::connectionString(config.database), 1);
    db::configureSqliteWriter(client);
    waitUntil([&client] { return client->hasAvailableConnections(); });
    db::migrate(client, config.database.dialect, [](const std::string&) {});
    return client;
  }

  static std::shared_ptr<db::Database> openDatabase(const config::Config& config) {
    auto db = db::Database::open(config, static_cast<size_t>(config.dbPoolSize));
    waitUntil([&db] { return db->connected() && db->writerConnected(); });
    return db;
  }
};

}  // namespace bookstore::test
