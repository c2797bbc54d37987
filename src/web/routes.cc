#include "web/routes.h"

#include "web/controllers/api/api.h"
#include "web/controllers/pages/pages.h"
#include "web/controllers/static_assets.h"

namespace bookstore::web {

void registerRoutes(const app::ContextPtr& context) {
  controllers::registerStaticAssets(context);
  controllers::registerPageRoutes(context);
  api::registerApiRoutes(context);
}

}  // namespace bookstore::web
