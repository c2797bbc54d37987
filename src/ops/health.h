#pragma once

#include "app/context.h"

namespace bookstore::ops {

// GET /health (readiness: database, upload folder, not draining; 503 naming the
// failing check, answered within kHealthTimeout even when a check hangs) and
// GET /health/live (liveness: 200 while the process serves).
void registerHealthRoutes(const app::ContextPtr& context);

}  // namespace bookstore::ops
