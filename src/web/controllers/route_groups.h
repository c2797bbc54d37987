// Each group of routes registers itself; web/routes.cc calls them all.
#pragma once

#include "web/web_context.h"

namespace bookstore::web {

namespace pages {  // the server-rendered HTML pages (BOOKSTORE.md §2)
void registerAccountPages(const ContextPtr& ctx);
void registerCatalogPages(const ContextPtr& ctx);
void registerBookFormPages(const ContextPtr& ctx);
void registerBuyingPages(const ContextPtr& ctx);
void registerAdminPages(const ContextPtr& ctx);
}  // namespace pages

namespace api {  // the JSON API of API.md under /api/v1, and its OpenAPI document
void registerAccountRoutes(const ContextPtr& ctx);
void registerBookRoutes(const ContextPtr& ctx);
void registerPurchaseRoutes(const ContextPtr& ctx);
void registerOpenApiRoute();
}  // namespace api

}  // namespace bookstore::web
