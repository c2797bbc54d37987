#pragma once

#include "web/web_context.h"

namespace bookstore::web {

// GET /health: readiness of this replica for the load balancer. 503 (naming
// the failing check) only for reasons of its own: draining, upload folder not
// writable, an event loop not answering within kHealthTimeout. The shared
// database is reported in the body but never fails it: when the one database
// is down every replica would fail at once, and the Auto Scaling group (or
// Kubernetes) would replace them all (ARCHITECTURE.md, "Health").
// GET /health/live: liveness, 200 while the process serves.
void registerHealthRoutes(const ContextPtr& context);

}  // namespace bookstore::web
