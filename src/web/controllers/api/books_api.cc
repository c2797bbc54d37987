// GET/POST /api/v1/books, GET/PATCH/DELETE /api/v1/books/{id},
// PUT /api/v1/books/{id}/cover.
#include "domain/money.h"
#include "web/controllers/api/api_support.h"
#include "web/controllers/route_groups.h"
#include "web/request_info.h"

namespace bookstore::web::api {
namespace {

drogon::Task<Response> listBooks(ContextPtr ctx, Request req) {
  auto pg = paging(req);
  if (!pg) co_return jsonErrorFor(pg.error());
  const Paging p = *pg;
  const auto& query = req->getParameter("q");
  // The same list for every caller until the listing or one of its books changes.
  const auto key =
      "json:books:" + std::to_string(p.page) + ":" + std::to_string(p.perPage) + ":" + query;
  auto text = co_await ctx->catalog->memoFind<std::string>(key);
  if (!text) {
    const auto shown = co_await ctx->catalog->page(query, p.page, p.perPage);
    text = ctx->catalog->memoStore(key, shown, toJsonText(listJson(shown.page, p, bookJson)));
  }
  co_return jsonTextResponse(*text);
}

drogon::Task<Response> publishBook(ContextPtr ctx, Request req) {
  auto user = co_await bearerUser(*ctx, req);
  if (!user) co_return unauthorized();
  auto body = jsonBody(req);
  if (!body) co_return jsonErrorFor(body.error());
  domain::ValidBook book;
  auto fields = mergeBookFields(*body, book, true);
  if (!fields.empty()) co_return jsonErrorFor(services::invalidFields(std::move(fields)));
  std::optional<std::string> noCover;  // covers come through PUT .../cover
  auto published = co_await ctx->books->publish(user->id, std::move(book), std::move(noCover));
  if (!published) co_return jsonErrorFor(published.error());
  auto resp = jsonResponse(bookJson(*published), drogon::k201Created);
  resp->addHeader("Location", "/api/v1/books/" + std::to_string(published->id));
  co_return resp;
}

drogon::Task<Response> showBook(ContextPtr ctx, Request, std::string idText) {
  const auto id = parseId(idText);
  if (!id) co_return jsonErrorFor(services::refuse(services::Problem::kBookNotFound));
  auto book = co_await ctx->catalog->book(*id, services::CatalogService::Archived::kExcluded);
  if (!book) co_return jsonErrorFor(book.error());
  co_return jsonResponse(bookJson(*book));
}

// The caller's own book that the path names: kUnauthorized without a valid
// token, kBookNotFound, kNotSeller.
struct CallersBook {
  db::User user;
  db::Book book;
};
drogon::Task<services::Outcome<CallersBook>> callersBook(const WebContext& ctx, Request req,
                                                         std::string idText) {
  auto user = co_await bearerUser(ctx, req);
  if (!user) co_return services::refuse(services::Problem::kUnauthorized);
  const auto id = parseId(idText);
  if (!id) co_return services::refuse(services::Problem::kBookNotFound);
  auto owned = co_await ctx.books->ownedBook(user->id, *id);
  if (!owned) co_return owned.error();
  co_return CallersBook{std::move(*user), std::move(owned.value())};
}

drogon::Task<Response> editBook(ContextPtr ctx, Request req, std::string idText) {
  auto owned = co_await callersBook(*ctx, req, std::move(idText));
  if (!owned) co_return jsonErrorFor(owned.error());
  auto body = jsonBody(req);
  if (!body) co_return jsonErrorFor(body.error());
  // Fields left out keep their stored values.
  const auto& stored = owned->book;
  domain::ValidBook book{stored.title, stored.author, stored.description, stored.priceCents,
                         stored.stock};
  auto fields = mergeBookFields(*body, book, false);
  // expected_stock: the stock the caller read; the change applies only
  // while it is still that (rule 12).
  std::optional<int64_t> expectedStock;
  if (body->isMember("expected_stock")) {
    expectedStock = integerField(*body, "expected_stock");
    if (!expectedStock || (*body)["expected_stock"].isBool() || *expectedStock < 0) {
      fields.push_back(
          {"expected_stock", "invalid", "must be the whole number of copies read", ""});
    }
  }
  if (!fields.empty()) co_return jsonErrorFor(services::invalidFields(std::move(fields)));
  // Only the fields sent are written: a concurrent edit of another field or
  // a sale is never undone.
  domain::BookChanges changes;
  if (body->isMember("title")) changes.title = book.title;
  if (body->isMember("author")) changes.author = book.author;
  if (body->isMember("description")) changes.description = book.description;
  if (body->isMember("price")) changes.priceCents = book.priceCents;
  if (body->isMember("stock")) changes.stock = book.stock;
  changes.expectedStock = expectedStock;
  std::optional<std::string> sameCover;
  auto edited = co_await ctx->books->edit(owned->user.id, stored.id, std::move(changes),
                                          std::move(sameCover));
  if (!edited) co_return jsonErrorFor(edited.error());
  co_return jsonResponse(bookJson(*edited));
}

drogon::Task<Response> removeBook(ContextPtr ctx, Request req, std::string idText) {
  auto user = co_await bearerUser(*ctx, req);
  if (!user) co_return unauthorized();
  const auto id = parseId(idText);
  if (!id) co_return jsonErrorFor(services::refuse(services::Problem::kBookNotFound));
  auto removed = co_await ctx->books->remove(user->id, *id);
  if (!removed) co_return jsonErrorFor(removed.error());
  auto resp = drogon::HttpResponse::newHttpResponse();
  resp->setStatusCode(drogon::k204NoContent);
  co_return resp;
}

drogon::Task<Response> replaceCover(ContextPtr ctx, Request req, std::string idText) {
  auto owned = co_await callersBook(*ctx, req, std::move(idText));
  if (!owned) co_return jsonErrorFor(owned.error());
  auto declared = req->getHeader("content-type");
  declared = declared.substr(0, declared.find(';'));
  if (declared != "image/jpeg" && declared != "image/png" && declared != "image/webp") {
    co_return jsonErrorFor(services::refuse(services::Problem::kWrongContentType));
  }
  std::string bytes(req->body());
  auto replaced =
      co_await ctx->books->replaceCover(owned->user.id, owned->book.id, std::move(bytes));
  if (!replaced) co_return jsonErrorFor(replaced.error());
  co_return jsonResponse(bookJson(*replaced));
}

}  // namespace

void registerBookRoutes(const ContextPtr& ctx) {
  addApi(ctx, "/api/v1/books",
         [ctx](Request req) {
           return req->method() == drogon::Get ? listBooks(ctx, std::move(req))
                                               : publishBook(ctx, std::move(req));
         },
         {drogon::Get, drogon::Post});
  addApi(ctx, "/api/v1/books/{id}",
         [ctx](Request req, std::string id) {
           switch (req->method()) {
             case drogon::Get:
               return showBook(ctx, std::move(req), std::move(id));
             case drogon::Delete:
               return removeBook(ctx, std::move(req), std::move(id));
             default:
               return editBook(ctx, std::move(req), std::move(id));
           }
         },
         {drogon::Get, drogon::Patch, drogon::Delete});
  addApi(ctx, "/api/v1/books/{id}/cover",
         [ctx](Request req, std::string id) {
           return replaceCover(ctx, std::move(req), std::move(id));
         },
         {drogon::Put});
}

}  // namespace bookstore::web::api
