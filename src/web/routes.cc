#include "web/routes.h"

#include "web/controllers/static_assets.h"

namespace bookstore::web {

void registerRoutes(const app::ContextPtr& context) {
  controllers::registerStaticAssets(context);
}

}  // namespace bookstore::web
