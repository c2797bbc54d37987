// Publishing, editing and deleting one's own books.
#include <variant>

#include "domain/money.h"
#include "web/controllers/pages/book_submission.h"
#include "web/controllers/pages/page_kit.h"
#include "web/controllers/route_groups.h"
#include "web/request_info.h"
#include "web/views/book_views.h"

namespace bookstore::web::pages {
namespace {

using drogon::Get;
using drogon::Post;

views::BookFormView formFrom(const domain::BookInput& fields, int64_t bookId) {
  views::BookFormView view;
  view.bookId = bookId;
  view.title = fields.title;
  view.author = fields.author;
  view.description = fields.description;
  view.price = fields.price;
  view.stock = fields.stock;
  return view;
}

views::BookFormView formFrom(const db::Book& book) {
  views::BookFormView view;
  view.bookId = book.id;
  view.title = book.title;
  view.author = book.author;
  view.description = book.description;
  view.price = domain::formatMoney(book.priceCents);
  view.stock = std::to_string(book.stock);
  view.expectedStock = view.stock;
  view.currentCover = book.coverImage;
  view.currentAuthor = book.author;
  return view;
}

i18n::Msg formTitle(int64_t bookId) {
  return bookId ? i18n::Msg::kEditBook : i18n::Msg::kAddBook;
}

Response refusedForm(const WebContext& ctx, const Visitor& visitor,
                     const views::BookFormView& view) {
  return htmlPage(visitor,
                  views::renderBookForm(frameFor(ctx, visitor, formTitle(view.bookId)), view),
                  drogon::k400BadRequest);
}

// A submitted form is either refused (its page) or becomes a valid book and
// the cover bytes to store, if any.
struct CheckedSubmission {
  std::optional<domain::ValidBook> book;
  std::optional<std::string> cover;
  Response refusal;
};

CheckedSubmission checkSubmission(const WebContext& ctx, const Visitor& visitor,
                                  BookSubmission submission, views::BookFormView& view) {
  CheckedSubmission checked;
  if (auto size = ctx.books->coverSizeAllowed(submission.coverLength); !size) {
    checked.refusal = errorPage(ctx, visitor, size.error());
    return checked;
  }
  auto validated = domain::validateBook(submission.fields);
  if (auto* errors = std::get_if<domain::FieldErrors>(&validated)) {
    view.errors = std::move(*errors);
    view.messages.push_back(std::string(i18n::text(visitor.lang, i18n::Msg::kCheckFields)));
    checked.refusal = refusedForm(ctx, visitor, view);
    return checked;
  }
  checked.book = std::get<domain::ValidBook>(std::move(validated));
  checked.cover = std::move(submission.cover);
  return checked;
}

// The page of a refused publish or edit: a cover that is no image, a quota
// reached or a full upload folder go back to the form (as typed, with the
// reason; a quota's answer says when to retry), anything else is an error page.
Response refusedChange(const WebContext& ctx, const Visitor& visitor, views::BookFormView& view,
                       const services::Error& error) {
  using services::Problem;
  if (error.problem == Problem::kBookQuotaReached || error.problem == Problem::kCoverQuotaReached ||
      error.problem == Problem::kStorageFull) {
    const auto refusal = htmlRefusalFor(error, visitor.lang);
    if (error.problem != Problem::kBookQuotaReached) {
      view.errors.push_back({"cover", "refused", "", refusal.message});
    }
    view.messages.push_back(refusal.message);
    auto resp = htmlPage(
        visitor, views::renderBookForm(frameFor(ctx, visitor, formTitle(view.bookId)), view),
        refusal.status);
    if (auto after = retryAfterOf(error)) resp->addHeader("Retry-After", std::to_string(*after));
    return resp;
  }
  if (error.problem != Problem::kCoverNotAnImage) {
    return errorPage(ctx, visitor, error);
  }
  const auto refusal = htmlRefusalFor(error, visitor.lang);
  view.errors.push_back({"cover", "invalid", "", refusal.message});
  view.messages.push_back(refusal.message);
  return refusedForm(ctx, visitor, view);
}

drogon::Task<Response> addForm(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return redirectToLogin(visitor, requestTarget(req));
  views::BookFormView view;
  view.stock = "1";
  co_return htmlPage(visitor, views::renderBookForm(frameFor(*ctx, visitor, formTitle(0)), view));
}

drogon::Task<Response> addSubmit(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  auto submission = readBookSubmission(req, static_cast<size_t>(ctx->settings.maxUploadBytes));
  if (submission.malformed) co_return errorPage(*ctx, visitor, drogon::k400BadRequest);
  if (!csrfMatches(*ctx, visitor, submission.csrfToken)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return redirectToLogin(visitor, "/book/add_book");
  auto view = formFrom(submission.fields, 0);
  auto checked = checkSubmission(*ctx, visitor, std::move(submission), view);
  if (checked.refusal) co_return checked.refusal;
  auto published = co_await ctx->books->publish(visitor.user->id, std::move(*checked.book),
                                                std::move(checked.cover));
  if (!published) co_return refusedChange(*ctx, visitor, view, published.error());
  co_return redirectWithFlash(visitor, "/book/catalog", "book_added");
}

drogon::Task<Response> editForm(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return redirectToLogin(visitor, requestTarget(req));
  const auto id = parseId(idText);
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  auto owned = co_await ctx->books->ownedBook(visitor.user->id, *id);
  if (!owned) co_return errorPage(*ctx, visitor, owned.error());
  co_return htmlPage(visitor, views::renderBookForm(frameFor(*ctx, visitor, formTitle(owned->id)),
                                                    formFrom(*owned)));
}

drogon::Task<Response> editSubmit(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  auto submission = readBookSubmission(req, static_cast<size_t>(ctx->settings.maxUploadBytes));
  if (submission.malformed) co_return errorPage(*ctx, visitor, drogon::k400BadRequest);
  if (!csrfMatches(*ctx, visitor, submission.csrfToken)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return redirectToLogin(visitor, "/book/edit_book/" + idText);
  const auto id = parseId(idText);
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  // Read first: a refused form shows the current cover.
  auto owned = co_await ctx->books->ownedBook(visitor.user->id, *id);
  if (!owned) co_return errorPage(*ctx, visitor, owned.error());
  auto view = formFrom(submission.fields, *id);
  view.currentCover = owned->coverImage;
  view.expectedStock = submission.expectedStock;
  // A form from before this check carries no expected stock: unguarded.
  const auto expectedStock = domain::parseStock(submission.expectedStock);
  auto checked = checkSubmission(*ctx, visitor, std::move(submission), view);
  if (checked.refusal) co_return checked.refusal;
  auto changes = domain::allFieldsOf(*checked.book, expectedStock);
  auto edited = co_await ctx->books->edit(visitor.user->id, *id, std::move(changes),
                                          std::move(checked.cover));
  if (!edited && edited.problem() == services::Problem::kStockChanged) {
    // The form again, with the stock as it is now: nothing was changed.
    view.stock = view.expectedStock = std::to_string(edited.error().stockLeft);
    view.messages.push_back(htmlRefusalFor(edited.error(), visitor.lang).message);
    co_return htmlPage(visitor,
                       views::renderBookForm(frameFor(*ctx, visitor, formTitle(view.bookId)), view),
                       drogon::k409Conflict);
  }
  if (!edited) co_return refusedChange(*ctx, visitor, view, edited.error());
  co_return redirectWithFlash(visitor, "/book/my_books", "book_updated");
}

drogon::Task<Response> deleteSubmit(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return redirectToLogin(visitor, "/book/my_books");
  const auto id = parseId(idText);
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  const auto removed = co_await ctx->books->remove(visitor.user->id, *id);
  if (!removed) co_return errorPage(*ctx, visitor, removed.error());
  // An archived book keeps its cover: order history still shows it.
  co_return redirectWithFlash(
      visitor, "/book/my_books",
      *removed == services::BookService::Removal::kArchived ? "book_archived" : "book_deleted");
}

}  // namespace

void registerBookFormPages(const ContextPtr& ctx) {
  addPage(ctx, "/book/add_book",
          getOrPost([ctx](Request req) { return addForm(ctx, std::move(req)); },
                    [ctx](Request req) { return addSubmit(ctx, std::move(req)); }),
          {Get, Post});
  addPage(ctx, "/book/edit_book/{id}",
          getOrPost([ctx](Request req,
                          std::string id) { return editForm(ctx, std::move(req), std::move(id)); },
                    [ctx](Request req, std::string id) {
                      return editSubmit(ctx, std::move(req), std::move(id));
                    }),
          {Get, Post});
  addPage(ctx, "/book/delete_book/{id}",
          [ctx](Request req, std::string id) {
            return deleteSubmit(ctx, std::move(req), std::move(id));
          },
          {Post});
}

}  // namespace bookstore::web::pages
