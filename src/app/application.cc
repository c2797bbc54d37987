#include "app/application.h"

namespace bookstore::app {

domain::HashFormat passwordHashFormat(const config::Config& config) {
  return config.originalCompatible ? domain::HashFormat::kWerkzeugPbkdf2
                                   : domain::HashFormat::kArgon2id;
}

Application::Application(const config::Config& config)
    : db_(db::Database::open(config, static_cast<size_t>(config.dbPoolSize))),
      users_(db_),
      auth_(db_),
      books_(db_, catalogChanges_),
      purchases_(db_, catalogChanges_),
      providers_(db_),
      keys_(db_),
      covers_(config.uploadDir) {
  auto web = std::make_shared<web::WebContext>();
  web->settings = {config.secretKey, config.trustedProxies, config.maxUploadBytes,
                   config.replicaId};
  web->accounts = std::make_shared<services::AccountService>(
      users_, auth_, passwordHashFormat(config),
      services::AccountService::Limits{
          config.sessionIdleSeconds, config.sessionMaxAgeSeconds, config.tokenTtlSeconds,
          config.registrationsPerAddressPerHour, static_cast<size_t>(config.passwordHashQueue)});
  const domain::SellerQuotas quotas{config.maxBooksPerSellerPerHour, config.maxCoverBytesPerSeller};
  web->books = std::make_shared<services::BookService>(books_, covers_, config.maxUploadBytes,
                                                       config.originalCompatible, quotas);
  web->catalog = std::make_shared<services::CatalogService>(
      books_, std::make_shared<services::CatalogCache>(
                  books_, catalogChanges_, static_cast<size_t>(config.catalogCacheBytes),
                  // During a cut-over the original writes too, without logging.
                  config.originalCompatible ? services::CatalogCache::Writers::kForeignWriters
                                            : services::CatalogCache::Writers::kOnlyLogged));
  web->idempotency = std::make_shared<services::IdempotencyService>(keys_);
  web->purchases = std::make_shared<services::PurchaseService>(
      purchases_, books_, config.pendingPaymentTimeoutSeconds,
      config.originalCompatible ? db::CancelledRows::kDelete : db::CancelledRows::kKeep,
      web->idempotency.get());
  web->providers = std::make_shared<services::ProviderService>(providers_);
  web->readiness =
      std::make_shared<services::Readiness>(db_, config.uploadDir, config.maxUploadBytes);
  web->drain = drain_;
  web_ = std::move(web);
}

}  // namespace bookstore::app
