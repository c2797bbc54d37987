#pragma once

#include <drogon/HttpRequest.h>

#include <functional>
#include <memory>
#include <string>

#include "ops/drain.h"

namespace bookstore::ops {

// How the request log names a request's client (the HTTP layer knows which
// proxies to believe).
using ClientAddressFn = std::function<std::string(const drogon::HttpRequestPtr&)>;

struct RequestLogSettings {
  bool enabled = true;  // LOG_LEVEL INFO or more verbose
  bool json = false;    // LOG_FORMAT=json: one JSON object per line
  std::string replicaId;
  ClientAddressFn clientAddress;
};

// Counts in-flight requests, writes one access-log line per request (method,
// path, status, duration, replica) and, once draining, asks clients to close
// their connections so they reconnect to another replica. The lines are
// buffered: written to stdout every 100 ms, every 32 KB and at exit.
void installRequestAdvices(std::shared_ptr<DrainState> drain, RequestLogSettings log);

// Writes out the request lines buffered so far. Any thread; serve() calls it
// once the event loops have stopped, and it is registered with atexit().
void flushRequestLog();

// SIGTERM/SIGINT: /health turns 503 at once; requests keep being served for
// `graceSeconds`; then the server waits for in-flight requests and quits
// (exit code 0). Drogon's own quit() would not wait for them.
void installGracefulDrain(std::shared_ptr<DrainState> drain, int graceSeconds);

}  // namespace bookstore::ops
