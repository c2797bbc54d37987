// POST /api/v1/users, POST /api/v1/tokens, DELETE /api/v1/tokens/current,
// GET /api/v1/me, GET /api/v1/users (admin).
#include "domain/tokens.h"
#include "services/accounts.h"
#include "web/controllers/api/api.h"
#include "web/controllers/api/api_support.h"
#include "web/request_info.h"

namespace bookstore::web::api {

void registerAccountRoutes(const app::ContextPtr& ctx) {
  addApi(ctx, "/api/v1/users",
         [ctx](Request req) -> drogon::Task<Response> {
           if (req->method() == drogon::Get) {
             auto user = co_await bearerUser(*ctx, req);
             if (!user) co_return unauthorized();
             if (!user->isAdmin) co_return forbidden();
             auto pg = paging(req);
             if (auto* error = std::get_if<Response>(&pg)) co_return *error;
             const auto& p = std::get<Paging>(pg);
             auto users = co_await ctx->users->list(p.page, p.perPage);
             co_return jsonResponse(listJson(users, p, userJson));
           }
           auto parsed = jsonBody(req);
           if (auto* error = std::get_if<Response>(&parsed)) co_return *error;
           const auto& body = std::get<Json::Value>(parsed);
           domain::UserInput input{stringField(body, "name").value_or(""),
                                   stringField(body, "email").value_or(""),
                                   stringField(body, "password").value_or("")};
           auto result = co_await services::registerUser(*ctx, std::move(input));
           if (!result.errors.empty()) co_return validationFailed(fieldsFrom(result.errors));
           if (result.emailTaken)
             co_return conflict("conflict", "This email is already registered.");
           auto resp = jsonResponse(userJson(*result.user), drogon::k201Created);
           resp->addHeader("Location", "/api/v1/me");
           co_return resp;
         },
         {drogon::Get, drogon::Post});

  addApi(ctx, "/api/v1/tokens",
         [ctx](Request req) -> drogon::Task<Response> {
           auto parsed = jsonBody(req);
           if (auto* error = std::get_if<Response>(&parsed)) co_return *error;
           const auto& body = std::get<Json::Value>(parsed);
           auto email = stringField(body, "email");
           auto password = stringField(body, "password");
           Json::Value fields;
           if (!email || email->empty()) fields["email"] = "is required";
           if (!password || password->empty()) fields["password"] = "is required";
           if (!fields.empty()) co_return validationFailed(fields);
           auto result = co_await services::login(*ctx, *email, *password,
                                                  clientAddress(req, ctx->config.trustedProxies));
           if (result.outcome == services::LoginOutcome::kThrottled) {
             auto resp = jsonError(drogon::k429TooManyRequests, "too_many_requests",
                                   "Too many failed logins; try again in a few minutes.");
             resp->addHeader("Retry-After", std::to_string(services::kThrottleWindowSeconds));
             co_return resp;
           }
           if (result.outcome != services::LoginOutcome::kOk) {
             co_return jsonError(drogon::k401Unauthorized, "unauthorized",
                                 "Wrong email or password.");
           }
           const auto token = domain::randomToken(32);
           co_await ctx->auth->createToken(domain::sha256Hex(token), result.user->id);
           Json::Value out;
           out["token"] = token;
           out["user"] = userJson(*result.user);
           co_return jsonResponse(out, drogon::k201Created);
         },
         {drogon::Post});

  addApi(ctx, "/api/v1/tokens/current",
         [ctx](Request req) -> drogon::Task<Response> {
           auto token = bearerToken(req);
           if (token.empty()) co_return unauthorized();
           const bool deleted = co_await ctx->auth->deleteToken(domain::sha256Hex(token));
           if (!deleted) co_return unauthorized();
           auto resp = drogon::HttpResponse::newHttpResponse();
           resp->setStatusCode(drogon::k204NoContent);
           co_return resp;
         },
         {drogon::Delete});

  addApi(ctx, "/api/v1/me",
         [ctx](Request req) -> drogon::Task<Response> {
           auto user = co_await bearerUser(*ctx, req);
           if (!user) co_return unauthorized();
           co_return jsonResponse(userJson(*user));
         },
         {drogon::Get});
}

}  // namespace bookstore::web::api
