#pragma once

#include "app/context.h"

namespace bookstore::web::api {

// The JSON API of API.md under /api/v1, and its OpenAPI document.
void registerApiRoutes(const app::ContextPtr& ctx);

void registerAccountRoutes(const app::ContextPtr& ctx);
void registerBookRoutes(const app::ContextPtr& ctx);
void registerPurchaseRoutes(const app::ContextPtr& ctx);
void registerOpenApiRoute(const app::ContextPtr& ctx);

}  // namespace bookstore::web::api
