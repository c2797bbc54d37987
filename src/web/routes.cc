#include "web/routes.h"

#include "web/controllers/api/api.h"
#include "web/controllers/pages/pages.h"
#include "web/controllers/static_assets.h"
#include "web/health.h"

namespace bookstore::web {

void registerRoutes(const ContextPtr& context) {
  controllers::registerStaticAssets();
  registerHealthRoutes(context);
  controllers::registerPageRoutes(context);
  api::registerApiRoutes(context);
}

}  // namespace bookstore::web
