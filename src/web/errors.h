// Every error response is made here: the framework's own (404 of unknown
// paths, 405, 413, 503 of the route guard) by status, and use-case refusals
// (services::Error) mapped once to an HTML page and once to the JSON error of
// API.md.
#pragma once

#include <drogon/HttpRequest.h>
#include <drogon/HttpResponse.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/outcome.h"
#include "web/i18n/messages.h"
#include "web/views/layout.h"

namespace bookstore::web {

bool isApiRequest(const drogon::HttpRequestPtr& req);

drogon::HttpResponsePtr htmlError(drogon::HttpStatusCode status, std::string_view message = {},
                                  const views::PageFrame& frame = {});

// The error page or JSON error of a bare status (its standard wording).
drogon::HttpResponsePtr statusError(bool api, drogon::HttpStatusCode status,
                                    i18n::Lang lang = i18n::Lang::kEs);
// statusError, HTML or JSON depending on where the request went.
drogon::HttpResponsePtr errorFor(const drogon::HttpRequestPtr& req, drogon::HttpStatusCode status);

// The language of a request's pages: the switch's cookie, else its
// Accept-Language (Spanish by default).
i18n::Lang languageOf(const drogon::HttpRequestPtr& req);

// How a page shows a refusal: its status and the sentence in `lang`.
struct HtmlRefusal {
  drogon::HttpStatusCode status;
  std::string message;
};
HtmlRefusal htmlRefusalFor(const services::Error& error, i18n::Lang lang = i18n::Lang::kEs);

// The Retry-After (seconds) a refusal's answer carries, page or API: the
// per-seller quotas (kThrottled's is the API's own).
std::optional<int64_t> retryAfterOf(const services::Error& error);

// The JSON error of a refusal (status, code, message, fields, headers).
drogon::HttpResponsePtr jsonErrorFor(const services::Error& error);

}  // namespace bookstore::web
