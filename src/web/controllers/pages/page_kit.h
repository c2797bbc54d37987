// Helpers shared by the page controllers: every page response goes through
// these so it gets the HTML content type, the visitor's cookies and the layout.
#pragma once

#include <drogon/HttpTypes.h>

#include <string>
#include <string_view>

#include "services/outcome.h"
#include "web/errors.h"
#include "web/routing.h"
#include "web/visitor.h"

namespace bookstore::web::pages {

// A rendered page with the visitor's cookies set.
Response htmlPage(const Visitor& visitor, std::string body,
                  drogon::HttpStatusCode status = drogon::k200OK);

// An error page in the layout (the nav still shows who is signed in).
Response errorPage(const WebContext& ctx, const Visitor& visitor, drogon::HttpStatusCode status,
                   std::string_view message = {});

// The page of a use case's refusal (web::htmlRefusalFor says which).
Response errorPage(const WebContext& ctx, const Visitor& visitor, const services::Error& error);

// 302 to `location`, optionally with a one-shot message for the next page.
Response redirectWithFlash(const Visitor& visitor, const std::string& location,
                           std::string_view flashKey = {});

// 302 to /login?next=<target>, for anonymous access to a page that needs login.
Response redirectToLogin(const Visitor& visitor, const std::string& target);

// The request's path and query, the `next` to come back to after login.
std::string requestTarget(const Request& req);

// The 403 page of a missing or wrong CSRF token.
Response csrfRefused(const WebContext& ctx, const Visitor& visitor);

// One route serving a form (GET) and its submission (POST). A path must be
// registered once with all its methods: web::addPage answers 405 for the
// methods it was not given, which would shadow a second registration.
RouteHandler getOrPost(RouteHandler onGet, RouteHandler onPost);
RouteHandlerWithId getOrPost(RouteHandlerWithId onGet, RouteHandlerWithId onPost);

}  // namespace bookstore::web::pages
