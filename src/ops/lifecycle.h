#pragma once

#include "app/context.h"

namespace bookstore::ops {

// Counts in-flight requests, writes one access-log line per request (method,
// path, status, duration, replica) and, once draining, asks clients to close
// their connections so they reconnect to another replica. The lines are
// buffered: written to stdout every 100 ms, every 32 KB and at exit.
void installRequestAdvices(const app::ContextPtr& context);

// Writes out the request lines buffered so far. Any thread; serve() calls it
// once the event loops have stopped, and it is registered with atexit().
void flushRequestLog();

// SIGTERM/SIGINT: /health turns 503 at once; requests keep being served for
// SHUTDOWN_GRACE_SECONDS; then the server waits for in-flight requests and
// quits (exit code 0). Drogon's own quit() would not wait for them.
void installGracefulDrain(const app::ContextPtr& context);

}  // namespace bookstore::ops
