#include "web/controllers/api/api.h"

#include <drogon/HttpAppFramework.h>

#include "web/json.h"

namespace bookstore::web::api {

void registerApiRoutes(const app::ContextPtr& ctx) {
  registerAccountRoutes(ctx);
  registerBookRoutes(ctx);
  registerPurchaseRoutes(ctx);
  registerOpenApiRoute(ctx);
}

}  // namespace bookstore::web::api
