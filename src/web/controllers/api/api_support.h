#pragma once

#include <drogon/HttpRequest.h>
#include <drogon/utils/coroutine.h>
#include <json/value.h>

#include <optional>
#include <string>

#include "db/models.h"
#include "services/outcome.h"
#include "web/errors.h"
#include "web/json.h"
#include "web/json_input.h"
#include "web/routing.h"

namespace bookstore::web::api {

// The caller of an API request, from `Authorization: Bearer <token>`.
drogon::Task<std::optional<db::User>> bearerUser(const WebContext& ctx, Request req);
// The raw token of the request ("" when none).
std::string bearerToken(const Request& req);

// The request body as a JSON object (else kMalformedRequest).
services::Outcome<Json::Value> jsonBody(const Request& req);

struct Paging {
  int64_t page = 1;
  int64_t perPage = 20;
};
// ?page=&per_page= (per_page at most 100), else kInvalidFields.
services::Outcome<Paging> paging(const Request& req);

// The 401 of a request without a valid bearer token.
Response unauthorized();

Json::Value userJson(const db::User& user);
Json::Value bookJson(const db::Book& book);
Json::Value purchaseJson(const db::Purchase& purchase);
Json::Value providerJson(const db::Provider& provider);

template <typename T, typename ToJson>
Json::Value listJson(const db::Page<T>& page, const Paging& paging, ToJson toJson) {
  Json::Value body;
  body["items"] = Json::Value(Json::arrayValue);
  for (const auto& item : page.items) body["items"].append(toJson(item));
  body["page"] = static_cast<Json::Int64>(paging.page);
  body["per_page"] = static_cast<Json::Int64>(paging.perPage);
  body["total"] = static_cast<Json::Int64>(page.total);
  return body;
}

}  // namespace bookstore::web::api
