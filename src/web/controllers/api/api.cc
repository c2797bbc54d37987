#include "web/controllers/api/api.h"

#include <drogon/HttpAppFramework.h>

#include "web/json.h"

namespace bookstore::web::api {

void registerApiRoutes(const ContextPtr& ctx) {
  registerAccountRoutes(ctx);
  registerBookRoutes(ctx);
  registerPurchaseRoutes(ctx);
  registerOpenApiRoute();
}

}  // namespace bookstore::web::api
