#include "web/views/book_views.h"

#include "web/views/page_parts.h"

namespace bookstore::web::views {
namespace {

using i18n::Msg;

void appendBuyForm(Html& html, i18n::Lang lang, const db::Book& book, const std::string& csrfToken,
                   const std::string& formToken) {
  if (book.archived) {
    html.raw("<p class=\"text-muted mb-0 unavailable\">");
    html << i18n::text(lang, Msg::kUnavailable);
    html.raw("</p>");
    return;
  }
  if (book.stock <= 0) {
    html.raw("<p class=\"text-danger mb-0 sold-out\">");
    html << i18n::text(lang, Msg::kSoldOut);
    html.raw("</p>");
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
  html.raw("\" aria-label=\"");
  html << i18n::fill(lang, Msg::kQuantityOf, {book.title});
  html.raw("\" required><button class=\"btn btn-sm btn-primary\" type=\"submit\" title=\"");
  html << i18n::fill(lang, Msg::kBuyTitle, {book.title});
  html.raw("\">");
  html << i18n::text(lang, Msg::kBuy);
  html.raw("</button></form>");
}

void appendBookCard(Html& html, i18n::Lang lang, const db::Book& book, const std::string& csrfToken,
                    const std::string& formToken) {
  // The cover repeats the title link: hidden from the tab order and from
  // screen readers, one link per book is enough.
  html.raw(
      "<div class=\"col\"><div class=\"card h-100 book-card\"><a class=\"cover-link\" "
      "tabindex=\"-1\" aria-hidden=\"true\" href=\"/book/");
  html << book.id;
  html.raw("\">");
  appendCover(html, lang, {book.id, book.coverImage, book.title, book.author}, "card-img-top");
  html.raw(
      "</a><div class=\"card-body d-flex flex-column\"><h2 class=\"card-title\"><a href=\"/book/");
  html << book.id;
  html.raw("\" class=\"text-decoration-none book-title\">");
  html << book.title;
  html.raw("</a></h2><p class=\"card-text text-muted mb-1 book-author\">");
  html << book.author;
  html.raw("</p><p class=\"card-text mb-1\"><strong class=\"book-price\">");
  appendMoney(html, book.priceCents);
  html.raw("</strong></p><p class=\"card-text small mb-2\">");
  html << i18n::text(lang, Msg::kAvailable);
  html.raw(": <span class=\"book-stock\">");
  html << book.stock;
  html.raw("</span></p><div class=\"mt-auto\">");
  appendBuyForm(html, lang, book, csrfToken, formToken);
  html.raw("</div></div></div></div>");
}

void appendTextInput(Html& html, i18n::Lang lang, const BookFormView& view, std::string_view field,
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
  html.raw("\"");
  appendInvalidAttributes(html, view.errors, field);
  html.raw(" ");
  html.raw(attributes);
  html.raw(" value=\"");
  html << value;
  html.raw("\">");
  appendFieldErrors(html, lang, view.errors, field);
  html.raw("</div>");
}

}  // namespace

void appendSearchForm(Html& html, i18n::Lang lang, std::string_view query) {
  html.raw(
      "<form class=\"d-flex gap-2 search-form\" method=\"get\" action=\"/book/catalog\" "
      "role=\"search\"><label class=\"visually-hidden\" for=\"search-q\">");
  html << i18n::text(lang, Msg::kSearchLabel);
  html.raw(
      "</label><input class=\"form-control\" type=\"search\" id=\"search-q\" name=\"q\" "
      "placeholder=\"");
  html << i18n::text(lang, Msg::kSearchPlaceholder);
  html.raw("\" value=\"");
  html << query;
  html.raw("\"><button class=\"btn btn-outline-primary\" type=\"submit\">");
  html << i18n::text(lang, Msg::kSearch);
  html.raw("</button></form>");
}

void appendBookCards(Html& html, i18n::Lang lang, const std::vector<db::Book>& books,
                     const std::string& csrfToken, const std::string& formToken) {
  html.raw("<div class=\"row row-cols-2 row-cols-md-3 row-cols-lg-4 g-3 g-md-4 mb-4\">");
  for (const auto& book : books) appendBookCard(html, lang, book, csrfToken, formToken);
  html.raw("</div>");
}

SharedFragment renderCatalogContent(const CatalogView& view) {
  const auto lang = view.lang;
  Html html = Html::sharedFragment(32768);
  html.raw(
      "<div class=\"d-flex flex-wrap justify-content-between align-items-center mb-3 gap-2\">"
      "<h1 class=\"h3 mb-0\">");
  if (view.query.empty()) {
    html << i18n::text(lang, Msg::kCatalog);
  } else {
    html << i18n::fill(lang, Msg::kSearchResults, {view.query});
  }
  html.raw("</h1>");
  appendSearchForm(html, lang, view.query);
  html.raw("</div>");
  if (view.books.empty()) {
    html.raw("<p class=\"lead text-muted\" id=\"no-results\">");
    html << i18n::text(lang, Msg::kNoResults);
    html.raw("</p>");
  } else {
    html.raw("<div class=\"row row-cols-2 row-cols-md-3 row-cols-lg-4 g-3 g-md-4 mb-4\">");
    for (const auto& book : view.books) appendBookCard(html, lang, book, {}, {});
    html.raw("</div>");
  }
  const std::string keepQuery = view.query.empty() ? "" : "q=" + urlEncode(view.query) + "&";
  appendPagination(html, lang, "/book/catalog", keepQuery, view.page, view.totalPages);
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
  html.raw("<div class=\"row g-4\"><div class=\"col-sm-5 col-md-4 detail-cover\">");
  appendCover(html, frame.lang, {book.id, book.coverImage, book.title, book.author},
              "rounded border book-cover-detail");
  html.raw("</div><div class=\"col-md-8\"><h1 class=\"h2 book-title\">");
  html << book.title;
  html.raw("</h1><p class=\"lead text-muted book-author\">");
  html << book.author;
  html.raw("</p><p class=\"book-description\">");
  html << book.description;
  html.raw("</p><dl class=\"row\"><dt class=\"col-sm-3\">");
  html << frame.t(Msg::kPrice);
  html.raw("</dt><dd class=\"col-sm-9 book-price\">");
  appendMoney(html, book.priceCents);
  html.raw("</dd><dt class=\"col-sm-3\">");
  html << frame.t(Msg::kAvailable);
  html.raw("</dt><dd class=\"col-sm-9 book-stock\">");
  html << book.stock;
  html.raw("</dd><dt class=\"col-sm-3\">");
  html << frame.t(Msg::kSeller);
  html.raw("</dt><dd class=\"col-sm-9 book-seller\">");
  html << book.sellerName;
  html.raw("</dd></dl>");
  appendBuyForm(html, frame.lang, book, frame.csrfToken, frame.formToken);
  if (isOwner && !book.archived) {
    html.raw(
        "<p class=\"mt-3\"><a class=\"btn btn-outline-secondary btn-sm\" href=\"/book/edit_book/");
    html << book.id;
    html.raw("\">");
    html << frame.t(Msg::kEdit);
    html.raw("</a></p>");
  }
  html.raw("</div></div>");
  closeLayout(html);
  return html.take();
}

std::string renderMyBooks(const PageFrame& frame, const std::vector<db::Book>& books) {
  Html html(16384);
  openLayout(html, frame);
  html.raw(
      "<div class=\"d-flex flex-wrap gap-2 justify-content-between align-items-center mb-3\">"
      "<h1 class=\"h3 mb-0\">");
  html << frame.t(Msg::kMyBooks);
  html.raw("</h1><a class=\"btn btn-primary\" href=\"/book/add_book\">");
  html << frame.t(Msg::kAddBook);
  html.raw("</a></div>");
  if (books.empty()) {
    html.raw("<p class=\"text-muted\" id=\"no-books\">");
    html << frame.t(Msg::kNoBooksYet);
    html.raw("</p>");
    closeLayout(html);
    return html.take();
  }
  html.raw(
      "<div class=\"table-responsive\"><table class=\"table bg-white border\"><thead><tr>"
      "<th><span class=\"visually-hidden\">");
  html << frame.t(Msg::kCover);
  for (const auto label :
       {Msg::kTitle, Msg::kAuthor, Msg::kPrice, Msg::kAvailable, Msg::kActions}) {
    html.raw("</span></th><th><span>");
    html << frame.t(label);
  }
  html.raw("</span></th></tr></thead><tbody>");
  for (const auto& book : books) {
    html.raw("<tr class=\"my-book\"><td class=\"cover-cell\">");
    appendCover(html, frame.lang, {book.id, book.coverImage, book.title, book.author},
                "cover-thumb");
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
        "</td><td><div class=\"d-flex gap-2\"><a class=\"btn btn-sm btn-outline-secondary\" "
        "href=\"/book/edit_book/");
    html << book.id;
    html.raw("\" title=\"");
    html << i18n::fill(frame.lang, Msg::kEditTitle, {book.title});
    html.raw("\">");
    html << frame.t(Msg::kEdit);
    html.raw("</a><form method=\"post\" action=\"/book/delete_book/");
    html << book.id;
    html.raw("\">");
    appendCsrfField(html, frame.csrfToken);
    html.raw("<button class=\"btn btn-sm btn-outline-danger\" type=\"submit\" title=\"");
    html << i18n::fill(frame.lang, Msg::kDeleteTitle, {book.title});
    html.raw("\">");
    html << frame.t(Msg::kDelete);
    html.raw("</button></form></div></td></tr>");
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
  html << frame.t(editing ? Msg::kEditBook : Msg::kAddBook);
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
  const auto lang = frame.lang;
  appendTextInput(html, lang, view, "title", frame.t(Msg::kTitle), view.title,
                  "maxlength=\"150\" required");
  appendTextInput(html, lang, view, "author", frame.t(Msg::kAuthor), view.author,
                  "maxlength=\"100\" required");
  html.raw("<div class=\"mb-3\"><label class=\"form-label\" for=\"description\">");
  html << frame.t(Msg::kDescription);
  html.raw("</label><textarea class=\"form-control");
  html << invalidClass(view.errors, "description");
  html.raw("\"");
  appendInvalidAttributes(html, view.errors, "description");
  html.raw(" id=\"description\" name=\"description\" rows=\"5\" maxlength=\"10000\">");
  html << view.description;
  html.raw("</textarea>");
  appendFieldErrors(html, lang, view.errors, "description");
  html.raw("</div><div class=\"row\"><div class=\"col-sm-6\">");
  appendTextInput(html, lang, view, "price", frame.t(Msg::kPrice), view.price,
                  "inputmode=\"decimal\" placeholder=\"0.00\" required");
  html.raw("</div><div class=\"col-sm-6\">");
  appendTextInput(html, lang, view, "stock", frame.t(Msg::kAvailable), view.stock,
                  "type=\"number\" min=\"0\" max=\"1000000\" step=\"1\" required");
  html.raw("</div></div><div class=\"mb-3\"><label class=\"form-label\" for=\"cover\">");
  html << frame.t(Msg::kCover);
  if (editing) {
    html.raw(" ");
    html << frame.t(Msg::kCoverReplaces);
  }
  html.raw("</label>");
  if (editing && !view.currentCover.empty()) {
    html.raw("<div class=\"mb-2 current-cover\">");
    appendCover(html, lang, {view.bookId, view.currentCover, view.title, view.currentAuthor},
                "rounded border");
    html.raw("</div>");
  }
  html.raw("<input class=\"form-control");
  html << invalidClass(view.errors, "cover");
  html.raw("\"");
  if (invalidClass(view.errors, "cover").empty()) {
    html.raw(" aria-describedby=\"cover-help\"");
  } else {
    html.raw(" aria-invalid=\"true\" aria-describedby=\"cover-help cover-error\"");
  }
  html.raw(
      " id=\"cover\" name=\"cover\" type=\"file\" accept=\"image/jpeg,image/png,image/webp\">"
      "<div class=\"form-text\" id=\"cover-help\">");
  html << frame.t(Msg::kCoverFormats);
  html.raw("</div>");
  appendFieldErrors(html, lang, view.errors, "cover");
  html.raw("</div><button class=\"btn btn-primary\" type=\"submit\">");
  html << frame.t(editing ? Msg::kSaveChanges : Msg::kPublish);
  html.raw("</button> <a class=\"btn btn-link\" href=\"/book/my_books\">");
  html << frame.t(Msg::kCancel);
  html.raw("</a></form></div></div>");
  closeLayout(html);
  return html.take();
}

}  // namespace bookstore::web::views
