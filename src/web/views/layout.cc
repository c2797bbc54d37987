#include "web/views/layout.h"

#include "web/views/page_parts.h"

namespace bookstore::web::views {
namespace {

using i18n::Msg;

void navLink(Html& html, const PageFrame& frame, std::string_view href, Msg label) {
  html.raw("<li class=\"nav-item\"><a class=\"nav-link\" href=\"");
  html.raw(href);
  html.raw("\"");
  if (frame.path == href) html.raw(" aria-current=\"page\"");
  html.raw(">");
  html << frame.t(label);
  html.raw("</a></li>");
}

}  // namespace

void openLayout(Html& html, const PageFrame& frame) {
  const auto other = frame.lang == i18n::Lang::kEs ? i18n::Lang::kEn : i18n::Lang::kEs;
  html.raw("<!doctype html>\n<html lang=\"");
  html.raw(i18n::code(frame.lang));
  html.raw(
      "\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>");
  html << frame.title;
  html.raw(
      " · BookStore</title>"
      "<link rel=\"stylesheet\" href=\"/static/bootstrap/css/bootstrap.min.css?v=" BOOKSTORE_VERSION
      "\">"
      "<link rel=\"stylesheet\" href=\"/static/app.css?v=" BOOKSTORE_VERSION
      "\">"
      "</head><body><a class=\"visually-hidden-focusable skip-link\" href=\"#content\">");
  html << frame.t(Msg::kSkipToContent);
  html.raw(
      "</a><header><nav class=\"navbar navbar-expand-md navbar-dark bg-dark mb-4\" aria-label=\"");
  html << frame.t(Msg::kNavMain);
  html.raw(
      "\"><div class=\"container\">"
      "<a class=\"navbar-brand\" href=\"/\">BookStore</a>"
      // The phone menu opens with CSS alone (app.css): a checkbox its label
      // toggles, so the page needs no script.
      "<input type=\"checkbox\" class=\"nav-toggle\" id=\"nav-toggle\" "
      "aria-controls=\"main-nav\"><label class=\"navbar-toggler\" for=\"nav-toggle\">"
      "<span class=\"navbar-toggler-icon\"></span><span class=\"visually-hidden\">");
  html << frame.t(Msg::kNavToggle);
  html.raw(
      "</span></label>"
      "<div class=\"collapse navbar-collapse\" id=\"main-nav\"><ul class=\"navbar-nav me-auto\">");
  navLink(html, frame, "/book/catalog", Msg::kNavCatalog);
  if (frame.user) {
    navLink(html, frame, "/book/my_books", Msg::kNavMyBooks);
    navLink(html, frame, "/purchases", Msg::kNavPurchases);
    if (frame.user->isAdmin) {
      navLink(html, frame, "/admin/users", Msg::kNavUsers);
      navLink(html, frame, "/admin/providers", Msg::kNavProviders);
    }
  }
  html.raw("</ul><div class=\"navbar-actions d-flex flex-wrap align-items-center gap-2\">");
  // The switch is a plain link: GET /language/en?next=<this page>.
  html.raw("<a class=\"btn btn-outline-light btn-sm\" id=\"language-switch\" lang=\"");
  html.raw(i18n::code(other));
  html.raw("\" hreflang=\"");
  html.raw(i18n::code(other));
  html.raw("\" href=\"/language/");
  html.raw(i18n::code(other));
  html.raw("?next=");
  html << urlEncode(frame.path.empty() ? "/" : frame.path);
  html.raw("\">");
  html << frame.t(Msg::kSwitchLanguage);
  html.raw("</a>");
  if (frame.user) {
    html.raw("<span class=\"navbar-text\" id=\"current-user\">");
    html << frame.user->name;
    html.raw(
        "</span><form method=\"post\" action=\"/logout\" class=\"d-flex\">"
        "<input type=\"hidden\" name=\"csrf_token\" value=\"");
    html << frame.csrfToken;
    html.raw("\"><button class=\"btn btn-outline-light btn-sm\" type=\"submit\">");
    html << frame.t(Msg::kLogout);
    html.raw("</button></form>");
  } else {
    html.raw("<a class=\"btn btn-outline-light btn-sm\" href=\"/login\">");
    html << frame.t(Msg::kLogin);
    html.raw("</a><a class=\"btn btn-light btn-sm\" href=\"/register\">");
    html << frame.t(Msg::kRegister);
    html.raw("</a>");
  }
  html.raw("</div></div></div></nav></header><main class=\"container\" id=\"content\">");
  if (!frame.flash.empty()) {
    html.raw("<div class=\"alert alert-");
    html << frame.flashKind;
    html.raw("\" role=\"alert\">");
    html << frame.flash;
    html.raw("</div>");
  }
}

void closeLayout(Html& html) {
  html.raw(
      "</main><footer class=\"container text-muted small my-5\">BookStore</footer>"
      "</body></html>\n");
}

std::string renderErrorPage(const PageFrame& frame, int status, std::string_view message) {
  Html html(4096);
  openLayout(html, frame);
  html.raw("<div class=\"py-5 text-center\"><h1 class=\"display-5\">");
  html << static_cast<int64_t>(status);
  html.raw("</h1><p class=\"lead\" id=\"error-message\">");
  html << message;
  html.raw("</p><a class=\"btn btn-primary\" href=\"/book/catalog\">");
  html << frame.t(Msg::kBackToCatalog);
  html.raw("</a></div>");
  closeLayout(html);
  return html.take();
}

}  // namespace bookstore::web::views
