#pragma once

#include <drogon/HttpAppFramework.h>
#include <drogon/HttpRequest.h>
#include <drogon/HttpResponse.h>
#include <drogon/HttpTypes.h>
#include <drogon/utils/coroutine.h>

#include <functional>
#include <string>
#include <vector>

#include "web/web_context.h"

namespace bookstore::web {

using Response = drogon::HttpResponsePtr;
using Request = drogon::HttpRequestPtr;
using RouteHandler = std::function<drogon::Task<Response>(Request)>;
using RouteHandlerWithId = std::function<drogon::Task<Response>(Request, std::string)>;
using Methods = std::vector<drogon::internal::HttpConstraint>;

// Registers a route whose handler needs the database. Before the handler runs,
// a replica with no database connection answers 503 at once; afterwards a lost
// or timed-out database becomes 503 and anything unexpected a 500 (logged,
// never shown). Pages get HTML error pages, API routes JSON errors.
// Register each path once, with all its methods: the other methods of the
// path are registered here to answer 405 with an Allow header.
void addPage(const ContextPtr& ctx, const std::string& path, RouteHandler handler, Methods methods);
void addPage(const ContextPtr& ctx, const std::string& path, RouteHandlerWithId handler,
             Methods methods);
void addApi(const ContextPtr& ctx, const std::string& path, RouteHandler handler, Methods methods);
void addApi(const ContextPtr& ctx, const std::string& path, RouteHandlerWithId handler,
            Methods methods);

Response redirectTo(const std::string& location);

// The handler name of the 405 answers registered beside every route.
inline constexpr const char* kMethodNotAllowedHandler = "method-not-allowed";

}  // namespace bookstore::web
