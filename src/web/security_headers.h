#pragma once

#include <drogon/HttpRequest.h>
#include <drogon/HttpResponse.h>

#include "config/trusted_proxies.h"

namespace bookstore::web {

// The Content-Security-Policy every response carries: resources from this
// origin only, no inline script or style (the views have none: their styles
// are in /static/app.css), images also as data: URIs (Bootstrap's icons), no
// plugins, forms posting only here, and no framing by any page.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

// Sets the security headers on `resp`: Content-Security-Policy,
// X-Content-Type-Options: nosniff, Referrer-Policy: same-origin,
// X-Frame-Options: DENY, and Strict-Transport-Security when the request came
// over HTTPS (directly or as a trusted proxy's X-Forwarded-Proto says).
void addSecurityHeaders(const drogon::HttpRequestPtr& req, const drogon::HttpResponsePtr& resp,
                        const config::TrustedProxies& trusted);

// Registers a pre-sending advice that calls addSecurityHeaders on every
// response Drogon sends after routing: pages, the API, error pages (the
// framework's own 404/405 through the custom error handler, the route guard's
// 503), static files and covers.
void installSecurityHeaders(config::TrustedProxies trusted);

}  // namespace bookstore::web
