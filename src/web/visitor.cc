#include "web/visitor.h"

#include <array>

#include "domain/tokens.h"
#include "web/errors.h"
#include "web/request_info.h"

namespace bookstore::web {
namespace {

constexpr auto kSessionCookie = "bookstore_session";
constexpr auto kAnonCookie = "bookstore_visitor";
constexpr auto kFlashCookie = "bookstore_flash";

struct FlashMessage {
  std::string_view key;
  i18n::Msg text;
  std::string_view kind;
};

// Flash cookies carry a key, never text, so nothing a client sets is shown.
constexpr std::array<FlashMessage, 16> kFlashMessages = {{
    {"registered", i18n::Msg::kFlashRegistered, "success"},
    {"logged_in", i18n::Msg::kFlashLoggedIn, "success"},
    {"logged_out", i18n::Msg::kFlashLoggedOut, "info"},
    {"login_required", i18n::Msg::kFlashLoginRequired, "warning"},
    {"book_added", i18n::Msg::kFlashBookAdded, "success"},
    {"book_updated", i18n::Msg::kFlashBookUpdated, "success"},
    {"book_deleted", i18n::Msg::kFlashBookDeleted, "success"},
    {"book_archived", i18n::Msg::kFlashBookArchived, "info"},
    {"paid", i18n::Msg::kFlashPaid, "success"},
    {"already_paid", i18n::Msg::kFlashAlreadyPaid, "info"},
    {"pay_first", i18n::Msg::kFlashPayFirst, "warning"},
    {"delivery_chosen", i18n::Msg::kFlashDeliveryChosen, "success"},
    {"provider_saved", i18n::Msg::kFlashProviderSaved, "success"},
    {"provider_deleted", i18n::Msg::kFlashProviderDeleted, "success"},
    {"purchase_cancelled", i18n::Msg::kFlashPurchaseCancelled, "info"},
    {"already_bought", i18n::Msg::kFlashAlreadyBought, "info"},
}};

bool looksLikeToken(const std::string& value) {
  if (value.size() != 64) return false;
  for (char c : value) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

drogon::Cookie cookie(const std::string& name, const std::string& value, bool https) {
  drogon::Cookie c(name, value);
  c.setPath("/");
  c.setHttpOnly(true);
  c.setSameSite(drogon::Cookie::SameSite::kLax);
  c.setSecure(https);
  return c;
}

drogon::Cookie expired(const std::string& name, bool https) {
  auto c = cookie(name, "", https);
  c.setMaxAge(0);
  return c;
}

}  // namespace

drogon::Task<Visitor> loadVisitor(const WebContext& ctx, drogon::HttpRequestPtr req) {
  Visitor visitor;
  visitor.https = cameOverHttps(req, ctx.settings.trustedProxies);
  visitor.lang = languageOf(req);
  visitor.path = req->path();
  if (!req->query().empty()) visitor.path += "?" + req->query();
  const auto& flashKey = req->getCookie(kFlashCookie);
  for (const auto& message : kFlashMessages) {
    if (message.key == flashKey) {
      visitor.flash = i18n::text(visitor.lang, message.text);
      visitor.flashKind = message.kind;
    }
  }
  const auto& sessionId = req->getCookie(kSessionCookie);
  if (looksLikeToken(sessionId)) {
    auto hash = domain::sha256Hex(sessionId);
    visitor.user = co_await ctx.accounts->sessionUser(hash);
    if (visitor.user) visitor.sessionHash = hash;
  }
  const auto& anon = req->getCookie(kAnonCookie);
  if (looksLikeToken(anon)) {
    visitor.anonId = anon;
  } else if (!visitor.user) {
    visitor.anonId = domain::randomToken(32);
    visitor.newAnonId = true;
  }
  co_return visitor;
}

std::string csrfToken(const WebContext& ctx, const Visitor& visitor) {
  if (visitor.user)
    return domain::hmacSha256Hex(ctx.settings.secretKey, "csrf:s:" + visitor.sessionHash);
  return domain::hmacSha256Hex(ctx.settings.secretKey, "csrf:a:" + visitor.anonId);
}

bool csrfMatches(const WebContext& ctx, const Visitor& visitor, std::string_view sent) {
  if (!visitor.user && (visitor.anonId.empty() || visitor.newAnonId)) return false;
  return !sent.empty() && domain::constantTimeEquals(sent, csrfToken(ctx, visitor));
}

bool csrfValid(const WebContext& ctx, const Visitor& visitor, const drogon::HttpRequestPtr& req) {
  // Tokens travel in the form body only: one in a URL would end up in logs.
  if (req->query().find("csrf_token") != std::string::npos) return false;
  return csrfMatches(ctx, visitor, req->getParameter("csrf_token"));
}

drogon::Task<void> signIn(const WebContext& ctx, Visitor& visitor, int64_t userId,
                          drogon::HttpResponsePtr resp) {
  const auto sessionId = co_await ctx.accounts->startSession(userId, visitor.sessionHash);
  visitor.sessionHash = domain::sha256Hex(sessionId);
  resp->addCookie(cookie(kSessionCookie, sessionId, visitor.https));
}

drogon::Task<void> signOut(const WebContext& ctx, Visitor& visitor, drogon::HttpResponsePtr resp) {
  if (!visitor.sessionHash.empty()) co_await ctx.accounts->endSession(visitor.sessionHash);
  visitor.sessionHash.clear();
  visitor.user.reset();
  resp->addCookie(expired(kSessionCookie, visitor.https));
}

void setFlash(const drogon::HttpResponsePtr& resp, std::string_view key) {
  drogon::Cookie c(kFlashCookie, std::string(key));
  c.setPath("/");
  c.setHttpOnly(true);
  c.setSameSite(drogon::Cookie::SameSite::kLax);
  resp->addCookie(c);
}

void finishResponse(const Visitor& visitor, const drogon::HttpResponsePtr& resp) {
  if (visitor.newAnonId) resp->addCookie(cookie(kAnonCookie, visitor.anonId, visitor.https));
  // A flash is shown once; a redirect that sets a new one keeps that one.
  const auto& cookies = resp->getCookies();
  if (!visitor.flash.empty() && cookies.find(kFlashCookie) == cookies.end()) {
    resp->addCookie(expired(kFlashCookie, visitor.https));
  }
  resp->addHeader("Cache-Control", "no-store");
}

views::PageFrame frameFor(const WebContext& ctx, const Visitor& visitor, std::string title) {
  views::PageFrame frame;
  frame.title = std::move(title);
  if (visitor.user) {
    frame.user = views::LayoutUser{visitor.user->id, visitor.user->name, visitor.user->isAdmin};
  }
  frame.flash = visitor.flash;
  frame.flashKind = visitor.flashKind;
  frame.csrfToken = csrfToken(ctx, visitor);
  frame.lang = visitor.lang;
  frame.path = visitor.path;
  return frame;
}

views::PageFrame frameFor(const WebContext& ctx, const Visitor& visitor, i18n::Msg title) {
  return frameFor(ctx, visitor, std::string(i18n::text(visitor.lang, title)));
}

}  // namespace bookstore::web
