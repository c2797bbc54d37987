// Publishing, editing and deleting one's own books.
#include <variant>

#include "domain/money.h"
#include "services/covers.h"
#include "web/controllers/pages/book_submission.h"
#include "web/controllers/pages/page_groups.h"
#include "web/controllers/pages/page_kit.h"
#include "web/request_info.h"
#include "web/views/book_views.h"

namespace bookstore::web::pages {
namespace {

using drogon::Get;
using drogon::Post;

constexpr auto kNotAnImageEs = "La portada debe ser una imagen JPEG, PNG o WebP válida.";

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
  view.currentCover = book.coverImage;
  return view;
}

std::string formTitle(int64_t bookId) {
  return bookId ? "Editar libro" : "Publicar un libro";
}

Response refusedForm(const app::AppContext& ctx, const Visitor& visitor,
                     const views::BookFormView& view) {
  return htmlPage(visitor,
                  views::renderBookForm(frameFor(ctx, visitor, formTitle(view.bookId)), view),
                  drogon::k400BadRequest);
}

// What a submitted form becomes: the valid book plus its stored cover, or the
// response that refuses it (nothing stored then).
struct CheckedSubmission {
  std::optional<domain::ValidBook> book;
  std::string coverFile;  // "" when no new cover
  Response refusal;
};

// `submission` and `view` are the caller's locals (by reference: GCC 12
// mishandles class-type coroutine parameters built from temporaries).
drogon::Task<CheckedSubmission> checkSubmission(const app::AppContext& ctx, const Visitor& visitor,
                                                BookSubmission& submission,
                                                views::BookFormView& view) {
  CheckedSubmission checked;
  const auto maxBytes = static_cast<size_t>(ctx.config.maxUploadBytes);
  if (submission.coverLength > maxBytes) {
    checked.refusal =
        errorPage(ctx, visitor, drogon::k413RequestEntityTooLarge,
                  "La portada supera el tamaño máximo permitido (" +
                      std::to_string(ctx.config.maxUploadBytes / (1024 * 1024)) + " MB).");
    co_return checked;
  }
  auto validated = domain::validateBook(submission.fields);
  if (auto* errors = std::get_if<domain::FieldErrors>(&validated)) {
    view.errors = std::move(*errors);
    view.messages.push_back("Revisa los campos marcados.");
    checked.refusal = refusedForm(ctx, visitor, view);
    co_return checked;
  }
  if (submission.cover) {
    std::string coverBytes = std::move(*submission.cover);
    auto stored = co_await services::storeCover(ctx, std::move(coverBytes));
    if (stored.outcome == services::CoverOutcome::kTooLarge) {
      checked.refusal = errorPage(ctx, visitor, drogon::k413RequestEntityTooLarge);
      co_return checked;
    }
    if (stored.outcome != services::CoverOutcome::kStored) {
      view.errors.push_back({"cover", "invalid", "", kNotAnImageEs});
      view.messages.push_back(kNotAnImageEs);
      checked.refusal = refusedForm(ctx, visitor, view);
      co_return checked;
    }
    checked.coverFile = stored.fileName;
  }
  checked.book = std::get<domain::ValidBook>(std::move(validated));
  co_return checked;
}

// The book `idText` names when `visitor` may change it; else the error page.
struct OwnedBook {
  std::optional<db::Book> book;
  Response refusal;
};
drogon::Task<OwnedBook> ownedBook(const app::AppContext& ctx, const Visitor& visitor,
                                  const std::string& idText) {
  OwnedBook owned;
  const auto id = parseId(idText);
  std::optional<db::Book> book;
  if (id) {
    auto found = co_await ctx.books->find(*id);
    book = std::move(found);
  }
  // An archived book is only kept for order history: it cannot be edited.
  if (!book || book->archived) {
    owned.refusal = errorPage(ctx, visitor, drogon::k404NotFound);
  } else if (book->sellerId != visitor.user->id) {
    owned.refusal = errorPage(ctx, visitor, drogon::k403Forbidden,
                              "Solo quien publicó este libro puede modificarlo.");
  } else {
    owned.book = std::move(book);
  }
  co_return owned;
}

drogon::Task<Response> addForm(app::ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return redirectToLogin(visitor, requestTarget(req));
  views::BookFormView view;
  view.stock = "1";
  co_return htmlPage(visitor, views::renderBookForm(frameFor(*ctx, visitor, formTitle(0)), view));
}

drogon::Task<Response> addSubmit(app::ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  auto submission = readBookSubmission(req, static_cast<size_t>(ctx->config.maxUploadBytes));
  if (submission.malformed) co_return errorPage(*ctx, visitor, drogon::k400BadRequest);
  if (!csrfTokenMatches(*ctx, visitor, submission.csrfToken)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return redirectToLogin(visitor, "/book/add_book");
  auto view = formFrom(submission.fields, 0);
  auto checked = co_await checkSubmission(*ctx, visitor, submission, view);
  if (checked.refusal) co_return checked.refusal;

  std::exception_ptr failure;
  try {
    // The cover is attached in a second step: BookRepository::create given a
    // cover name is miscompiled by GCC 12 (a temporary destroyed twice).
    const int64_t bookId = co_await ctx->books->create(visitor.user->id, *checked.book, "");
    if (!checked.coverFile.empty()) {
      co_await services::attachCover(*ctx, bookId, checked.coverFile);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    // The row was not written: its new cover file would be an orphan.
    if (!checked.coverFile.empty()) co_await services::deleteCoverFile(*ctx, checked.coverFile);
    std::rethrow_exception(failure);
  }
  co_return redirectWithFlash(visitor, "/book/catalog", "book_added");
}

drogon::Task<Response> editForm(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return redirectToLogin(visitor, requestTarget(req));
  auto owned = co_await ownedBook(*ctx, visitor, idText);
  if (owned.refusal) co_return owned.refusal;
  co_return htmlPage(visitor,
                     views::renderBookForm(frameFor(*ctx, visitor, formTitle(owned.book->id)),
                                           formFrom(*owned.book)));
}

drogon::Task<Response> editSubmit(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  auto submission = readBookSubmission(req, static_cast<size_t>(ctx->config.maxUploadBytes));
  if (submission.malformed) co_return errorPage(*ctx, visitor, drogon::k400BadRequest);
  if (!csrfTokenMatches(*ctx, visitor, submission.csrfToken)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return redirectToLogin(visitor, "/book/edit_book/" + idText);
  auto owned = co_await ownedBook(*ctx, visitor, idText);
  if (owned.refusal) co_return owned.refusal;
  const int64_t bookId = owned.book->id;
  auto view = formFrom(submission.fields, bookId);
  view.currentCover = owned.book->coverImage;
  auto checked = co_await checkSubmission(*ctx, visitor, submission, view);
  if (checked.refusal) co_return checked.refusal;

  std::exception_ptr failure;
  try {
    co_await ctx->books->update(bookId, *checked.book);
    // Replaces the old cover and deletes its file.
    if (!checked.coverFile.empty()) co_await services::attachCover(*ctx, bookId, checked.coverFile);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    if (!checked.coverFile.empty()) co_await services::deleteCoverFile(*ctx, checked.coverFile);
    std::rethrow_exception(failure);
  }
  co_return redirectWithFlash(visitor, "/book/my_books", "book_updated");
}

drogon::Task<Response> deleteSubmit(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return redirectToLogin(visitor, "/book/my_books");
  auto owned = co_await ownedBook(*ctx, visitor, idText);
  if (owned.refusal) co_return owned.refusal;
  const auto outcome = co_await ctx->books->remove(owned.book->id);
  switch (outcome) {
    case db::DeleteOutcome::kNotFound:
      co_return errorPage(*ctx, visitor, drogon::k404NotFound);
    case db::DeleteOutcome::kArchived:
      // The cover stays: order history still shows the book.
      co_return redirectWithFlash(visitor, "/book/my_books", "book_archived");
    case db::DeleteOutcome::kDeleted:
      break;
  }
  if (!owned.book->coverImage.empty()) {
    co_await services::deleteCoverFile(*ctx, owned.book->coverImage);
  }
  co_return redirectWithFlash(visitor, "/book/my_books", "book_deleted");
}

}  // namespace

void registerBookFormPages(const app::ContextPtr& ctx) {
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
