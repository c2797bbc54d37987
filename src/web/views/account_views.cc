#include "web/views/account_views.h"

#include "web/views/page_parts.h"

namespace bookstore::web::views {

std::string renderHome(const PageFrame& frame) {
  Html html;
  openLayout(html, frame);
  html.raw(
      "<div class=\"p-5 mb-4 bg-white rounded-3 border\">"
      "<h1 class=\"display-5\">Bienvenido a BookStore</h1>"
      "<p class=\"lead\">Compra y vende libros: explora el catálogo, publica tus libros y sigue "
      "tus compras.</p>"
      "<div class=\"d-flex flex-wrap gap-2\">"
      "<a class=\"btn btn-primary\" href=\"/book/catalog\">Ver catálogo</a>"
      "<a class=\"btn btn-outline-secondary\" href=\"/book/my_books\">Mis libros</a>"
      "<a class=\"btn btn-outline-secondary\" href=\"/purchases\">Mis compras</a>"
      "</div></div>");
  if (!frame.user) {
    html.raw(
        "<p><a href=\"/register\">Crea una cuenta</a> o <a href=\"/login\">inicia sesión</a> "
        "para vender y comprar.</p>");
  }
  closeLayout(html);
  return html.take();
}

std::string renderRegister(const PageFrame& frame, const RegisterForm& form) {
  Html html;
  openLayout(html, frame);
  html.raw(
      "<div class=\"row justify-content-center\"><div class=\"col-md-6 col-lg-5\">"
      "<h1 class=\"h3 mb-3\">Registrarse</h1>");
  appendFormMessages(html, form.messages);
  html.raw("<form method=\"post\" action=\"/register\" novalidate>");
  appendCsrfField(html, frame.csrfToken);
  html.raw(
      "<div class=\"mb-3\"><label class=\"form-label\" for=\"name\">Nombre</label>"
      "<input class=\"form-control");
  html << invalidClass(form.errors, "name");
  html.raw("\" id=\"name\" name=\"name\" maxlength=\"150\" required value=\"");
  html << form.name;
  html.raw("\">");
  appendFieldErrors(html, form.errors, "name");
  html.raw(
      "</div><div class=\"mb-3\"><label class=\"form-label\" for=\"email\">Correo "
      "electrónico</label><input class=\"form-control");
  html << invalidClass(form.errors, "email");
  html.raw("\" id=\"email\" name=\"email\" type=\"email\" maxlength=\"150\" required value=\"");
  html << form.email;
  html.raw("\">");
  appendFieldErrors(html, form.errors, "email");
  html.raw(
      "</div><div class=\"mb-3\"><label class=\"form-label\" for=\"password\">Contraseña</label>"
      "<input class=\"form-control");
  html << invalidClass(form.errors, "password");
  html.raw(
      "\" id=\"password\" name=\"password\" type=\"password\" minlength=\"8\" required "
      "autocomplete=\"new-password\">"
      "<div class=\"form-text\">Al menos 8 caracteres.</div>");
  appendFieldErrors(html, form.errors, "password");
  html.raw(
      "</div><button class=\"btn btn-primary w-100\" type=\"submit\">Crear cuenta</button>"
      "</form><p class=\"mt-3\">¿Ya tienes cuenta? <a href=\"/login\">Inicia sesión</a></p>"
      "</div></div>");
  closeLayout(html);
  return html.take();
}

std::string renderLogin(const PageFrame& frame, const LoginForm& form) {
  Html html;
  openLayout(html, frame);
  html.raw(
      "<div class=\"row justify-content-center\"><div class=\"col-md-6 col-lg-5\">"
      "<h1 class=\"h3 mb-3\">Iniciar sesión</h1>");
  if (form.failed) {
    // "Login failed" is the original's wording; scripts may look for it.
    html.raw(
        "<div class=\"alert alert-danger\" role=\"alert\" id=\"login-error\">Login failed: "
        "el correo o la contraseña no son correctos.</div>");
  }
  html.raw("<form method=\"post\" action=\"/login\">");
  appendCsrfField(html, frame.csrfToken);
  html.raw("<input type=\"hidden\" name=\"next\" value=\"");
  html << form.next;
  html.raw(
      "\"><div class=\"mb-3\"><label class=\"form-label\" for=\"email\">Correo electrónico</label>"
      "<input class=\"form-control\" id=\"email\" name=\"email\" type=\"email\" required "
      "autocomplete=\"username\" value=\"");
  html << form.email;
  html.raw(
      "\"></div><div class=\"mb-3\"><label class=\"form-label\" for=\"password\">Contraseña"
      "</label><input class=\"form-control\" id=\"password\" name=\"password\" type=\"password\" "
      "required autocomplete=\"current-password\"></div>"
      "<button class=\"btn btn-primary w-100\" type=\"submit\">Entrar</button></form>"
      "<p class=\"mt-3\">¿No tienes cuenta? <a href=\"/register\">Regístrate</a></p>"
      "</div></div>");
  closeLayout(html);
  return html.take();
}

}  // namespace bookstore::web::views
