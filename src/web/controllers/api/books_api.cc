// GET/POST /api/v1/books, GET/PATCH/DELETE /api/v1/books/{id},
// PUT /api/v1/books/{id}/cover.
#include "domain/image_type.h"
#include "domain/money.h"
#include "services/covers.h"
#include "web/controllers/api/api.h"
#include "web/controllers/api/api_support.h"
#include "web/request_info.h"

namespace bookstore::web::api {
namespace {

// Copies the fields present in `body` onto `book`, type-checking each; a
// missing field keeps the book's value. Returns the problems found.
Json::Value mergeBookFields(const Json::Value& body, domain::ValidBook& book, bool requireAll) {
  Json::Value fields(Json::objectValue);
  auto text = [&](const char* name, std::string& target, bool required) {
    if (!body.isMember(name)) {
      if (required) fields[name] = "is required";
      return;
    }
    if (!body[name].isString()) {
      fields[name] = "must be a string";
      return;
    }
    target = std::string(domain::trimAscii(body[name].asString()));
  };
  text("title", book.title, requireAll);
  text("author", book.author, requireAll);
  text("description", book.description, false);
  if (body.isMember("price")) {
    const auto& price = body["price"];
    std::optional<int64_t> cents;
    if (price.isNumeric() && !price.isBool()) cents = domain::priceFromJsonNumber(price.asDouble());
    if (!cents) {
      fields["price"] = "must be a number from 0 to 1000000 with at most two decimals";
    } else {
      book.priceCents = *cents;
    }
  } else if (requireAll) {
    fields["price"] = "is required";
  }
  if (body.isMember("stock")) {
    auto stock = integerField(body, "stock");
    if (!stock || body["stock"].isBool()) {
      fields["stock"] = "must be a whole number from 0 to 1000000";
    } else {
      book.stock = *stock;
    }
  } else if (requireAll) {
    fields["stock"] = "is required";
  }
  for (const auto& e : domain::validateBookFields(book)) {
    if (!fields.isMember(e.field)) fields[e.field] = e.messageEn;
  }
  return fields;
}

// A book that is on sale, named by a path segment. (No co_await inside
// conditional expressions: GCC 12 miscompiles them.)
drogon::Task<std::optional<db::Book>> bookOnSale(const app::AppContext& ctx,
                                                 const std::string& idText) {
  auto id = parseId(idText);
  if (!id) co_return std::nullopt;
  auto book = co_await ctx.books->find(*id);
  if (!book || book->archived) co_return std::nullopt;
  co_return book;
}

struct OwnedBook {
  std::optional<db::Book> book;
  Response error;
};

// The book for a change by `req`'s caller: 401 without a token, 404 when it
// does not exist (or is archived), 403 when the caller is not its seller.
drogon::Task<OwnedBook> ownedBook(const app::AppContext& ctx, const Request& req,
                                  const std::string& idText) {
  OwnedBook out;
  auto user = co_await bearerUser(ctx, req);
  if (!user) {
    out.error = unauthorized();
    co_return out;
  }
  auto book = co_await bookOnSale(ctx, idText);
  if (!book) {
    out.error = notFound("No such book.");
    co_return out;
  }
  if (book->sellerId != user->id) {
    out.error = forbidden();
    co_return out;
  }
  out.book = std::move(book);
  co_return out;
}

}  // namespace

void registerBookRoutes(const app::ContextPtr& ctx) {
  addApi(
      ctx, "/api/v1/books",
      [ctx](Request req) -> drogon::Task<Response> {
        if (req->method() == drogon::Get) {
          auto pg = paging(req);
          if (auto* error = std::get_if<Response>(&pg)) co_return *error;
          const auto& p = std::get<Paging>(pg);
          const auto& query = req->getParameter("q");
          auto wait = ctx->catalog->snapshot();
          const auto snapshot = co_await wait;
          // The same list for every caller until the snapshot changes.
          const auto text = snapshot->memo<std::string>(
              "json:books:" + std::to_string(p.page) + ":" + std::to_string(p.perPage) + ":" +
                  query,
              [&] {
                return toJsonText(listJson(snapshot->page(query, p.page, p.perPage), p, bookJson));
              });
          co_return jsonTextResponse(*text);
        }
        auto user = co_await bearerUser(*ctx, req);
        if (!user) co_return unauthorized();
        auto parsed = jsonBody(req);
        if (auto* error = std::get_if<Response>(&parsed)) co_return *error;
        domain::ValidBook book;
        auto fields = mergeBookFields(std::get<Json::Value>(parsed), book, true);
        if (!fields.empty()) co_return validationFailed(fields);
        auto id = co_await ctx->books->create(user->id, book, "");
        auto created = co_await ctx->books->find(id);
        auto resp = jsonResponse(bookJson(*created), drogon::k201Created);
        resp->addHeader("Location", "/api/v1/books/" + std::to_string(id));
        co_return resp;
      },
      {drogon::Get, drogon::Post});

  addApi(ctx, "/api/v1/books/{id}",
         [ctx](Request req, std::string idText) -> drogon::Task<Response> {
           if (req->method() == drogon::Get) {
             // From the snapshot when listed there, else from the database
             // (a book added on another replica a moment ago).
             auto wait = ctx->catalog->snapshot();
             const auto snapshot = co_await wait;
             const auto id = parseId(idText);
             if (const auto* listed = id ? snapshot->find(*id) : nullptr) {
               co_return jsonResponse(bookJson(*listed));
             }
             auto book = co_await bookOnSale(*ctx, idText);
             if (!book) co_return notFound("No such book.");
             co_return jsonResponse(bookJson(*book));
           }
           auto owned = co_await ownedBook(*ctx, req, idText);
           if (!owned.book) co_return owned.error;
           if (req->method() == drogon::Delete) {
             auto outcome = co_await ctx->books->remove(owned.book->id);
             if (outcome == db::DeleteOutcome::kNotFound) co_return notFound("No such book.");
             if (outcome == db::DeleteOutcome::kDeleted && !owned.book->coverImage.empty()) {
               co_await services::deleteCoverFile(*ctx, owned.book->coverImage);
             }
             auto resp = drogon::HttpResponse::newHttpResponse();
             resp->setStatusCode(drogon::k204NoContent);
             co_return resp;
           }
           auto parsed = jsonBody(req);
           if (auto* error = std::get_if<Response>(&parsed)) co_return *error;
           domain::ValidBook book{owned.book->title, owned.book->author, owned.book->description,
                                  owned.book->priceCents, owned.book->stock};
           auto fields = mergeBookFields(std::get<Json::Value>(parsed), book, false);
           if (!fields.empty()) co_return validationFailed(fields);
           co_await ctx->books->update(owned.book->id, book);
           co_return jsonResponse(bookJson(*co_await ctx->books->find(owned.book->id)));
         },
         {drogon::Get, drogon::Patch, drogon::Delete});

  addApi(ctx, "/api/v1/books/{id}/cover",
         [ctx](Request req, std::string idText) -> drogon::Task<Response> {
           auto owned = co_await ownedBook(*ctx, req, idText);
           if (!owned.book) co_return owned.error;
           auto declared = req->getHeader("content-type");
           declared = declared.substr(0, declared.find(';'));
           if (declared != "image/jpeg" && declared != "image/png" && declared != "image/webp") {
             co_return jsonError(drogon::k415UnsupportedMediaType, "unsupported_media_type",
                                 "Send the image bytes as image/jpeg, image/png or image/webp.");
           }
           auto result = co_await services::storeCover(*ctx, std::string(req->body()));
           if (result.outcome == services::CoverOutcome::kTooLarge) {
             co_return jsonError(drogon::k413RequestEntityTooLarge, "payload_too_large",
                                 "The image is larger than the upload limit.");
           }
           if (result.outcome != services::CoverOutcome::kStored) {
             co_return jsonError(drogon::k415UnsupportedMediaType, "unsupported_media_type",
                                 "The content is not a complete JPEG, PNG or WebP image.");
           }
           co_await services::attachCover(*ctx, owned.book->id, result.fileName);
           co_return jsonResponse(bookJson(*co_await ctx->books->find(owned.book->id)));
         },
         {drogon::Put});
}

}  // namespace bookstore::web::api
