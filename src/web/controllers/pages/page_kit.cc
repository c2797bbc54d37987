#include "web/controllers/pages/page_kit.h"

#include "web/errors.h"
#include "web/views/page_parts.h"

namespace bookstore::web::pages {

Response htmlPage(const Visitor& visitor, std::string body, drogon::HttpStatusCode status) {
  auto resp = drogon::HttpResponse::newHttpResponse();
  resp->setStatusCode(status);
  resp->setContentTypeString("text/html; charset=utf-8");
  resp->setBody(std::move(body));
  finishResponse(visitor, resp);
  return resp;
}

Response errorPage(const WebContext& ctx, const Visitor& visitor, drogon::HttpStatusCode status,
                   std::string_view message) {
  auto resp = htmlError(status, message, frameFor(ctx, visitor, ""));
  finishResponse(visitor, resp);
  return resp;
}

Response errorPage(const WebContext& ctx, const Visitor& visitor, const services::Error& error) {
  const auto refusal = htmlRefusalFor(error, visitor.lang);
  auto resp = errorPage(ctx, visitor, refusal.status, refusal.message);
  if (auto after = retryAfterOf(error)) resp->addHeader("Retry-After", std::to_string(*after));
  return resp;
}

Response redirectWithFlash(const Visitor& visitor, const std::string& location,
                           std::string_view flashKey) {
  auto resp = redirectTo(location);
  if (!flashKey.empty()) setFlash(resp, flashKey);
  finishResponse(visitor, resp);
  return resp;
}

Response redirectToLogin(const Visitor& visitor, const std::string& target) {
  return redirectWithFlash(visitor, "/login?next=" + views::urlEncode(target), "login_required");
}

std::string requestTarget(const Request& req) {
  std::string target = req->path();
  if (!req->query().empty()) target += "?" + req->query();
  return target;
}

Response csrfRefused(const WebContext& ctx, const Visitor& visitor) {
  return errorPage(ctx, visitor, drogon::k403Forbidden,
                   i18n::text(visitor.lang, i18n::Msg::kCsrfRefused));
}

RouteHandler getOrPost(RouteHandler onGet, RouteHandler onPost) {
  return [onGet = std::move(onGet), onPost = std::move(onPost)](Request req) {
    return req->method() == drogon::Post ? onPost(std::move(req)) : onGet(std::move(req));
  };
}

RouteHandlerWithId getOrPost(RouteHandlerWithId onGet, RouteHandlerWithId onPost) {
  return [onGet = std::move(onGet), onPost = std::move(onPost)](Request req, std::string id) {
    return req->method() == drogon::Post ? onPost(std::move(req), std::move(id))
                                         : onGet(std::move(req), std::move(id));
  };
}

}  // namespace bookstore::web::pages
