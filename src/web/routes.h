#pragma once

#include "web/web_context.h"

namespace bookstore::web {

// Registers every route (/health, static assets, pages and the API) and the
// security headers every response carries (web/security_headers.h).
void registerRoutes(const ContextPtr& context);

}  // namespace bookstore::web
