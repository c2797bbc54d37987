// Welcome, registration, login and logout.
#include "domain/validation.h"
#include "web/controllers/pages/page_kit.h"
#include "web/controllers/route_groups.h"
#include "web/errors.h"
#include "web/request_info.h"
#include "web/views/account_views.h"

namespace bookstore::web::pages {
namespace {

using drogon::Get;
using drogon::Post;

constexpr auto kAfterLogin = "/book/catalog";

// `next` is kept only when it is a local path, so the login form can never
// send anyone to another site.
std::string safeNext(const std::string& next) {
  return isLocalPath(next) ? next : "";
}

drogon::Task<Response> home(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  co_return htmlPage(visitor, views::renderHome(frameFor(*ctx, visitor, "Inicio")));
}

drogon::Task<Response> registerForm(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  co_return htmlPage(visitor, views::renderRegister(frameFor(*ctx, visitor, "Registrarse"), {}));
}

drogon::Task<Response> registerSubmit(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  domain::UserInput input{req->getParameter("name"), req->getParameter("email"),
                          req->getParameter("password")};
  views::RegisterForm form{input.name, input.email, {}, {}};
  std::string address = clientAddress(req, ctx->settings.trustedProxies);
  auto registered = co_await ctx->accounts->registerUser(std::move(input), std::move(address));
  if (registered) co_return redirectWithFlash(visitor, "/login", "registered");
  if (registered.error().retryAfterSeconds > 0)
    co_return errorPage(*ctx, visitor, registered.error());
  if (registered.problem() == services::Problem::kInvalidFields) {
    form.errors = registered.error().fields;
    form.messages.push_back("Revisa los campos marcados.");
  } else {
    form.messages.push_back(htmlRefusalFor(registered.error()).message);
  }
  co_return htmlPage(visitor, views::renderRegister(frameFor(*ctx, visitor, "Registrarse"), form),
                     drogon::k400BadRequest);
}

drogon::Task<Response> loginForm(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  views::LoginForm form;
  form.next = safeNext(req->getParameter("next"));
  co_return htmlPage(visitor, views::renderLogin(frameFor(*ctx, visitor, "Iniciar sesión"), form));
}

drogon::Task<Response> loginSubmit(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  views::LoginForm form;
  form.email = req->getParameter("email");
  form.next = safeNext(req->getParameter("next"));
  std::string email = form.email;
  std::string password = req->getParameter("password");
  std::string address = clientAddress(req, ctx->settings.trustedProxies);
  auto loggedIn =
      co_await ctx->accounts->login(std::move(email), std::move(password), std::move(address));
  if (!loggedIn && loggedIn.problem() == services::Problem::kWrongCredentials) {
    form.failed = true;
    co_return htmlPage(visitor,
                       views::renderLogin(frameFor(*ctx, visitor, "Iniciar sesión"), form));
  }
  if (!loggedIn) co_return errorPage(*ctx, visitor, loggedIn.error());
  auto resp = redirectTo(form.next.empty() ? kAfterLogin : form.next);
  co_await signIn(*ctx, visitor, loggedIn->id, resp);
  setFlash(resp, "logged_in");
  finishResponse(visitor, resp);
  co_return resp;
}

// GET /logout is kept from the original: it ends the session it belongs to.
drogon::Task<Response> logoutByLink(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  auto resp = redirectTo("/login");
  if (visitor.user) {
    co_await signOut(*ctx, visitor, resp);
    setFlash(resp, "logged_out");
  }
  finishResponse(visitor, resp);
  co_return resp;
}

drogon::Task<Response> logoutSubmit(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  auto resp = co_await logoutByLink(ctx, req);
  co_return resp;
}

}  // namespace

void registerAccountPages(const ContextPtr& ctx) {
  addPage(ctx, "/", [ctx](Request req) { return home(ctx, std::move(req)); }, {Get});
  addPage(ctx, "/register",
          getOrPost([ctx](Request req) { return registerForm(ctx, std::move(req)); },
                    [ctx](Request req) { return registerSubmit(ctx, std::move(req)); }),
          {Get, Post});
  addPage(ctx, "/login",
          getOrPost([ctx](Request req) { return loginForm(ctx, std::move(req)); },
                    [ctx](Request req) { return loginSubmit(ctx, std::move(req)); }),
          {Get, Post});
  addPage(ctx, "/logout",
          getOrPost([ctx](Request req) { return logoutByLink(ctx, std::move(req)); },
                    [ctx](Request req) { return logoutSubmit(ctx, std::move(req)); }),
          {Get, Post});
}

}  // namespace bookstore::web::pages
