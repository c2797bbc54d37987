#pragma once

#include <drogon/HttpRequest.h>
#include <drogon/utils/coroutine.h>
#include <json/value.h>

#include <functional>
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

// What a keyed call's work answered. `stored`: its answer is already stored
// (a purchase stores it in its own transaction).
struct KeyedResponse {
  Response response;
  bool stored = false;
};
// The work of a call that accepts an `Idempotency-Key`: given the key's hold
// when the request carries one.
using KeyedWork = std::function<drogon::Task<KeyedResponse>(std::optional<db::KeyClaim>)>;
// API.md "Retries are safe", for `userId`'s request: without the header the
// work just runs; with a valid key (else 422 naming the header) the first
// request runs and its answer (any status below 500) is stored, a repeat of
// the same method, path and body replays it (`Idempotent-Replayed: true`),
// another request under the key is 422 `idempotency_key_reused`, and a
// repeat while the first runs is 409 `conflict` with Retry-After. A failure
// (an exception, a 5xx) stores nothing, so a retry runs again.
drogon::Task<Response> keyedCall(const WebContext& ctx, Request req, int64_t userId,
                                 KeyedWork work);

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
