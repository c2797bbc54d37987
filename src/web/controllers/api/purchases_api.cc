// GET/POST /api/v1/purchases, GET /api/v1/purchases/{id},
// POST /api/v1/purchases/{id}/payment and /delivery, GET /api/v1/delivery-providers.
#include "domain/purchase_state.h"
#include "web/controllers/api/api.h"
#include "web/controllers/api/api_support.h"
#include "web/request_info.h"

namespace bookstore::web::api {
namespace {

// What every call on one purchase starts with: the caller (401 without a
// token) and their purchase (404 for anyone else's), plus the JSON body when
// the call has one (400 when it is not a JSON object).
struct PurchaseCall {
  int64_t userId = 0;
  std::optional<db::Purchase> purchase;
  Json::Value body;
  Response error;
};

// (No co_await inside conditional expressions: GCC 12 miscompiles them.)
drogon::Task<PurchaseCall> purchaseCall(const app::AppContext& ctx, const Request& req,
                                        const std::string& idText, bool withBody) {
  PurchaseCall call;
  auto user = co_await bearerUser(ctx, req);
  if (!user) {
    call.error = unauthorized();
    co_return call;
  }
  call.userId = user->id;
  auto id = parseId(idText);
  if (id) call.purchase = co_await ctx.purchases->findForBuyer(*id, user->id);
  if (!call.purchase) {
    call.error = notFound("No such purchase.");
    co_return call;
  }
  if (withBody) {
    auto parsed = jsonBody(req);
    if (auto* error = std::get_if<Response>(&parsed)) {
      call.error = *error;
      call.purchase.reset();
      co_return call;
    }
    call.body = std::get<Json::Value>(parsed);
  }
  co_return call;
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
           // The answer comes from the purchase's own transaction; a re-read only
           // when the repository could not tell.
           auto purchase = std::move(result.purchase);
           if (!purchase) {
             purchase = co_await ctx->purchases->findForBuyer(result.purchaseId, user->id);
           }
           if (!purchase) co_return notFound("No such purchase.");
           auto resp = jsonResponse(purchaseJson(*purchase), drogon::k201Created);
           resp->addHeader("Location", "/api/v1/purchases/" + std::to_string(result.purchaseId));
           co_return resp;
         },
         {drogon::Get, drogon::Post});

  addApi(ctx, "/api/v1/purchases/{id}",
         [ctx](Request req, std::string idText) -> drogon::Task<Response> {
           auto call = co_await purchaseCall(*ctx, req, idText, false);
           if (!call.purchase) co_return call.error;
           co_return jsonResponse(purchaseJson(*call.purchase));
         },
         {drogon::Get});

  addApi(ctx, "/api/v1/purchases/{id}/payment",
         [ctx](Request req, std::string idText) -> drogon::Task<Response> {
           // No read before pay(): it answers kNotFound for a missing purchase or
           // anyone else's. Only a refused body needs one, as a missing
           // purchase is a 404 whatever the body.
           auto user = co_await bearerUser(*ctx, req);
           if (!user) co_return unauthorized();
           const int64_t userId = user->id;
           const auto id = parseId(idText);
           if (!id) co_return notFound("No such purchase.");
           auto parsed = jsonBody(req);
           std::optional<std::string_view> method;
           if (const auto* body = std::get_if<Json::Value>(&parsed)) {
             auto methodText = stringField(*body, "method");
             if (methodText) method = domain::parsePaymentMethod(*methodText);
           }
           if (!method) {
             auto existing = co_await ctx->purchases->findForBuyer(*id, userId);
             if (!existing) co_return notFound("No such purchase.");
             if (auto* error = std::get_if<Response>(&parsed)) co_return *error;
             Json::Value fields;
             fields["method"] = "must be one of Credit Card, Paypal, Bank Transfer";
             co_return validationFailed(fields);
           }
           auto paid = co_await ctx->purchases->pay(*id, userId, std::string(*method));
           if (paid.outcome == db::PayOutcome::kNotFound) co_return notFound("No such purchase.");
           if (paid.outcome == db::PayOutcome::kNotPayable) {
             co_return conflict("conflict", "This purchase cannot be paid.");
           }
           // A new payment's answer comes from pay()'s transaction; a repeat
           // shows the purchase as stored (its first payment, any delivery).
           auto purchase = std::move(paid.purchase);
           if (!purchase) purchase = co_await ctx->purchases->findForBuyer(*id, userId);
           if (!purchase) co_return notFound("No such purchase.");
           co_return jsonResponse(purchaseJson(*purchase), paid.outcome == db::PayOutcome::kPaid
                                                               ? drogon::k201Created
                                                               : drogon::k200OK);
         },
         {drogon::Post});

  addApi(ctx, "/api/v1/purchases/{id}/delivery",
         [ctx](Request req, std::string idText) -> drogon::Task<Response> {
           auto call = co_await purchaseCall(*ctx, req, idText, true);
           if (!call.purchase) co_return call.error;
           const int64_t id = call.purchase->id;
           const int64_t userId = call.userId;
           auto providerId = integerField(call.body, "provider_id");
           Json::Value fields;
           if (!providerId || *providerId < 1) {
             fields["provider_id"] = "must be a delivery provider id";
             co_return validationFailed(fields);
           }
           auto outcome = co_await ctx->purchases->chooseDelivery(id, userId, *providerId);
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
           auto purchase = co_await ctx->purchases->findForBuyer(id, userId);
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
