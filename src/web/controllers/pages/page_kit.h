// Helpers shared by the page controllers: every page response goes through
// these so it gets the HTML content type, the visitor's cookies and the layout.
#pragma once

#include <drogon/HttpTypes.h>

#include <string>
#include <string_view>

#include "app/context.h"
#include "web/routing.h"
#include "web/visitor.h"

namespace bookstore::web::pages {

// A rendered page with the visitor's cookies set.
Response htmlPage(const Visitor& visitor, std::string body,
                  drogon::HttpStatusCode status = drogon::k200OK);

// An error page in the layout (the nav still shows who is signed in).
Response errorPage(const app::AppContext& ctx, const Visitor& visitor,
                   drogon::HttpStatusCode status, std::string_view message = {});

// 302 to `location`, optionally with a one-shot message for the next page.
Response redirectWithFlash(const Visitor& visitor, const std::string& location,
                           std::string_view flashKey = {});

// 302 to /login?next=<target>, for anonymous access to a page that needs login.
Response redirectToLogin(const Visitor& visitor, const std::string& target);

// The request's path and query, the `next` to come back to after login.
std::string requestTarget(const Request& req);

// CSRF check for a token read from a multipart body, which Drogon does not
// expose through getParameter(); same rules as web::csrfValid.
bool csrfTokenMatches(const app::AppContext& ctx, const Visitor& visitor, std::string_view sent);

// The 403 page of a missing or wrong CSRF token.
Response csrfRefused(const app::AppContext& ctx, const Visitor& visitor);

// Drogon answers 404 instead of 405 for a path with a placeholder when the
// method has no handler; this registers 405 pages for the other methods.
void addMethodNotAllowed(const app::ContextPtr& ctx, const std::string& path,
                         const Methods& allowed);

}  // namespace bookstore::web::pages
