#pragma once

#include "web/web_context.h"

namespace bookstore::web {

// Registers every route: /health, static assets, pages and the API.
void registerRoutes(const ContextPtr& context);

}  // namespace bookstore::web
