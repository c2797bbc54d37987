#pragma once

#include "web/web_context.h"

namespace bookstore::web {

// GET /health (readiness: database, upload folder, not draining; 503 naming the
// failing check, answered within kHealthTimeout even when a check hangs) and
// GET /health/live (liveness: 200 while the process serves).
void registerHealthRoutes(const ContextPtr& context);

}  // namespace bookstore::web
