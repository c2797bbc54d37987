#include "web/views/account_views.h"

#include "web/views/book_views.h"
#include "web/views/page_parts.h"

namespace bookstore::web::views {
namespace {

using i18n::Msg;

// A labelled input of the account forms, tied to its errors.
void appendInput(Html& html, const PageFrame& frame, const domain::FieldErrors& errors,
                 std::string_view field, Msg label, std::string_view attributes,
                 std::string_view value, std::string_view helpId = {}) {
  html.raw("<div class=\"mb-3\"><label class=\"form-label\" for=\"");
  html << field;
  html.raw("\">");
  html << frame.t(label);
  html.raw("</label><input class=\"form-control");
  html << invalidClass(errors, field);
  html.raw("\" id=\"");
  html << field;
  html.raw("\" name=\"");
  html << field;
  html.raw("\" ");
  html.raw(attributes);
  const bool invalid = !invalidClass(errors, field).empty();
  if (invalid) html.raw(" aria-invalid=\"true\"");
  if (invalid || !helpId.empty()) {
    html.raw(" aria-describedby=\"");
    html << helpId;
    if (invalid) {
      if (!helpId.empty()) html.raw(" ");
      html << field;
      html.raw("-error");
    }
    html.raw("\"");
  }
  if (!value.empty()) {
    html.raw(" value=\"");
    html << value;
    html.raw("\"");
  }
  html.raw(">");
}

}  // namespace

std::string renderHome(const PageFrame& frame, const HomeView& view) {
  Html html(32768);
  openLayout(html, frame);
  html.raw(
      "<section class=\"home-hero p-4 p-md-5 mb-4 bg-white rounded-3 border\"><h1 "
      "class=\"display-6\">");
  html << frame.t(Msg::kHomeTitle);
  html.raw("</h1><p class=\"lead\">");
  html << frame.t(Msg::kHomeLead);
  html.raw("</p>");
  appendSearchForm(html, frame.lang, "");
  html.raw(
      "<div class=\"d-flex flex-wrap gap-2 mt-3\" id=\"home-links\">"
      "<a class=\"btn btn-primary\" href=\"/book/catalog\">");
  html << frame.t(Msg::kSeeCatalog);
  html.raw("</a>");
  if (frame.user) {
    html.raw(
        "<a class=\"btn btn-outline-secondary\" id=\"home-my-books\" href=\"/book/my_books\">");
    html << i18n::fill(frame.lang, Msg::kHomeYourBooks, {std::to_string(view.myBooks)});
    html.raw(
        "</a><a class=\"btn btn-outline-secondary\" id=\"home-my-purchases\" "
        "href=\"/purchases\">");
    html << i18n::fill(frame.lang, Msg::kHomeYourPurchases, {std::to_string(view.myPurchases)});
    html.raw("</a>");
  } else {
    // Both ask an anonymous visitor to log in first.
    html.raw("<a class=\"btn btn-outline-secondary\" href=\"/book/my_books\">");
    html << frame.t(Msg::kNavMyBooks);
    html.raw("</a><a class=\"btn btn-outline-secondary\" href=\"/purchases\">");
    html << frame.t(Msg::kNavPurchases);
    html.raw("</a>");
  }
  html.raw("</div>");
  if (!frame.user) {
    html.raw("<p class=\"mt-3 mb-0\"><a href=\"/register\">");
    html << frame.t(Msg::kHomeCreateAccount);
    html.raw("</a> ");
    html << frame.t(Msg::kHomeOr);
    html.raw(" <a href=\"/login\">");
    html << frame.t(Msg::kHomeSignIn);
    html.raw("</a> ");
    html << frame.t(Msg::kHomeToBuyAndSell);
    html.raw("</p>");
  }
  html.raw("</section>");
  if (!view.newest.empty()) {
    html.raw(
        "<section aria-labelledby=\"newest-heading\" id=\"newest\"><div class=\"d-flex "
        "flex-wrap gap-2 justify-content-between align-items-baseline mb-3\">"
        "<h2 class=\"h4 mb-0\" id=\"newest-heading\">");
    html << frame.t(Msg::kNewestBooks);
    html.raw("</h2><a href=\"/book/catalog\">");
    html << frame.t(Msg::kSeeAll);
    html.raw("</a></div>");
    appendBookCards(html, frame.lang, view.newest, frame.csrfToken, frame.formToken);
    html.raw("</section>");
  }
  closeLayout(html);
  return html.take();
}

std::string renderRegister(const PageFrame& frame, const RegisterForm& form) {
  Html html;
  openLayout(html, frame);
  html.raw(
      "<div class=\"row justify-content-center\"><div class=\"col-md-6 col-lg-5\">"
      "<h1 class=\"h3 mb-3\">");
  html << frame.t(Msg::kRegister);
  html.raw("</h1>");
  appendFormMessages(html, form.messages);
  html.raw("<form method=\"post\" action=\"/register\" novalidate>");
  appendCsrfField(html, frame.csrfToken);
  appendInput(html, frame, form.errors, "name", Msg::kName,
              "maxlength=\"150\" required autocomplete=\"name\"", form.name);
  appendFieldErrors(html, frame.lang, form.errors, "name");
  html.raw("</div>");
  appendInput(html, frame, form.errors, "email", Msg::kEmail,
              "type=\"email\" maxlength=\"150\" required autocomplete=\"email\"", form.email);
  appendFieldErrors(html, frame.lang, form.errors, "email");
  html.raw("</div>");
  appendInput(html, frame, form.errors, "password", Msg::kPassword,
              "type=\"password\" minlength=\"8\" required autocomplete=\"new-password\"", "",
              "password-help");
  html.raw("<div class=\"form-text\" id=\"password-help\">");
  html << frame.t(Msg::kPasswordHint);
  html.raw("</div>");
  appendFieldErrors(html, frame.lang, form.errors, "password");
  html.raw("</div><button class=\"btn btn-primary w-100\" type=\"submit\">");
  html << frame.t(Msg::kCreateAccount);
  html.raw("</button></form><p class=\"mt-3\">");
  html << frame.t(Msg::kHaveAccount);
  html.raw(" <a href=\"/login\">");
  html << frame.t(Msg::kLoginLink);
  html.raw("</a></p></div></div>");
  closeLayout(html);
  return html.take();
}

std::string renderLogin(const PageFrame& frame, const LoginForm& form) {
  Html html;
  openLayout(html, frame);
  html.raw(
      "<div class=\"row justify-content-center\"><div class=\"col-md-6 col-lg-5\">"
      "<h1 class=\"h3 mb-3\">");
  html << frame.t(Msg::kLogin);
  html.raw("</h1>");
  if (form.failed) {
    // "Login failed" is the original's wording; scripts may look for it.
    html.raw("<div class=\"alert alert-danger\" role=\"alert\" id=\"login-error\">");
    html << frame.t(Msg::kLoginFailed);
    html.raw("</div>");
  }
  html.raw("<form method=\"post\" action=\"/login\">");
  appendCsrfField(html, frame.csrfToken);
  html.raw("<input type=\"hidden\" name=\"next\" value=\"");
  html << form.next;
  html.raw("\">");
  const std::string_view describedBy = form.failed ? " aria-describedby=\"login-error\"" : "";
  html.raw("<div class=\"mb-3\"><label class=\"form-label\" for=\"email\">");
  html << frame.t(Msg::kEmail);
  html.raw(
      "</label><input class=\"form-control\" id=\"email\" name=\"email\" type=\"email\" "
      "required autocomplete=\"username\"");
  html.raw(describedBy);
  html.raw(" value=\"");
  html << form.email;
  html.raw("\"></div><div class=\"mb-3\"><label class=\"form-label\" for=\"password\">");
  html << frame.t(Msg::kPassword);
  html.raw(
      "</label><input class=\"form-control\" id=\"password\" name=\"password\" "
      "type=\"password\" required autocomplete=\"current-password\"");
  html.raw(describedBy);
  html.raw("></div><button class=\"btn btn-primary w-100\" type=\"submit\">");
  html << frame.t(Msg::kEnter);
  html.raw("</button></form><p class=\"mt-3\">");
  html << frame.t(Msg::kNoAccount);
  html.raw(" <a href=\"/register\">");
  html << frame.t(Msg::kRegisterLink);
  html.raw("</a></p></div></div>");
  closeLayout(html);
  return html.take();
}

}  // namespace bookstore::web::views
