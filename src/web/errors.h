#pragma once

#include <drogon/HttpRequest.h>
#include <drogon/HttpResponse.h>

#include <string_view>

#include "web/views/layout.h"

namespace bookstore::web {

bool isApiRequest(const drogon::HttpRequestPtr& req);

// The Spanish sentence shown on an error page, and the API code, per status.
std::string_view errorMessageEs(drogon::HttpStatusCode status);
std::string_view errorCode(drogon::HttpStatusCode status);
std::string_view errorMessageEn(drogon::HttpStatusCode status);

drogon::HttpResponsePtr htmlError(drogon::HttpStatusCode status, std::string_view message = {},
                                  const views::PageFrame& frame = {});

// HTML page or JSON error depending on where the request went; used for the
// framework's own errors (404 of unknown paths, 405, 413, ...).
drogon::HttpResponsePtr errorFor(const drogon::HttpRequestPtr& req, drogon::HttpStatusCode status);

}  // namespace bookstore::web
