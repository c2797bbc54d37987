#pragma once

#include <memory>

#include "config/config.h"
#include "db/database.h"
#include "db/repositories/auth_repository.h"
#include "db/repositories/book_repository.h"
#include "db/repositories/provider_repository.h"
#include "db/repositories/purchase_repository.h"
#include "db/repositories/user_repository.h"
#include "ops/drain.h"
#include "services/catalog_cache.h"
#include "storage/cover_store.h"

namespace bookstore::app {

// What every controller needs, built once at start and shared read-only.
struct AppContext {
  config::Config config;
  std::shared_ptr<db::Database> db;
  std::shared_ptr<ops::DrainState> drain = std::make_shared<ops::DrainState>();
  std::shared_ptr<db::CatalogChanges> catalogChanges = std::make_shared<db::CatalogChanges>();
  std::unique_ptr<db::UserRepository> users;
  std::unique_ptr<db::BookRepository> books;
  std::unique_ptr<db::PurchaseRepository> purchases;
  std::unique_ptr<db::ProviderRepository> providers;
  std::unique_ptr<db::AuthRepository> auth;
  std::unique_ptr<storage::CoverStore> covers;
  std::shared_ptr<services::CatalogCache> catalog;

  void openRepositories() {
    users = std::make_unique<db::UserRepository>(db);
    books = std::make_unique<db::BookRepository>(db, catalogChanges);
    purchases = std::make_unique<db::PurchaseRepository>(db, catalogChanges);
    providers = std::make_unique<db::ProviderRepository>(db);
    auth = std::make_unique<db::AuthRepository>(db);
    covers = std::make_unique<storage::CoverStore>(config.uploadDir);
    catalog = std::make_shared<services::CatalogCache>(*books, catalogChanges);
  }
};

using ContextPtr = std::shared_ptr<const AppContext>;

}  // namespace bookstore::app
