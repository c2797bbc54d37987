// Welcome, registration, login and logout.
#include "domain/tokens.h"
#include "domain/validation.h"
#include "web/controllers/pages/page_kit.h"
#include "web/controllers/route_groups.h"
#include "web/errors.h"
#include "web/i18n/language.h"
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

constexpr int64_t kNewestOnHome = 8;

drogon::Task<Response> home(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  views::HomeView view;
  const auto newest = co_await ctx->catalog->page("", 1, kNewestOnHome);
  view.newest = newest.page.items;
  if (visitor.user) {
    const auto books = co_await ctx->books->booksOf(visitor.user->id);
    view.myBooks = static_cast<int64_t>(books.size());
    const auto purchases = co_await ctx->purchases->purchasesOf(visitor.user->id, 1, 1);
    view.myPurchases = purchases.total;
  }
  auto frame = frameFor(*ctx, visitor, i18n::Msg::kNavHome);
  frame.formToken = domain::randomToken(16);  // one per render, for its buy forms
  co_return htmlPage(visitor, views::renderHome(frame, view));
}

// GET /language/{es|en}?next=/path: remembers the choice in a cookie for a
// year and goes back to `next` when it is a local path (else to the home
// page), so the switch can never send anyone to another site.
drogon::Task<Response> chooseLanguage(ContextPtr ctx, Request req, std::string code) {
  auto visitor = co_await loadVisitor(*ctx, req);
  const auto lang = i18n::parseCode(code);
  if (!lang) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  const auto next = req->getParameter("next");
  auto resp = redirectTo(isLocalPath(next) ? next : "/");
  drogon::Cookie cookie{std::string(i18n::kLanguageCookie), std::string(i18n::code(*lang))};
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  cookie.setSameSite(drogon::Cookie::SameSite::kLax);
  cookie.setSecure(visitor.https);
  cookie.setMaxAge(365 * 24 * 3600);
  resp->addCookie(cookie);
  finishResponse(visitor, resp);
  co_return resp;
}

drogon::Task<Response> registerForm(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  co_return htmlPage(visitor,
                     views::renderRegister(frameFor(*ctx, visitor, i18n::Msg::kRegister), {}));
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
    form.messages.push_back(std::string(i18n::text(visitor.lang, i18n::Msg::kCheckFields)));
  } else {
    form.messages.push_back(htmlRefusalFor(registered.error(), visitor.lang).message);
  }
  co_return htmlPage(visitor,
                     views::renderRegister(frameFor(*ctx, visitor, i18n::Msg::kRegister), form),
                     drogon::k400BadRequest);
}

drogon::Task<Response> loginForm(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  views::LoginForm form;
  form.next = safeNext(req->getParameter("next"));
  co_return htmlPage(visitor, views::renderLogin(frameFor(*ctx, visitor, i18n::Msg::kLogin), form));
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
                       views::renderLogin(frameFor(*ctx, visitor, i18n::Msg::kLogin), form));
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
  addPage(ctx, "/language/{code}",
          [ctx](Request req, std::string code) {
            return chooseLanguage(ctx, std::move(req), std::move(code));
          },
          {Get});
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
