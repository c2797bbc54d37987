#include "web/controllers/pages/pages.h"

#include "web/controllers/pages/page_groups.h"

namespace bookstore::web::controllers {

void registerPageRoutes(const ContextPtr& ctx) {
  pages::registerAccountPages(ctx);
  pages::registerCatalogPages(ctx);
  pages::registerBookFormPages(ctx);
  pages::registerBuyingPages(ctx);
  pages::registerAdminPages(ctx);
}

}  // namespace bookstore::web::controllers
