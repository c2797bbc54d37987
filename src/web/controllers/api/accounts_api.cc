// POST /api/v1/users, POST /api/v1/tokens, DELETE /api/v1/tokens/current,
// GET /api/v1/me, GET /api/v1/users (admin).
#include "services/access.h"
#include "web/controllers/api/api_support.h"
#include "web/controllers/route_groups.h"
#include "web/request_info.h"

namespace bookstore::web::api {
namespace {

drogon::Task<Response> listUsers(ContextPtr ctx, Request req) {
  auto user = co_await bearerUser(*ctx, req);
  if (!user) co_return unauthorized();
  // Before the paging: a non-administrator learns nothing from the query.
  if (auto allowed = services::requireAdmin(*user); !allowed)
    co_return jsonErrorFor(allowed.error());
  auto pg = paging(req);
  if (!pg) co_return jsonErrorFor(pg.error());
  auto users = co_await ctx->accounts->listUsers(*user, pg->page, pg->perPage);
  if (!users) co_return jsonErrorFor(users.error());
  co_return jsonResponse(listJson(*users, *pg, userJson));
}

drogon::Task<Response> registerUser(ContextPtr ctx, Request req) {
  auto body = jsonBody(req);
  if (!body) co_return jsonErrorFor(body.error());
  domain::UserInput input{stringField(*body, "name").value_or(""),
                          stringField(*body, "email").value_or(""),
                          stringField(*body, "password").value_or("")};
  std::string address = clientAddress(req, ctx->settings.trustedProxies);
  auto registered = co_await ctx->accounts->registerUser(std::move(input), std::move(address));
  if (!registered) co_return jsonErrorFor(registered.error());
  auto resp = jsonResponse(userJson(*registered), drogon::k201Created);
  resp->addHeader("Location", "/api/v1/me");
  co_return resp;
}

drogon::Task<Response> issueToken(ContextPtr ctx, Request req) {
  auto body = jsonBody(req);
  if (!body) co_return jsonErrorFor(body.error());
  auto email = stringField(*body, "email");
  auto password = stringField(*body, "password");
  domain::FieldErrors missing;
  if (!email || email->empty()) missing.push_back({"email", "required", "is required", ""});
  if (!password || password->empty()) {
    missing.push_back({"password", "required", "is required", ""});
  }
  if (!missing.empty()) co_return jsonErrorFor(services::invalidFields(std::move(missing)));
  std::string address = clientAddress(req, ctx->settings.trustedProxies);
  auto user =
      co_await ctx->accounts->login(std::move(*email), std::move(*password), std::move(address));
  if (!user) co_return jsonErrorFor(user.error());
  const auto issued = co_await ctx->accounts->issueToken(user->id);
  Json::Value out;
  out["token"] = issued.token;
  out["expires_at"] = utcTimestamp(issued.expiresAt);
  out["user"] = userJson(*user);
  co_return jsonResponse(out, drogon::k201Created);
}

drogon::Task<Response> revokeToken(ContextPtr ctx, Request req) {
  auto token = bearerToken(req);
  if (token.empty()) co_return unauthorized();
  const bool revoked = co_await ctx->accounts->revokeToken(std::move(token));
  if (!revoked) co_return unauthorized();
  auto resp = drogon::HttpResponse::newHttpResponse();
  resp->setStatusCode(drogon::k204NoContent);
  co_return resp;
}

drogon::Task<Response> me(ContextPtr ctx, Request req) {
  auto user = co_await bearerUser(*ctx, req);
  if (!user) co_return unauthorized();
  co_return jsonResponse(userJson(*user));
}

}  // namespace

void registerAccountRoutes(const ContextPtr& ctx) {
  addApi(ctx, "/api/v1/users",
         [ctx](Request req) {
           return req->method() == drogon::Get ? listUsers(ctx, std::move(req))
                                               : registerUser(ctx, std::move(req));
         },
         {drogon::Get, drogon::Post});
  addApi(ctx, "/api/v1/tokens", [ctx](Request req) { return issueToken(ctx, std::move(req)); },
         {drogon::Post});
  addApi(ctx, "/api/v1/tokens/current",
         [ctx](Request req) { return revokeToken(ctx, std::move(req)); }, {drogon::Delete});
  addApi(ctx, "/api/v1/me", [ctx](Request req) { return me(ctx, std::move(req)); }, {drogon::Get});
}

}  // namespace bookstore::web::api
