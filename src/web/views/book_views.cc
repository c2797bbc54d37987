#include "web/views/book_views.h"

#include "web/views/page_parts.h"

namespace bookstore::web::views {
namespace {

void appendBuyForm(Html& html, const db::Book& book, const std::string& csrfToken,
                   const std::string& formToken) {
  if (book.archived) {
    html.raw("<p class=\"text-muted mb-0 unavailable\">Este libro ya no está disponible.</p>");
    return;
  }
  if (book.stock <= 0) {
    html.raw("<p class=\"text-danger mb-0 sold-out\">Agotado</p>");
    return;
  }
  html.raw("<form class=\"d-flex gap-2 buy-form\" method=\"post\" action=\"/buy/");
  html << book.id;
  html.raw("\">");
  appendCsrfField(html, csrfToken);
  // A repeat of this submission (double click, browser retry) buys nothing.
  html.raw("<input type=\"hidden\" name=\"form_token\" value=\"");
  html.formToken(formToken);
  html.raw("\">");
  html.raw(
      "<input class=\"form-control form-control-sm\" type=\"number\" "
      "name=\"quantity\" value=\"1\" min=\"1\" max=\"");
  html << book.stock;
  html.raw(
      "\" aria-label=\"Cantidad\" required>"
      "<button class=\"btn btn-sm btn-primary\" type=\"submit\">Comprar</button></form>");
}

void appendBookCard(Html& html, const db::Book& book, const std::string& csrfToken,
                    const std::string& formToken) {
  html.raw("<div class=\"col\"><div class=\"card h-100 book-card\"><a href=\"/book/");
  html << book.id;
  html.raw("\">");
  appendCover(html, book.coverImage, book.title, "card-img-top");
  html.raw(
      "</a><div class=\"card-body d-flex flex-column\"><h2 class=\"card-title\"><a href=\"/book/");
  html << book.id;
  html.raw("\" class=\"text-decoration-none book-title\">");
  html << book.title;
  html.raw("</a></h2><p class=\"card-text text-muted mb-1 book-author\">");
  html << book.author;
  html.raw("</p><p class=\"card-text mb-1\"><strong class=\"book-price\">");
  appendMoney(html, book.priceCents);
  html.raw(
      "</strong></p><p class=\"card-text small mb-2\">Disponibles: <span class=\"book-stock\">");
  html << book.stock;
  html.raw("</span></p><div class=\"mt-auto\">");
  appendBuyForm(html, book, csrfToken, formToken);
  html.raw("</div></div></div></div>");
}

void appendTextInput(Html& html, const BookFormView& view, std::string_view field,
                     std::string_view label, const std::string& value,
                     std::string_view attributes) {
  html.raw("<div class=\"mb-3\"><label class=\"form-label\" for=\"");
  html << field;
  html.raw("\">");
  html << label;
  html.raw("</label><input class=\"form-control");
  html << invalidClass(view.errors, field);
  html.raw("\" id=\"");
  html << field;
  html.raw("\" name=\"");
  html << field;
  html.raw("\" ");
  html.raw(attributes);
  html.raw(" value=\"");
  html << value;
  html.raw("\">");
  appendFieldErrors(html, view.errors, field);
  html.raw("</div>");
}

}  // namespace

SharedFragment renderCatalogContent(const CatalogView& view) {
  Html html = Html::sharedFragment(32768);
  html.raw(
      "<div class=\"d-flex flex-wrap justify-content-between align-items-center mb-3 gap-2\">"
      "<h1 class=\"h3 mb-0\">Catálogo</h1>"
      "<form class=\"d-flex gap-2\" method=\"get\" action=\"/book/catalog\" role=\"search\">"
      "<input class=\"form-control\" type=\"search\" name=\"q\" placeholder=\"Título o autor\" "
      "aria-label=\"Buscar\" value=\"");
  html << view.query;
  html.raw(
      "\"><button class=\"btn btn-outline-primary\" type=\"submit\">Buscar</button></form></div>");
  if (view.books.empty()) {
    html.raw("<p class=\"lead text-muted\" id=\"no-results\">Sin resultados.</p>");
  } else {
    html.raw("<div class=\"row row-cols-1 row-cols-sm-2 row-cols-md-3 row-cols-lg-4 g-4 mb-4\">");
    for (const auto& book : view.books) appendBookCard(html, book, {}, {});
    html.raw("</div>");
  }
  const std::string keepQuery = view.query.empty() ? "" : "q=" + urlEncode(view.query) + "&";
  appendPagination(html, "/book/catalog", keepQuery, view.page, view.totalPages);
  return html.takeFragment();
}

std::string renderCatalog(const PageFrame& frame, const SharedFragment& content) {
  Html html(content.text.size() + 4096);
  openLayout(html, frame);
  content.appendTo(html.str(), frame.csrfToken, frame.formToken);
  closeLayout(html);
  return html.take();
}

std::string renderBookDetail(const PageFrame& frame, const db::Book& book, bool isOwner) {
  Html html;
  openLayout(html, frame);
  html.raw("<div class=\"row g-4\"><div class=\"col-md-4\">");
  appendCover(html, book.coverImage, book.title, "rounded border");
  html.raw("</div><div class=\"col-md-8\"><h1 class=\"h2 book-title\">");
  html << book.title;
  html.raw("</h1><p class=\"lead text-muted book-author\">");
  html << book.author;
  html.raw("</p><p class=\"book-description\">");
  html << book.description;
  html.raw(
      "</p><dl class=\"row\"><dt class=\"col-sm-3\">Precio</dt><dd class=\"col-sm-9 book-price\">");
  appendMoney(html, book.priceCents);
  html.raw("</dd><dt class=\"col-sm-3\">Disponibles</dt><dd class=\"col-sm-9 book-stock\">");
  html << book.stock;
  html.raw("</dd><dt class=\"col-sm-3\">Vendedor</dt><dd class=\"col-sm-9 book-seller\">");
  html << book.sellerName;
  html.raw("</dd></dl>");
  appendBuyForm(html, book, frame.csrfToken, frame.formToken);
  if (isOwner && !book.archived) {
    html.raw(
        "<p class=\"mt-3\"><a class=\"btn btn-outline-secondary btn-sm\" href=\"/book/edit_book/");
    html << book.id;
    html.raw("\">Editar</a></p>");
  }
  html.raw("</div></div>");
  closeLayout(html);
  return html.take();
}

std::string renderMyBooks(const PageFrame& frame, const std::vector<db::Book>& books) {
  Html html(16384);
  openLayout(html, frame);
  html.raw(
      "<div class=\"d-flex justify-content-between align-items-center mb-3\">"
      "<h1 class=\"h3 mb-0\">Mis libros</h1>"
      "<a class=\"btn btn-primary\" href=\"/book/add_book\">Publicar un libro</a></div>");
  if (books.empty()) {
    html.raw("<p class=\"text-muted\" id=\"no-books\">Todavía no has publicado libros.</p>");
    closeLayout(html);
    return html.take();
  }
  html.raw(
      "<div class=\"table-responsive\"><table class=\"table bg-white border\"><thead><tr>"
      "<th></th><th>Título</th><th>Autor</th><th>Precio</th>"
      "<th>Disponibles</th><th>Acciones</th></tr></thead><tbody>");
  for (const auto& book : books) {
    html.raw("<tr class=\"my-book\"><td>");
    appendCover(html, book.coverImage, book.title);
    html.raw("</td><td><a href=\"/book/");
    html << book.id;
    html.raw("\">");
    html << book.title;
    html.raw("</a></td><td>");
    html << book.author;
    html.raw("</td><td>");
    appendMoney(html, book.priceCents);
    html.raw("</td><td>");
    html << book.stock;
    html.raw(
        "</td><td class=\"d-flex gap-2\"><a class=\"btn btn-sm btn-outline-secondary\" "
        "href=\"/book/edit_book/");
    html << book.id;
    html.raw("\">Editar</a><form method=\"post\" action=\"/book/delete_book/");
    html << book.id;
    html.raw("\">");
    appendCsrfField(html, frame.csrfToken);
    html.raw(
        "<button class=\"btn btn-sm btn-outline-danger\" type=\"submit\">Eliminar</button>"
        "</form></td></tr>");
  }
  html.raw("</tbody></table></div>");
  closeLayout(html);
  return html.take();
}

std::string renderBookForm(const PageFrame& frame, const BookFormView& view) {
  const bool editing = view.bookId != 0;
  Html html;
  openLayout(html, frame);
  html.raw(
      "<div class=\"row justify-content-center\"><div class=\"col-lg-8\"><h1 class=\"h3 mb-3\">");
  html << (editing ? "Editar libro" : "Publicar un libro");
  html.raw("</h1>");
  appendFormMessages(html, view.messages);
  html.raw("<form method=\"post\" enctype=\"multipart/form-data\" novalidate action=\"");
  if (editing) {
    html.raw("/book/edit_book/");
    html << view.bookId;
  } else {
    html.raw("/book/add_book");
  }
  html.raw("\">");
  appendCsrfField(html, frame.csrfToken);
  if (editing) {
    // Rule 12: saving is refused when the stock changed since (a sale).
    html.raw("<input type=\"hidden\" name=\"expected_stock\" value=\"");
    html << view.expectedStock;
    html.raw("\">");
  }
  appendTextInput(html, view, "title", "Título", view.title, "maxlength=\"150\" required");
  appendTextInput(html, view, "author", "Autor", view.author, "maxlength=\"100\" required");
  html.raw(
      "<div class=\"mb-3\"><label class=\"form-label\" for=\"description\">Descripción</label>"
      "<textarea class=\"form-control");
  html << invalidClass(view.errors, "description");
  html.raw("\" id=\"description\" name=\"description\" rows=\"5\" maxlength=\"10000\">");
  html << view.description;
  html.raw("</textarea>");
  appendFieldErrors(html, view.errors, "description");
  html.raw("</div><div class=\"row\"><div class=\"col-sm-6\">");
  appendTextInput(html, view, "price", "Precio", view.price,
                  "inputmode=\"decimal\" placeholder=\"0.00\" required");
  html.raw("</div><div class=\"col-sm-6\">");
  appendTextInput(html, view, "stock", "Disponibles", view.stock,
                  "type=\"number\" min=\"0\" max=\"1000000\" step=\"1\" required");
  html.raw("</div></div><div class=\"mb-3\"><label class=\"form-label\" for=\"cover\">Portada");
  if (editing) html.raw(" (opcional: reemplaza la actual)");
  html.raw("</label>");
  if (editing && !view.currentCover.empty()) {
    html.raw("<div class=\"mb-2\">");
    appendCover(html, view.currentCover, view.title, "rounded border");
    html.raw("</div>");
  }
  html.raw("<input class=\"form-control");
  html << invalidClass(view.errors, "cover");
  html.raw(
      "\" id=\"cover\" name=\"cover\" type=\"file\" accept=\"image/jpeg,image/png,image/webp\">"
      "<div class=\"form-text\">JPEG, PNG o WebP.</div>");
  appendFieldErrors(html, view.errors, "cover");
  html.raw("</div><button class=\"btn btn-primary\" type=\"submit\">");
  html << (editing ? "Guardar cambios" : "Publicar");
  html.raw(
      "</button> <a class=\"btn btn-link\" "
      "href=\"/book/my_books\">Cancelar</a></form></div></div>");
  closeLayout(html);
  return html.take();
}

}  // namespace bookstore::web::views
