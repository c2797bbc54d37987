#include "web/security_headers.h"

#include <drogon/HttpAppFramework.h>

#include <string>
#include <utility>

#include "web/request_info.h"

namespace bookstore::web {
namespace {

// A year, subdomains included: set only on responses that came over HTTPS.
constexpr const char* kStrictTransportSecurity = "max-age=31536000; includeSubDomains";

}  // namespace

void addSecurityHeaders(const drogon::HttpRequestPtr& req, const drogon::HttpResponsePtr& resp,
                        const config::TrustedProxies& trusted) {
  // Built once: the advice runs on every response.
  static const std::string csp = kContentSecurityPolicy;
  static const std::string nosniff = "nosniff";
  static const std::string sameOrigin = "same-origin";
  static const std::string deny = "DENY";
  static const std::string hsts = kStrictTransportSecurity;
  resp->addHeader("Content-Security-Policy", csp);
  resp->addHeader("X-Content-Type-Options", nosniff);
  resp->addHeader("Referrer-Policy", sameOrigin);
  resp->addHeader("X-Frame-Options", deny);
  if (req && cameOverHttps(req, trusted)) resp->addHeader("Strict-Transport-Security", hsts);
}

void installSecurityHeaders(config::TrustedProxies trusted) {
  drogon::app().registerPreSendingAdvice(
      [trusted = std::move(trusted)](const drogon::HttpRequestPtr& req,
                                     const drogon::HttpResponsePtr& resp) {
        addSecurityHeaders(req, resp, trusted);
      });
}

}  // namespace bookstore::web
