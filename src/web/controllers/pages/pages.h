#pragma once

#include "app/context.h"

namespace bookstore::web::controllers {

// The server-rendered HTML pages (BOOKSTORE.md §2).
void registerPageRoutes(const app::ContextPtr& ctx);

}  // namespace bookstore::web::controllers
