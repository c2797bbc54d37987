#pragma once

#include <memory>
#include <string>

#include "config/trusted_proxies.h"
#include "ops/drain.h"
#include "services/account_service.h"
#include "services/book_service.h"
#include "services/catalog_service.h"
#include "services/idempotency_service.h"
#include "services/provider_service.h"
#include "services/purchase_service.h"
#include "services/readiness.h"

namespace bookstore::web {

// The settings the HTTP layer reads.
struct WebSettings {
  std::string secretKey;  // CSRF tokens every replica verifies
  config::TrustedProxies trustedProxies;
  int64_t maxUploadBytes = 5 * 1024 * 1024;
  std::string replicaId;
};

// What the pages, the API and /health are given by app/ (the composition
// root): the use cases, read-only, shared by every I/O thread. Pointers are
// null only for `bookstore routes`, which registers routes it never runs.
// It lives as long as the server (every route holds it), so coroutines may
// take it by reference.
struct WebContext {
  WebSettings settings;
  std::shared_ptr<const services::AccountService> accounts;
  std::shared_ptr<const services::BookService> books;
  std::shared_ptr<const services::CatalogService> catalog;
  std::shared_ptr<const services::PurchaseService> purchases;
  std::shared_ptr<const services::IdempotencyService> idempotency;
  std::shared_ptr<const services::ProviderService> providers;
  std::shared_ptr<const services::Readiness> readiness;
  std::shared_ptr<const ops::DrainState> drain;
};

using ContextPtr = std::shared_ptr<const WebContext>;

}  // namespace bookstore::web
