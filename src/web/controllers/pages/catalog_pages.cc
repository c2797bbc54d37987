// The catalog, a book's page and the seller's own list.
#include "domain/tokens.h"
#include "domain/validation.h"
#include "web/controllers/pages/page_kit.h"
#include "web/controllers/route_groups.h"
#include "web/request_info.h"
#include "web/views/book_views.h"
#include "web/views/page_parts.h"

namespace bookstore::web::pages {
namespace {

using drogon::Get;

constexpr int64_t kBooksPerPage = 20;

// One page of the catalog or of a search (CatalogService::page); the
// rendered content is shared by every visitor reading the same language until
// the listing or one of its books changes.
views::SharedFragment renderCatalogContent(const services::CatalogPage& shown, i18n::Lang lang,
                                           std::string query, int64_t page) {
  views::CatalogView view;
  view.lang = lang;
  view.query = std::move(query);
  view.page = page;
  view.books = shown.page.items;
  view.total = shown.page.total;
  view.totalPages = views::pageCount(view.total, kBooksPerPage);
  return views::renderCatalogContent(view);
}

drogon::Task<Response> catalog(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  auto query = std::string(domain::trimAscii(req->getParameter("q")));
  const int64_t page = pageParameter(req);
  // One rendering per language: the key names it.
  std::string key = "html:catalog:";
  key.append(i18n::code(visitor.lang)).append(":").append(std::to_string(page)).append(":");
  key.append(query);
  auto content = co_await ctx->catalog->memoFind<views::SharedFragment>(key);
  if (!content) {
    const auto shown = co_await ctx->catalog->page(query, page, kBooksPerPage);
    content =
        ctx->catalog->memoStore(key, shown, renderCatalogContent(shown, visitor.lang, query, page));
  }
  auto frame = frameFor(*ctx, visitor, i18n::Msg::kNavCatalog);
  frame.formToken = domain::randomToken(16);  // one per render, for its buy forms
  co_return htmlPage(visitor, views::renderCatalog(frame, *content));
}

drogon::Task<Response> bookDetail(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  const auto id = parseId(idText);
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  // Archived books keep their page: order history links to them.
  auto book = co_await ctx->catalog->book(*id, services::CatalogService::Archived::kIncluded);
  if (!book) co_return errorPage(*ctx, visitor, book.error());
  const bool isOwner = visitor.user && visitor.user->id == book->sellerId;
  auto frame = frameFor(*ctx, visitor, book->title);
  frame.formToken = domain::randomToken(16);  // one per render, for its buy form
  co_return htmlPage(visitor, views::renderBookDetail(frame, *book, isOwner));
}

drogon::Task<Response> myBooks(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return redirectToLogin(visitor, requestTarget(req));
  auto books = co_await ctx->books->booksOf(visitor.user->id);
  co_return htmlPage(visitor,
                     views::renderMyBooks(frameFor(*ctx, visitor, i18n::Msg::kNavMyBooks), books));
}

}  // namespace

void registerCatalogPages(const ContextPtr& ctx) {
  addPage(ctx, "/book/catalog", [ctx](Request req) { return catalog(ctx, std::move(req)); }, {Get});
  addPage(ctx, "/book/my_books", [ctx](Request req) { return myBooks(ctx, std::move(req)); },
          {Get});
  addPage(
      ctx, "/book/{id}",
      [ctx](Request req, std::string id) { return bookDetail(ctx, std::move(req), std::move(id)); },
      {Get});
}

}  // namespace bookstore::web::pages
