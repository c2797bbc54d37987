#pragma once

#include <memory>

#include "config/config.h"
#include "db/catalog_changes.h"
#include "db/database.h"
#include "db/repositories/auth_repository.h"
#include "db/repositories/book_repository.h"
#include "db/repositories/idempotency_repository.h"
#include "db/repositories/provider_repository.h"
#include "db/repositories/purchase_repository.h"
#include "db/repositories/user_repository.h"
#include "domain/password.h"
#include "ops/drain.h"
#include "storage/cover_store.h"
#include "web/web_context.h"

namespace bookstore::app {

// How password hashes are written: Werkzeug's format while
// ORIGINAL_COMPATIBLE is on (the original must log everyone in after a
// rollback), else Argon2id.
domain::HashFormat passwordHashFormat(const config::Config& config);

// The composition root: everything one serving process is made of, built
// once from the configuration, in dependency order. Only app/ sees it; the
// HTTP layer gets the use cases through web::WebContext.
class Application {
 public:
  explicit Application(const config::Config& config);
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  const web::ContextPtr& webContext() const { return web_; }
  const std::shared_ptr<ops::DrainState>& drain() const { return drain_; }

 private:
  std::shared_ptr<db::Database> db_;
  std::shared_ptr<db::CatalogChanges> catalogChanges_ = std::make_shared<db::CatalogChanges>();
  db::UserRepository users_;
  db::AuthRepository auth_;
  db::BookRepository books_;
  db::PurchaseRepository purchases_;
  db::ProviderRepository providers_;
  db::IdempotencyRepository keys_;
  storage::CoverStore covers_;
  std::shared_ptr<ops::DrainState> drain_ = std::make_shared<ops::DrainState>();
  web::ContextPtr web_;
};

}  // namespace bookstore::app
