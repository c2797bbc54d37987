#pragma once

#include "web/web_context.h"

namespace bookstore::web::api {

// The JSON API of API.md under /api/v1, and its OpenAPI document.
void registerApiRoutes(const ContextPtr& ctx);

void registerAccountRoutes(const ContextPtr& ctx);
void registerBookRoutes(const ContextPtr& ctx);
void registerPurchaseRoutes(const ContextPtr& ctx);
void registerOpenApiRoute();

}  // namespace bookstore::web::api
