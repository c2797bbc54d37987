#pragma once

#include <drogon/HttpRequest.h>
#include <drogon/HttpResponse.h>
#include <drogon/utils/coroutine.h>

#include <optional>
#include <string>

#include "db/models.h"
#include "web/i18n/messages.h"
#include "web/views/layout.h"
#include "web/web_context.h"

namespace bookstore::web {

// Who is asking, for the HTML pages: the signed-in user (from the session
// cookie, looked up in the shared database) or an anonymous visitor, whose
// random cookie binds the CSRF token of the login and register forms.
struct Visitor {
  std::optional<db::User> user;
  std::string sessionHash;  // sha256 of the session cookie, when signed in
  std::string anonId;       // anonymous visitors' cookie value
  bool newAnonId = false;   // set the cookie on the response
  bool https = false;
  std::string flash;  // one-shot message from the previous request
  std::string flashKind = "success";
  i18n::Lang lang = i18n::Lang::kEs;  // the pages' language (web::languageOf)
  std::string path;                   // the request's path and query
};

drogon::Task<Visitor> loadVisitor(const WebContext& ctx, drogon::HttpRequestPtr req);

// The token every state-changing form carries (field `csrf_token`).
std::string csrfToken(const WebContext& ctx, const Visitor& visitor);
// The one CSRF rule: a signed-in visitor, or an anonymous one whose cookie
// came with the request, sent the token of their session in the form body.
bool csrfMatches(const WebContext& ctx, const Visitor& visitor, std::string_view sent);
// csrfMatches for the `csrf_token` of a urlencoded form; a token in the URL
// is refused (it would end up in logs).
bool csrfValid(const WebContext& ctx, const Visitor& visitor, const drogon::HttpRequestPtr& req);

// `visitor` is the caller's local and the caller awaits these at once, so the
// reference outlives the coroutine.
// Starts a session for `userId` (a new random id; the old one is dropped) and
// sets its cookie on `resp`.
drogon::Task<void> signIn(const WebContext& ctx, Visitor& visitor, int64_t userId,
                          drogon::HttpResponsePtr resp);
drogon::Task<void> signOut(const WebContext& ctx, Visitor& visitor, drogon::HttpResponsePtr resp);

// A message for the next page this browser shows (kept in a cookie, so any
// replica can show it).
void setFlash(const drogon::HttpResponsePtr& resp, std::string_view key);

// Sets the visitor's cookies that must be (re)sent and clears a shown flash.
void finishResponse(const Visitor& visitor, const drogon::HttpResponsePtr& resp);

views::PageFrame frameFor(const WebContext& ctx, const Visitor& visitor, std::string title);
// The same with a title from the message catalog, in the visitor's language.
views::PageFrame frameFor(const WebContext& ctx, const Visitor& visitor, i18n::Msg title);

}  // namespace bookstore::web
