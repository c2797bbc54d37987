#pragma once

#include <drogon/HttpResponse.h>
#include <json/value.h>

#include <cstdint>
#include <string_view>

namespace bookstore::web {

// A money amount as a JSON number with at most two decimals: whole amounts as
// integers (1000), others printed with two decimals at most (12.5, 19.99).
Json::Value moneyJson(int64_t cents);

// Unix seconds as the API writes times: "2026-12-01T23:12:28Z" (UTC).
std::string utcTimestamp(int64_t unixSeconds);

// Serialises compactly; numbers keep at most two decimals (only money is fractional).
std::string toJsonText(const Json::Value& value);

drogon::HttpResponsePtr jsonResponse(const Json::Value& body,
                                     drogon::HttpStatusCode status = drogon::k200OK);
// A response with JSON already serialised by toJsonText.
drogon::HttpResponsePtr jsonTextResponse(std::string text,
                                         drogon::HttpStatusCode status = drogon::k200OK);

// {"error": {"code", "message", "fields"?}} as API.md specifies.
drogon::HttpResponsePtr jsonError(drogon::HttpStatusCode status, std::string_view code,
                                  std::string_view message, const Json::Value& fields = {});

}  // namespace bookstore::web
