#pragma once

#include "app/context.h"

namespace bookstore::ops {

// Counts in-flight requests, writes one access-log line per request (method,
// path, status, duration, replica) and, once draining, asks clients to close
// their connections so they reconnect to another replica.
void installRequestAdvices(const app::ContextPtr& context);

// SIGTERM/SIGINT: /health turns 503 at once; requests keep being served for
// SHUTDOWN_GRACE_SECONDS; then the server waits for in-flight requests and
// quits (exit code 0). Drogon's own quit() would not wait for them.
void installGracefulDrain(const app::ContextPtr& context);

}  // namespace bookstore::ops
