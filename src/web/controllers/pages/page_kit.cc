#include "web/controllers/pages/page_kit.h"

#include <algorithm>

#include "domain/tokens.h"
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

Response errorPage(const app::AppContext& ctx, const Visitor& visitor,
                   drogon::HttpStatusCode status, std::string_view message) {
  auto resp = htmlError(status, message, frameFor(ctx, visitor, ""));
  finishResponse(visitor, resp);
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

bool csrfTokenMatches(const app::AppContext& ctx, const Visitor& visitor, std::string_view sent) {
  if (!visitor.user && (visitor.anonId.empty() || visitor.newAnonId)) return false;
  return !sent.empty() && domain::constantTimeEquals(sent, csrfToken(ctx, visitor));
}

Response csrfRefused(const app::AppContext& ctx, const Visitor& visitor) {
  return errorPage(ctx, visitor, drogon::k403Forbidden,
                   "El formulario caducó o no es válido. Vuelve a cargar la página e inténtalo "
                   "de nuevo.");
}

void addMethodNotAllowed(const app::ContextPtr& ctx, const std::string& path,
                         const Methods& allowed) {
  static const std::vector<drogon::HttpMethod> kCommon = {drogon::Get, drogon::Post, drogon::Put,
                                                          drogon::Delete, drogon::Patch};
  Methods others;
  std::string allowHeader;
  for (auto method : kCommon) {
    const bool isAllowed = std::any_of(allowed.begin(), allowed.end(),
                                       [&](const auto& c) { return c.getHttpMethod() == method; });
    if (isAllowed) {
      if (!allowHeader.empty()) allowHeader += ", ";
      allowHeader += drogon::to_string_view(method);
    } else {
      others.emplace_back(method);
    }
  }
  if (others.empty()) return;
  addPage(
      ctx, path,
      [ctx, allowHeader](Request req, std::string) -> drogon::Task<Response> {
        auto visitor = co_await loadVisitor(*ctx, req);
        auto resp = errorPage(*ctx, visitor, drogon::k405MethodNotAllowed);
        resp->addHeader("Allow", allowHeader);
        co_return resp;
      },
      others);
}

}  // namespace bookstore::web::pages
