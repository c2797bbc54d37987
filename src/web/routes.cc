#include "web/routes.h"

#include "web/controllers/route_groups.h"
#include "web/controllers/static_assets.h"
#include "web/health.h"
#include "web/security_headers.h"

namespace bookstore::web {

void registerRoutes(const ContextPtr& context) {
  installSecurityHeaders(context->settings.trustedProxies);
  controllers::registerStaticAssets();
  registerHealthRoutes(context);
  pages::registerAccountPages(context);
  pages::registerCatalogPages(context);
  pages::registerBookFormPages(context);
  pages::registerBuyingPages(context);
  pages::registerAdminPages(context);
  api::registerAccountRoutes(context);
  api::registerBookRoutes(context);
  api::registerPurchaseRoutes(context);
  api::registerOpenApiRoute();
}

}  // namespace bookstore::web
