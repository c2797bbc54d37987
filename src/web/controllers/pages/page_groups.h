// Each group of pages registers its own routes; pages.cc calls them all.
#pragma once

#include "web/web_context.h"

namespace bookstore::web::pages {

void registerAccountPages(const ContextPtr& ctx);
void registerCatalogPages(const ContextPtr& ctx);
void registerBookFormPages(const ContextPtr& ctx);
void registerBuyingPages(const ContextPtr& ctx);
void registerAdminPages(const ContextPtr& ctx);

}  // namespace bookstore::web::pages
