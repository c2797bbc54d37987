#include "web/views/layout.h"

namespace bookstore::web::views {

void openLayout(Html& html, const PageFrame& frame) {
  html.raw(
      "<!doctype html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>");
  html << frame.title;
  html.raw(
      " · BookStore</title>"
      "<link rel=\"stylesheet\" href=\"/static/bootstrap/css/bootstrap.min.css?v=" BOOKSTORE_VERSION
      "\">"
      "<link rel=\"stylesheet\" href=\"/static/app.css?v=" BOOKSTORE_VERSION
      "\">"
      "</head><body>"
      "<nav class=\"navbar navbar-expand-md navbar-dark bg-dark mb-4\"><div class=\"container\">"
      "<a class=\"navbar-brand\" href=\"/\">BookStore</a>"
      "<ul class=\"navbar-nav me-auto\">"
      "<li class=\"nav-item\"><a class=\"nav-link\" href=\"/book/catalog\">Catálogo</a></li>");
  if (frame.user) {
    html.raw(
        "<li class=\"nav-item\"><a class=\"nav-link\" href=\"/book/my_books\">Mis libros</a></li>"
        "<li class=\"nav-item\"><a class=\"nav-link\" href=\"/purchases\">Mis compras</a></li>");
    if (frame.user->isAdmin) {
      html.raw(
          "<li class=\"nav-item\"><a class=\"nav-link\" href=\"/admin/users\">Usuarios</a></li>"
          "<li class=\"nav-item\"><a class=\"nav-link\" "
          "href=\"/admin/providers\">Proveedores</a></li>");
    }
    html.raw("</ul><span class=\"navbar-text me-3\" id=\"current-user\">");
    html << frame.user->name;
    html.raw(
        "</span><form method=\"post\" action=\"/logout\" class=\"d-flex\">"
        "<input type=\"hidden\" name=\"csrf_token\" value=\"");
    html << frame.csrfToken;
    html.raw(
        "\"><button class=\"btn btn-outline-light btn-sm\" type=\"submit\">Cerrar sesión</button>"
        "</form>");
  } else {
    html.raw(
        "</ul><a class=\"btn btn-outline-light btn-sm me-2\" href=\"/login\">Iniciar sesión</a>"
        "<a class=\"btn btn-light btn-sm\" href=\"/register\">Registrarse</a>");
  }
  html.raw("</div></nav><main class=\"container\">");
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
  html.raw("</p><a class=\"btn btn-primary\" href=\"/book/catalog\">Volver al catálogo</a></div>");
  closeLayout(html);
  return html.take();
}

}  // namespace bookstore::web::views
