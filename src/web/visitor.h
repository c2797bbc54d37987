#pragma once

#include <drogon/HttpRequest.h>
#include <drogon/HttpResponse.h>
#include <drogon/utils/coroutine.h>

#include <optional>
#include <string>

#include "app/context.h"
#include "db/models.h"
#include "web/views/layout.h"

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
};

drogon::Task<Visitor> loadVisitor(const app::AppContext& ctx, const drogon::HttpRequestPtr& req);

// The token every state-changing form carries (field `csrf_token`).
std::string csrfToken(const app::AppContext& ctx, const Visitor& visitor);
bool csrfValid(const app::AppContext& ctx, const Visitor& visitor,
               const drogon::HttpRequestPtr& req);

// Starts a session for `userId` (a new random id; the old one is dropped) and
// sets its cookie on `resp`.
drogon::Task<void> signIn(const app::AppContext& ctx, Visitor& visitor, int64_t userId,
                          const drogon::HttpResponsePtr& resp);
drogon::Task<void> signOut(const app::AppContext& ctx, Visitor& visitor,
                           const drogon::HttpResponsePtr& resp);

// A message for the next page this browser shows (kept in a cookie, so any
// replica can show it).
void setFlash(const drogon::HttpResponsePtr& resp, std::string_view key);

// Sets the visitor's cookies that must be (re)sent and clears a shown flash.
void finishResponse(const Visitor& visitor, const drogon::HttpResponsePtr& resp);

views::PageFrame frameFor(const app::AppContext& ctx, const Visitor& visitor, std::string title);

inline constexpr int64_t kSessionIdleSeconds = 12 * 3600;

}  // namespace bookstore::web
