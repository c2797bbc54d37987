// Each group of pages registers its own routes; pages.cc calls them all.
#pragma once

#include "app/context.h"

namespace bookstore::web::pages {

void registerAccountPages(const app::ContextPtr& ctx);
void registerCatalogPages(const app::ContextPtr& ctx);
void registerBookFormPages(const app::ContextPtr& ctx);
void registerBuyingPages(const app::ContextPtr& ctx);
void registerAdminPages(const app::ContextPtr& ctx);

}  // namespace bookstore::web::pages
