#pragma once

#include "web/web_context.h"

namespace bookstore::web::controllers {

// The server-rendered HTML pages (BOOKSTORE.md §2).
void registerPageRoutes(const ContextPtr& ctx);

}  // namespace bookstore::web::controllers
