#pragma once

#include <drogon/HttpRequest.h>
#include <drogon/HttpResponse.h>

#include <drogon/utils/monitoring/Histogram.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "web/web_context.h"

namespace bookstore::web {

// Where /metrics is served: on the public listener only when `publicListener`
// (METRICS_PUBLIC); on `privatePort` (METRICS_PORT, 0: none), a listener that
// serves nothing else.
struct MetricsExposure {
  bool publicListener = false;
  std::string privateHost = "0.0.0.0";
  uint16_t privatePort = 0;
};

// GET /metrics in Prometheus text through Drogon's PromExporter plugin:
// requests by route, method and status class, a latency histogram per route,
// requests in flight, the database gate and the catalog cache, drain state.
// Call before app().run().
void installMetrics(const ContextPtr& context, MetricsExposure exposure);

// The figures of one route registered through web/routing (its pattern, not
// the requested path, is the label: the series stay few).
class RouteMeter {
 public:
  explicit RouteMeter(std::string route);
  // Counts one answered request that began at `started`.
  void record(const drogon::HttpRequestPtr& req, const drogon::HttpResponsePtr& resp,
              std::chrono::steady_clock::time_point started) const;

 private:
  std::string route_;
  std::shared_ptr<drogon::monitoring::Histogram> latency_;
};

}  // namespace bookstore::web
