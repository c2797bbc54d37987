// Buying: the purchase, its simulated payment, the delivery choice and the
// buyer's list. A purchase exists only for its buyer (404 for anyone else).
#include "domain/purchase_state.h"
#include "domain/validation.h"
#include "web/controllers/pages/page_groups.h"
#include "web/controllers/pages/page_kit.h"
#include "web/request_info.h"
#include "web/views/page_parts.h"
#include "web/views/purchase_views.h"

namespace bookstore::web::pages {
namespace {

using drogon::Get;
using drogon::Post;

constexpr int64_t kPurchasesPerPage = 50;

std::string paymentPath(int64_t id) {
  return "/payment/" + std::to_string(id);
}
std::string deliveryPath(int64_t id) {
  return "/delivery/" + std::to_string(id);
}

drogon::Task<Response> buy(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  const auto bookId = parseId(idText);
  if (!visitor.user) {
    co_return redirectToLogin(visitor,
                              bookId ? "/book/" + std::to_string(*bookId) : "/book/catalog");
  }
  if (!bookId) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  // Only the quantity is read from the form; the price is the database's.
  const auto quantity = domain::parseQuantity(req->getParameter("quantity"));
  if (!quantity) {
    co_return errorPage(*ctx, visitor, drogon::k400BadRequest,
                        "La cantidad debe ser un número entero mayor que cero.");
  }
  auto book = co_await ctx->books->find(*bookId);
  if (!book || book->archived) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  auto notEnough = [&](int64_t stock) {
    return errorPage(*ctx, visitor, drogon::k400BadRequest,
                     stock > 0
                         ? "No hay suficientes unidades: quedan " + std::to_string(stock) + "."
                         : std::string("Este libro está agotado."));
  };
  if (!domain::quantityAllowed(*quantity, book->stock)) co_return notEnough(book->stock);
  const auto result = co_await ctx->purchases->buy(visitor.user->id, *bookId, *quantity);
  switch (result.outcome) {
    case db::BuyOutcome::kCreated:
      co_return redirectWithFlash(visitor, paymentPath(result.purchaseId));
    case db::BuyOutcome::kBookNotFound:
      co_return errorPage(*ctx, visitor, drogon::k404NotFound);
    case db::BuyOutcome::kInsufficientStock:
      break;
  }
  // Another buyer took the stock in the meantime.
  auto now = co_await ctx->books->find(*bookId);
  co_return notEnough(now ? now->stock : 0);
}

// The visitor's purchase named by `idText`, or the response to send instead.
struct BuyersPurchase {
  std::optional<db::Purchase> purchase;
  Response refusal;
};
drogon::Task<BuyersPurchase> buyersPurchase(const app::AppContext& ctx, const Visitor& visitor,
                                            const Request& req, const std::string& idText) {
  BuyersPurchase found;
  if (!visitor.user) {
    found.refusal =
        redirectToLogin(visitor, req->method() == drogon::Get ? requestTarget(req) : "/purchases");
    co_return found;
  }
  const auto id = parseId(idText);
  if (id) {
    auto purchase = co_await ctx.purchases->findForBuyer(*id, visitor.user->id);
    found.purchase = std::move(purchase);
  }
  if (!found.purchase) found.refusal = errorPage(ctx, visitor, drogon::k404NotFound);
  co_return found;
}

Response paymentForm(const app::AppContext& ctx, const Visitor& visitor, views::PaymentView view,
                     drogon::HttpStatusCode status) {
  return htmlPage(visitor, views::renderPayment(frameFor(ctx, visitor, "Pago"), view), status);
}

drogon::Task<Response> showPayment(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  auto found = co_await buyersPurchase(*ctx, visitor, req, idText);
  if (found.refusal) co_return found.refusal;
  const auto status = domain::parsePurchaseStatus(found.purchase->status);
  if (!domain::canPay(status)) {
    if (found.purchase->payment || status == domain::PurchaseStatus::kPaid ||
        status == domain::PurchaseStatus::kShipped) {
      co_return redirectWithFlash(visitor, deliveryPath(found.purchase->id), "already_paid");
    }
    co_return errorPage(*ctx, visitor, drogon::k409Conflict, "Esta compra no se puede pagar.");
  }
  co_return paymentForm(*ctx, visitor, {std::move(*found.purchase), "", ""}, drogon::k200OK);
}

drogon::Task<Response> submitPayment(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  auto found = co_await buyersPurchase(*ctx, visitor, req, idText);
  if (found.refusal) co_return found.refusal;
  const int64_t id = found.purchase->id;
  const auto method = domain::parsePaymentMethod(req->getParameter("method"));
  if (!method) {
    co_return paymentForm(*ctx, visitor,
                          {std::move(*found.purchase), "", "Elige un método de pago de la lista."},
                          drogon::k400BadRequest);
  }
  std::string storedMethod(*method);
  const auto paid = co_await ctx->purchases->pay(id, visitor.user->id, storedMethod);
  switch (paid.outcome) {
    case db::PayOutcome::kPaid:
      co_return redirectWithFlash(visitor, deliveryPath(id), "paid");
    case db::PayOutcome::kAlreadyPaid:
      co_return redirectWithFlash(visitor, deliveryPath(id), "already_paid");
    case db::PayOutcome::kNotFound:
      co_return errorPage(*ctx, visitor, drogon::k404NotFound);
    case db::PayOutcome::kNotPayable:
      break;
  }
  co_return errorPage(*ctx, visitor, drogon::k409Conflict, "Esta compra no se puede pagar.");
}

Response deliveryChosenAlready(const app::AppContext& ctx, const Visitor& visitor) {
  return errorPage(ctx, visitor, drogon::k409Conflict,
                   "Ya elegiste el proveedor de entrega de esta compra.");
}

// `view` is a caller's local (by reference: GCC 12 mishandles class-type
// coroutine parameters built from temporaries).
drogon::Task<Response> deliveryForm(const app::AppContext& ctx, const Visitor& visitor,
                                    views::DeliveryView& view, drogon::HttpStatusCode status) {
  view.providers = co_await ctx.providers->list();
  co_return htmlPage(visitor, views::renderDelivery(frameFor(ctx, visitor, "Entrega"), view),
                     status);
}

drogon::Task<Response> showDelivery(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  auto found = co_await buyersPurchase(*ctx, visitor, req, idText);
  if (found.refusal) co_return found.refusal;
  const auto status = domain::parsePurchaseStatus(found.purchase->status);
  if (found.purchase->delivery || status == domain::PurchaseStatus::kShipped) {
    co_return deliveryChosenAlready(*ctx, visitor);
  }
  if (!domain::canChooseDelivery(status)) {
    co_return redirectWithFlash(visitor, paymentPath(found.purchase->id), "pay_first");
  }
  views::DeliveryView view;
  view.purchase = std::move(*found.purchase);
  auto page = co_await deliveryForm(*ctx, visitor, view, drogon::k200OK);
  co_return page;
}

drogon::Task<Response> submitDelivery(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  auto found = co_await buyersPurchase(*ctx, visitor, req, idText);
  if (found.refusal) co_return found.refusal;
  const int64_t id = found.purchase->id;
  views::DeliveryView view;
  view.purchase = std::move(*found.purchase);
  const auto providerId = parseId(req->getParameter("provider"));
  if (!providerId) {
    view.message = "Elige un proveedor de entrega de la lista.";
    auto page = co_await deliveryForm(*ctx, visitor, view, drogon::k400BadRequest);
    co_return page;
  }
  const auto outcome = co_await ctx->purchases->chooseDelivery(id, visitor.user->id, *providerId);
  if (outcome == db::DeliveryOutcome::kProviderNotFound) {
    view.message = "Elige un proveedor de entrega de la lista.";
    auto page = co_await deliveryForm(*ctx, visitor, view, drogon::k400BadRequest);
    co_return page;
  }
  switch (outcome) {
    case db::DeliveryOutcome::kAssigned:
      co_return redirectWithFlash(visitor, "/purchases", "delivery_chosen");
    case db::DeliveryOutcome::kNotFound:
      co_return errorPage(*ctx, visitor, drogon::k404NotFound);
    case db::DeliveryOutcome::kProviderNotFound:
      break;
    case db::DeliveryOutcome::kNotPaid:
      co_return errorPage(*ctx, visitor, drogon::k409Conflict,
                          "Primero debes pagar la compra para elegir la entrega.");
    case db::DeliveryOutcome::kAlreadyChosen:
      break;
  }
  co_return deliveryChosenAlready(*ctx, visitor);
}

drogon::Task<Response> purchases(app::ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return redirectToLogin(visitor, requestTarget(req));
  views::PurchasesView view;
  view.page = pageParameter(req);
  auto page = co_await ctx->purchases->listForBuyer(visitor.user->id, view.page, kPurchasesPerPage);
  view.purchases = std::move(page.items);
  view.totalPages = views::pageCount(page.total, kPurchasesPerPage);
  co_return htmlPage(visitor, views::renderPurchases(frameFor(*ctx, visitor, "Mis compras"), view));
}

}  // namespace

void registerBuyingPages(const app::ContextPtr& ctx) {
  addPage(ctx, "/buy/{id}",
          [ctx](Request req, std::string id) { return buy(ctx, std::move(req), std::move(id)); },
          {Post});
  addPage(
      ctx, "/payment/{id}",
      getOrPost([ctx](Request req,
                      std::string id) { return showPayment(ctx, std::move(req), std::move(id)); },
                [ctx](Request req, std::string id) {
                  return submitPayment(ctx, std::move(req), std::move(id));
                }),
      {Get, Post});
  addPage(
      ctx, "/delivery/{id}",
      getOrPost([ctx](Request req,
                      std::string id) { return showDelivery(ctx, std::move(req), std::move(id)); },
                [ctx](Request req, std::string id) {
                  return submitDelivery(ctx, std::move(req), std::move(id));
                }),
      {Get, Post});
  addPage(ctx, "/purchases", [ctx](Request req) { return purchases(ctx, std::move(req)); }, {Get});
}

}  // namespace bookstore::web::pages
