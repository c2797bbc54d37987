// GET/POST /api/v1/purchases, GET /api/v1/purchases/{id},
// POST /api/v1/purchases/{id}/payment and /delivery, GET /api/v1/delivery-providers.
#include "domain/purchase_state.h"
#include "web/controllers/api/api.h"
#include "web/controllers/api/api_support.h"
#include "web/request_info.h"

namespace bookstore::web::api {
namespace {

// The caller's purchase named by a path segment (anyone else's does not exist).
// Written without co_await inside conditional expressions, which GCC 12 miscompiles.
drogon::Task<std::optional<db::Purchase>> buyersPurchase(const app::AppContext& ctx,
                                                         const std::string& idText,
                                                         int64_t userId) {
  auto id = parseId(idText);
  if (!id) co_return std::nullopt;
  co_return co_await ctx.purchases->findForBuyer(*id, userId);
}

}  // namespace

void registerPurchaseRoutes(const app::ContextPtr& ctx) {
  addApi(ctx, "/api/v1/purchases",
         [ctx](Request req) -> drogon::Task<Response> {
           auto user = co_await bearerUser(*ctx, req);
           if (!user) co_return unauthorized();
           if (req->method() == drogon::Get) {
             auto pg = paging(req);
             if (auto* error = std::get_if<Response>(&pg)) co_return *error;
             const auto& p = std::get<Paging>(pg);
             auto page = co_await ctx->purchases->listForBuyer(user->id, p.page, p.perPage);
             co_return jsonResponse(listJson(page, p, purchaseJson));
           }
           auto parsed = jsonBody(req);
           if (auto* error = std::get_if<Response>(&parsed)) co_return *error;
           const auto& body = std::get<Json::Value>(parsed);
           Json::Value fields;
           auto bookId = integerField(body, "book_id");
           auto quantity = integerField(body, "quantity");
           if (!bookId || *bookId < 1) fields["book_id"] = "must be a book id";
           if (!quantity || *quantity < 1 || *quantity > domain::kMaxQuantity) {
             fields["quantity"] = "must be a whole number from 1 to the stock";
           }
           if (!fields.empty()) co_return validationFailed(fields);
           auto result = co_await ctx->purchases->buy(user->id, *bookId, *quantity);
           if (result.outcome == db::BuyOutcome::kBookNotFound) co_return notFound("No such book.");
           if (result.outcome == db::BuyOutcome::kInsufficientStock) {
             co_return conflict("insufficient_stock", "Not enough copies in stock.");
           }
           auto purchase = co_await ctx->purchases->findForBuyer(result.purchaseId, user->id);
           auto resp = jsonResponse(purchaseJson(*purchase), drogon::k201Created);
           resp->addHeader("Location", "/api/v1/purchases/" + std::to_string(result.purchaseId));
           co_return resp;
         },
         {drogon::Get, drogon::Post});

  addApi(ctx, "/api/v1/purchases/{id}",
         [ctx](Request req, std::string idText) -> drogon::Task<Response> {
           auto user = co_await bearerUser(*ctx, req);
           if (!user) co_return unauthorized();
           auto purchase = co_await buyersPurchase(*ctx, idText, user->id);
           if (!purchase) co_return notFound("No such purchase.");
           co_return jsonResponse(purchaseJson(*purchase));
         },
         {drogon::Get});

  addApi(ctx, "/api/v1/purchases/{id}/payment",
         [ctx](Request req, std::string idText) -> drogon::Task<Response> {
           auto user = co_await bearerUser(*ctx, req);
           if (!user) co_return unauthorized();
           auto existing = co_await buyersPurchase(*ctx, idText, user->id);
           if (!existing) co_return notFound("No such purchase.");
           const int64_t id = existing->id;
           auto parsed = jsonBody(req);
           if (auto* error = std::get_if<Response>(&parsed)) co_return *error;
           auto methodText = stringField(std::get<Json::Value>(parsed), "method");
           auto method = methodText ? domain::parsePaymentMethod(*methodText) : std::nullopt;
           if (!method) {
             Json::Value fields;
             fields["method"] = "must be one of Credit Card, Paypal, Bank Transfer";
             co_return validationFailed(fields);
           }
           auto outcome = co_await ctx->purchases->pay(id, user->id, std::string(*method));
           if (outcome == db::PayOutcome::kNotFound) co_return notFound("No such purchase.");
           if (outcome == db::PayOutcome::kNotPayable) {
             co_return conflict("conflict", "This purchase cannot be paid.");
           }
           auto purchase = co_await ctx->purchases->findForBuyer(id, user->id);
           co_return jsonResponse(purchaseJson(*purchase), outcome == db::PayOutcome::kPaid
                                                               ? drogon::k201Created
                                                               : drogon::k200OK);
         },
         {drogon::Post});

  addApi(ctx, "/api/v1/purchases/{id}/delivery",
         [ctx](Request req, std::string idText) -> drogon::Task<Response> {
           auto user = co_await bearerUser(*ctx, req);
           if (!user) co_return unauthorized();
           auto existing = co_await buyersPurchase(*ctx, idText, user->id);
           if (!existing) co_return notFound("No such purchase.");
           const int64_t id = existing->id;
           auto parsed = jsonBody(req);
           if (auto* error = std::get_if<Response>(&parsed)) co_return *error;
           auto providerId = integerField(std::get<Json::Value>(parsed), "provider_id");
           Json::Value fields;
           if (!providerId || *providerId < 1) {
             fields["provider_id"] = "must be a delivery provider id";
             co_return validationFailed(fields);
           }
           auto outcome = co_await ctx->purchases->chooseDelivery(id, user->id, *providerId);
           switch (outcome) {
             case db::DeliveryOutcome::kNotFound:
               co_return notFound("No such purchase.");
             case db::DeliveryOutcome::kProviderNotFound:
               fields["provider_id"] = "no such delivery provider";
               co_return validationFailed(fields);
             case db::DeliveryOutcome::kNotPaid:
               co_return conflict("conflict",
                                  "The purchase must be paid before choosing delivery.");
             case db::DeliveryOutcome::kAlreadyChosen:
               co_return conflict("conflict", "Delivery was already chosen for this purchase.");
             case db::DeliveryOutcome::kAssigned:
               break;
           }
           auto purchase = co_await ctx->purchases->findForBuyer(id, user->id);
           co_return jsonResponse(purchaseJson(*purchase), drogon::k201Created);
         },
         {drogon::Post});

  addApi(ctx, "/api/v1/delivery-providers",
         [ctx](Request) -> drogon::Task<Response> {
           Json::Value body;
           body["items"] = Json::Value(Json::arrayValue);
           for (const auto& p : co_await ctx->providers->list())
             body["items"].append(providerJson(p));
           co_return jsonResponse(body);
         },
         {drogon::Get});
}

}  // namespace bookstore::web::api
