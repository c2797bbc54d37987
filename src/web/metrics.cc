#include "web/metrics.h"

#include <drogon/HttpAppFramework.h>
#include <drogon/plugins/PromExporter.h>
#include <drogon/utils/monitoring/Collector.h>
#include <drogon/utils/monitoring/Counter.h>
#include <drogon/utils/monitoring/Histogram.h>

#include <functional>
#include <memory>

#include "web/errors.h"

namespace bookstore::web {
namespace {

using drogon::monitoring::Collector;
using drogon::monitoring::Counter;
using drogon::monitoring::Histogram;
using drogon::monitoring::Metric;
using drogon::monitoring::Sample;

// A value read when /metrics is scraped (Drogon's Gauge and Counter hold
// values set by the code; these are figures the server already keeps).
template <const char* kType>
class LiveValue : public Metric {
 public:
  LiveValue(const std::string& name, const std::vector<std::string>& labelNames,
            const std::vector<std::string>& labelValues, std::function<double()> read)
      : Metric(name, labelNames, labelValues), read_(std::move(read)) {}
  static std::string_view type() { return kType; }
  std::vector<Sample> collect() const override {
    Sample sample;
    sample.name = name_;
    sample.value = read_();
    return {sample};
  }

 private:
  std::function<double()> read_;
};

constexpr char kGauge[] = "gauge";
constexpr char kCounter[] = "counter";
using LiveGauge = LiveValue<kGauge>;
using LiveCounter = LiveValue<kCounter>;

// Upper bounds in seconds: a cached catalog page answers in well under a
// millisecond, a password check takes tens, a database timeout seconds.
const std::vector<double> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};

struct RequestCollectors {
  std::shared_ptr<Collector<Counter>> requests = std::make_shared<Collector<Counter>>(
      "bookstore_http_requests_total", "Requests answered, by route, method and status class",
      std::vector<std::string>{"route", "method", "status_class"});
  std::shared_ptr<Collector<Histogram>> latency = std::make_shared<Collector<Histogram>>(
      "bookstore_http_request_duration_seconds", "Time from routing to the answer, by route",
      std::vector<std::string>{"route"});
};

RequestCollectors& requestCollectors() {
  static auto* collectors = new RequestCollectors();  // used until the process exits
  return *collectors;
}

std::string statusClass(int status) {
  return std::to_string(status / 100) + "xx";
}

template <typename T>
std::shared_ptr<Collector<T>> liveCollector(const std::string& name, const std::string& help,
                                            std::function<double()> read) {
  auto collector = std::make_shared<Collector<T>>(name, help, std::vector<std::string>{});
  collector->metric({}, std::move(read));
  return collector;
}

void registerCollectors(const ContextPtr& context) {
  auto* exporter = drogon::app().getPlugin<drogon::plugin::PromExporter>();
  auto& requests = requestCollectors();
  exporter->registerCollector(requests.requests);
  exporter->registerCollector(requests.latency);
  const auto drain = context->drain;
  const auto readiness = context->readiness;
  const auto catalog = context->catalog;
  exporter->registerCollector(
      liveCollector<LiveGauge>("bookstore_http_requests_in_flight", "Requests being served now",
                               [drain] { return static_cast<double>(drain->inFlight()); }));
  exporter->registerCollector(
      liveCollector<LiveGauge>("bookstore_draining", "1 once SIGTERM began the drain",
                               [drain] { return drain->draining() ? 1.0 : 0.0; }));
  exporter->registerCollector(liveCollector<LiveGauge>(
      "bookstore_database_up", "1 while the database gate lets requests through", [readiness] {
        return readiness->databaseState() == services::Readiness::kDatabaseOk ? 1.0 : 0.0;
      }));
  auto pool = std::make_shared<Collector<LiveGauge>>(
      "bookstore_db_pool_connections", "Database connections in use by this process, and idle",
      std::vector<std::string>{"state"});
  pool->metric({"in_use"},
               [readiness] { return static_cast<double>(readiness->databasePool().inUse); });
  pool->metric({"idle"},
               [readiness] { return static_cast<double>(readiness->databasePool().idle); });
  exporter->registerCollector(pool);
  exporter->registerCollector(liveCollector<LiveGauge>(
      "bookstore_db_waiting_queries", "Statements and transactions waiting for a connection",
      [readiness] { return static_cast<double>(readiness->databasePool().waiting); }));
  exporter->registerCollector(liveCollector<LiveCounter>(
      "bookstore_catalog_cache_hits_total",
      "Catalog answers (rendered pages, lists, books) found in the catalog cache",
      [catalog] { return static_cast<double>(catalog->cacheStats().hits); }));
  exporter->registerCollector(liveCollector<LiveCounter>(
      "bookstore_catalog_cache_misses_total",
      "Catalog answers not in the catalog cache (built from cached parts or the database)",
      [catalog] { return static_cast<double>(catalog->cacheStats().misses); }));
  exporter->registerCollector(liveCollector<LiveCounter>(
      "bookstore_catalog_cache_entry_hits_total",
      "Lookups of any catalog cache entry (books, page ids, totals, answers) that found it",
      [catalog] { return static_cast<double>(catalog->cacheStats().entryHits); }));
  exporter->registerCollector(liveCollector<LiveCounter>(
      "bookstore_catalog_cache_entry_misses_total",
      "Lookups of any catalog cache entry that did not find it (or found it stale)",
      [catalog] { return static_cast<double>(catalog->cacheStats().entryMisses); }));
  exporter->registerCollector(liveCollector<LiveCounter>(
      "bookstore_catalog_cache_evictions_total",
      "Catalog cache entries evicted to stay within CATALOG_CACHE_MB",
      [catalog] { return static_cast<double>(catalog->cacheStats().evictions); }));
  exporter->registerCollector(liveCollector<LiveGauge>(
      "bookstore_catalog_cache_bytes", "Memory the catalog cache's entries take (estimated)",
      [catalog] { return static_cast<double>(catalog->cacheStats().bytes); }));
  exporter->registerCollector(liveCollector<LiveGauge>(
      "bookstore_catalog_cache_entries", "Entries in the catalog cache",
      [catalog] { return static_cast<double>(catalog->cacheStats().entries); }));
  exporter->registerCollector(liveCollector<LiveCounter>(
      "bookstore_catalog_cache_drops_total",
      "Times the catalog cache dropped everything (a change-log gap given up, an idle resync)",
      [catalog] { return static_cast<double>(catalog->cacheStats().dropsAll); }));
  exporter->registerCollector(liveCollector<LiveCounter>(
      "bookstore_catalog_change_polls_total", "Reads of the catalog change log",
      [catalog] { return static_cast<double>(catalog->cacheStats().polls); }));
  exporter->registerCollector(liveCollector<LiveCounter>(
      "bookstore_catalog_changes_applied_total",
      "Catalog change-log rows this replica applied to its cache",
      [catalog] { return static_cast<double>(catalog->cacheStats().changes); }));
}

}  // namespace

void installMetrics(const ContextPtr& context, MetricsExposure exposure) {
  auto& app = drogon::app();
  Json::Value pluginConfig;
  pluginConfig["path"] = "/metrics";
  app.addPlugin(drogon::plugin::PromExporter::classTypeName(), {}, pluginConfig);
  app.registerBeginningAdvice([context] { registerCollectors(context); });
  app.registerPreRoutingAdvice([exposure](const drogon::HttpRequestPtr& req,
                                          drogon::AdviceCallback&& refuse,
                                          drogon::AdviceChainCallback&& next) {
    const bool metricsPath = req->path() == "/metrics";
    const bool privateListener =
        exposure.privatePort != 0 && req->localAddr().toPort() == exposure.privatePort;
    if (privateListener ? !metricsPath : (metricsPath && !exposure.publicListener)) {
      refuse(errorFor(req, drogon::k404NotFound));
      return;
    }
    next();
  });
  if (exposure.privatePort != 0) {
    // Keeping this port private is the network's job (the container's port
    // is not published to the internet; see deploy/README.md).
    app.addListener(exposure.privateHost, exposure.privatePort);
  }
}

RouteMeter::RouteMeter(std::string route)
    : route_(std::move(route)),
      latency_(requestCollectors().latency->metric(
          {route_}, kLatencyBuckets, std::chrono::seconds(0), 1, drogon::app().getLoop())) {}

void RouteMeter::record(const drogon::HttpRequestPtr& req, const drogon::HttpResponsePtr& resp,
                        std::chrono::steady_clock::time_point started) const {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  const int status = resp ? static_cast<int>(resp->statusCode()) : 500;
  requestCollectors()
      .requests->metric({route_, std::string(req->methodString()), statusClass(status)})
      ->increment();
  latency_->observe(elapsed.count());
}

}  // namespace bookstore::web
