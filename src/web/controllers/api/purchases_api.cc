// GET/POST /api/v1/purchases, GET /api/v1/purchases/{id},
// POST /api/v1/purchases/{id}/payment, /delivery and /cancel,
// GET /api/v1/delivery-providers. The four POSTs accept an Idempotency-Key
// (keyedCall).
#include "web/controllers/api/api_support.h"
#include "web/controllers/route_groups.h"
#include "web/request_info.h"

namespace bookstore::web::api {
namespace {

// Who calls, on which purchase: kUnauthorized without a valid token,
// kPurchaseNotFound for a path id that names nothing.
struct PurchaseCall {
  db::User user;
  int64_t purchaseId = 0;
};
drogon::Task<services::Outcome<PurchaseCall>> purchaseCall(const WebContext& ctx, Request req,
                                                           std::string idText) {
  auto user = co_await bearerUser(ctx, req);
  if (!user) co_return services::refuse(services::Problem::kUnauthorized);
  const auto id = parseId(idText);
  if (!id) co_return services::refuse(services::Problem::kPurchaseNotFound);
  co_return PurchaseCall{std::move(*user), *id};
}

drogon::Task<Response> listPurchases(ContextPtr ctx, Request req) {
  auto user = co_await bearerUser(*ctx, req);
  if (!user) co_return unauthorized();
  auto pg = paging(req);
  if (!pg) co_return jsonErrorFor(pg.error());
  auto page = co_await ctx->purchases->purchasesOf(user->id, pg->page, pg->perPage);
  co_return jsonResponse(listJson(page, *pg, purchaseJson));
}

std::string purchaseLocation(int64_t id) {
  return "/api/v1/purchases/" + std::to_string(id);
}

// The 201 of a new purchase; its body is the stored answer's byte for byte.
Response created(const db::Purchase& purchase) {
  auto resp = jsonResponse(purchaseJson(purchase), drogon::k201Created);
  resp->addHeader("Location", purchaseLocation(purchase.id));
  return resp;
}

drogon::Task<KeyedResponse> buyNow(ContextPtr ctx, Request req, int64_t userId,
                                   std::optional<db::KeyClaim> claim) {
  auto body = jsonBody(req);
  if (!body) co_return KeyedResponse{jsonErrorFor(body.error()), false};
  const auto bookId = integerField(*body, "book_id");
  const auto quantity = integerField(*body, "quantity");
  domain::FieldErrors fields;
  if (!bookId || *bookId < 1) fields.push_back({"book_id", "invalid", "must be a book id", ""});
  if (!quantity) fields.push_back(domain::quantityError());
  if (!fields.empty()) {
    co_return KeyedResponse{jsonErrorFor(services::invalidFields(std::move(fields))), false};
  }
  if (!claim) {
    auto bought = co_await ctx->purchases->buy(userId, *bookId, *quantity);
    if (!bought) co_return KeyedResponse{jsonErrorFor(bought.error()), false};
    co_return KeyedResponse{created(*bought), false};
  }
  // The purchase and the key's answer commit together.
  services::PurchaseService::AnswerFor answerFor = [](const db::Purchase& purchase) {
    return db::StoredAnswer{201, purchaseLocation(purchase.id), toJsonText(purchaseJson(purchase))};
  };
  auto buying =
      ctx->purchases->buyOnce(userId, *bookId, *quantity, std::move(*claim), std::move(answerFor));
  auto bought = co_await buying;
  if (!bought) co_return KeyedResponse{jsonErrorFor(bought.error()), false};
  co_return KeyedResponse{created(*bought), true};
}

drogon::Task<Response> buy(ContextPtr ctx, Request req) {
  auto user = co_await bearerUser(*ctx, req);
  if (!user) co_return unauthorized();
  const int64_t userId = user->id;
  KeyedWork work = [ctx, req, userId](std::optional<db::KeyClaim> claim) {
    return buyNow(ctx, req, userId, std::move(claim));
  };
  auto call = keyedCall(*ctx, req, userId, std::move(work));
  co_return co_await call;
}

drogon::Task<Response> showPurchase(ContextPtr ctx, Request req, std::string idText) {
  auto call = co_await purchaseCall(*ctx, req, std::move(idText));
  if (!call) co_return jsonErrorFor(call.error());
  const int64_t userId = call->user.id;
  const int64_t id = call->purchaseId;
  auto purchase = co_await ctx->purchases->purchaseOf(userId, id);
  if (!purchase) co_return jsonErrorFor(purchase.error());
  co_return jsonResponse(purchaseJson(*purchase));
}

drogon::Task<Response> payNow(ContextPtr ctx, Request req, int64_t userId, int64_t id) {
  auto body = jsonBody(req);
  std::optional<std::string> method;
  if (body) method = stringField(*body, "method");
  auto paid = co_await ctx->purchases->pay(userId, id, std::move(method));
  // A body that is no JSON object is refused as such once the purchase is
  // known to exist (pay() answers kPurchaseNotFound before judging it).
  if (!paid && paid.problem() == services::Problem::kInvalidFields && !body) {
    co_return jsonErrorFor(body.error());
  }
  if (!paid) co_return jsonErrorFor(paid.error());
  co_return jsonResponse(purchaseJson(paid->purchase),
                         paid->firstPayment ? drogon::k201Created : drogon::k200OK);
}

drogon::Task<Response> chooseDeliveryNow(ContextPtr ctx, Request req, int64_t userId, int64_t id) {
  auto body = jsonBody(req);
  const auto providerId = body ? integerField(*body, "provider_id") : std::nullopt;
  if (!providerId || *providerId < 1) {
    // Someone else's or a missing purchase is not found, whatever was sent.
    auto purchase = co_await ctx->purchases->purchaseOf(userId, id);
    if (!purchase) co_return jsonErrorFor(purchase.error());
    if (!body) co_return jsonErrorFor(body.error());
    co_return jsonErrorFor(services::invalidFields(
        {{"provider_id", "invalid", "must be a delivery provider id", ""}}));
  }
  auto shipped = co_await ctx->purchases->chooseDelivery(userId, id, *providerId);
  if (!shipped) co_return jsonErrorFor(shipped.error());
  co_return jsonResponse(purchaseJson(*shipped), drogon::k201Created);
}

drogon::Task<Response> cancelNow(ContextPtr ctx, Request, int64_t userId, int64_t id) {
  auto cancelled = co_await ctx->purchases->cancel(userId, id);
  if (!cancelled) co_return jsonErrorFor(cancelled.error());
  co_return jsonResponse(purchaseJson(*cancelled));
}

// One of the calls on one purchase that accept an Idempotency-Key.
using PurchaseStep = drogon::Task<Response> (*)(ContextPtr, Request, int64_t userId, int64_t id);

drogon::Task<KeyedResponse> stepNow(ContextPtr ctx, Request req, int64_t userId, int64_t id,
                                    PurchaseStep step) {
  auto running = step(std::move(ctx), std::move(req), userId, id);
  auto response = co_await running;
  co_return KeyedResponse{std::move(response), false};
}

drogon::Task<Response> keyedStep(ContextPtr ctx, Request req, std::string idText,
                                 PurchaseStep step) {
  auto call = co_await purchaseCall(*ctx, req, std::move(idText));
  if (!call) co_return jsonErrorFor(call.error());
  const int64_t userId = call->user.id;
  const int64_t id = call->purchaseId;
  KeyedWork work = [ctx, req, userId, id, step](std::optional<db::KeyClaim>) {
    return stepNow(ctx, req, userId, id, step);
  };
  auto keyed = keyedCall(*ctx, req, userId, std::move(work));
  co_return co_await keyed;
}

drogon::Task<Response> listProviders(ContextPtr ctx, Request) {
  Json::Value body;
  body["items"] = Json::Value(Json::arrayValue);
  for (const auto& p : co_await ctx->providers->list()) body["items"].append(providerJson(p));
  co_return jsonResponse(body);
}

}  // namespace

void registerPurchaseRoutes(const ContextPtr& ctx) {
  addApi(ctx, "/api/v1/purchases",
         [ctx](Request req) {
           return req->method() == drogon::Get ? listPurchases(ctx, std::move(req))
                                               : buy(ctx, std::move(req));
         },
         {drogon::Get, drogon::Post});
  addApi(ctx, "/api/v1/purchases/{id}",
         [ctx](Request req, std::string id) {
           return showPurchase(ctx, std::move(req), std::move(id));
         },
         {drogon::Get});
  addApi(ctx, "/api/v1/purchases/{id}/payment",
         [ctx](Request req, std::string id) {
           return keyedStep(ctx, std::move(req), std::move(id), payNow);
         },
         {drogon::Post});
  addApi(ctx, "/api/v1/purchases/{id}/delivery",
         [ctx](Request req, std::string id) {
           return keyedStep(ctx, std::move(req), std::move(id), chooseDeliveryNow);
         },
         {drogon::Post});
  addApi(ctx, "/api/v1/purchases/{id}/cancel",
         [ctx](Request req, std::string id) {
           return keyedStep(ctx, std::move(req), std::move(id), cancelNow);
         },
         {drogon::Post});
  addApi(ctx, "/api/v1/delivery-providers",
         [ctx](Request req) { return listProviders(ctx, std::move(req)); }, {drogon::Get});
}

}  // namespace bookstore::web::api
