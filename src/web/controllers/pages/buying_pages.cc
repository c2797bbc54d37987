// Buying: the purchase, its simulated payment, the delivery choice and the
// buyer's list. A purchase exists only for its buyer (404 for anyone else).
#include "domain/purchase_state.h"
#include "domain/validation.h"
#include "web/controllers/pages/page_kit.h"
#include "web/controllers/route_groups.h"
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

drogon::Task<Response> buy(ContextPtr ctx, Request req, std::string idText) {
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
    co_return errorPage(*ctx, visitor, services::invalidFields({domain::quantityError()}));
  }
  // The form's one-time token (absent from the original's forms and
  // clients): a repeat of the submission buys nothing and goes to the
  // purchase the first one made.
  auto formToken = req->getParameter("form_token");
  if (!formToken.empty()) {
    auto buying =
        ctx->purchases->buyFromForm(visitor.user->id, *bookId, *quantity, std::move(formToken));
    const auto once = co_await buying;
    if (!once) co_return errorPage(*ctx, visitor, once.error());
    co_return redirectWithFlash(visitor, paymentPath(once->purchaseId),
                                once->repeated ? "already_bought" : std::string_view());
  }
  const auto bought = co_await ctx->purchases->buy(visitor.user->id, *bookId, *quantity);
  if (!bought) co_return errorPage(*ctx, visitor, bought.error());
  co_return redirectWithFlash(visitor, paymentPath(bought->id));
}

// The buyer's purchase that `idText` names.
drogon::Task<services::Outcome<db::Purchase>> buyersPurchase(const WebContext& ctx, int64_t buyerId,
                                                             std::string idText) {
  const auto id = parseId(idText);
  if (!id) co_return services::refuse(services::Problem::kPurchaseNotFound);
  co_return co_await ctx.purchases->purchaseOf(buyerId, *id);
}

// Where an anonymous visitor is sent to log in first.
Response loginFirst(const Visitor& visitor, const Request& req) {
  return redirectToLogin(visitor, req->method() == drogon::Get ? requestTarget(req) : "/purchases");
}

Response paymentForm(const WebContext& ctx, const Visitor& visitor, views::PaymentView view,
                     drogon::HttpStatusCode status) {
  return htmlPage(visitor,
                  views::renderPayment(frameFor(ctx, visitor, i18n::Msg::kPaymentTitle), view),
                  status);
}

drogon::Task<Response> showPayment(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return loginFirst(visitor, req);
  auto found = co_await buyersPurchase(*ctx, visitor.user->id, idText);
  if (!found) co_return errorPage(*ctx, visitor, found.error());
  const auto status = domain::parsePurchaseStatus(found->status);
  if (!domain::canPay(status)) {
    if (found->payment || status == domain::PurchaseStatus::kPaid ||
        status == domain::PurchaseStatus::kShipped) {
      co_return redirectWithFlash(visitor, deliveryPath(found->id), "already_paid");
    }
    if (status == domain::PurchaseStatus::kCancelled) {
      co_return errorPage(*ctx, visitor, drogon::k409Conflict,
                          i18n::text(visitor.lang, i18n::Msg::kPurchaseCancelled));
    }
    co_return errorPage(*ctx, visitor, services::refuse(services::Problem::kNotPayable));
  }
  co_return paymentForm(*ctx, visitor, {std::move(found.value()), "", ""}, drogon::k200OK);
}

drogon::Task<Response> submitPayment(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return loginFirst(visitor, req);
  const auto id = parseId(idText);
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  std::optional<std::string> method = req->getParameter("method");
  auto paid = co_await ctx->purchases->pay(visitor.user->id, *id, std::move(method));
  if (paid) {
    co_return redirectWithFlash(visitor, deliveryPath(*id),
                                paid->firstPayment ? "paid" : "already_paid");
  }
  if (paid.problem() != services::Problem::kInvalidFields) {
    co_return errorPage(*ctx, visitor, paid.error());
  }
  // No method from the list: the form again, for the purchase as it is now.
  auto found = co_await ctx->purchases->purchaseOf(visitor.user->id, *id);
  if (!found) co_return errorPage(*ctx, visitor, found.error());
  co_return paymentForm(
      *ctx, visitor,
      {std::move(found.value()), "", htmlRefusalFor(paid.error(), visitor.lang).message},
      drogon::k400BadRequest);
}

// `visitor` is the caller's local and the caller awaits this at once.
drogon::Task<Response> deliveryForm(const WebContext& ctx, const Visitor& visitor,
                                    views::DeliveryView view, drogon::HttpStatusCode status) {
  view.providers = co_await ctx.providers->list();
  co_return htmlPage(visitor,
                     views::renderDelivery(frameFor(ctx, visitor, i18n::Msg::kDeliveryTitle), view),
                     status);
}

drogon::Task<Response> showDelivery(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return loginFirst(visitor, req);
  auto found = co_await buyersPurchase(*ctx, visitor.user->id, idText);
  if (!found) co_return errorPage(*ctx, visitor, found.error());
  const auto status = domain::parsePurchaseStatus(found->status);
  if (found->delivery || status == domain::PurchaseStatus::kShipped) {
    co_return errorPage(*ctx, visitor, services::refuse(services::Problem::kDeliveryAlreadyChosen));
  }
  if (!domain::canChooseDelivery(status)) {
    co_return redirectWithFlash(visitor, paymentPath(found->id), "pay_first");
  }
  views::DeliveryView view;
  view.purchase = std::move(found.value());
  auto page = co_await deliveryForm(*ctx, visitor, std::move(view), drogon::k200OK);
  co_return page;
}

drogon::Task<Response> submitDelivery(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return loginFirst(visitor, req);
  auto found = co_await buyersPurchase(*ctx, visitor.user->id, idText);
  if (!found) co_return errorPage(*ctx, visitor, found.error());
  const auto providerId = parseId(req->getParameter("provider"));
  // An unreadable choice is refused like a provider that does not exist.
  const int64_t chosenProvider = providerId.value_or(0);
  auto chosen =
      co_await ctx->purchases->chooseDelivery(visitor.user->id, found->id, chosenProvider);
  if (chosen) co_return redirectWithFlash(visitor, "/purchases", "delivery_chosen");
  if (chosen.problem() != services::Problem::kInvalidFields) {
    co_return errorPage(*ctx, visitor, chosen.error());
  }
  views::DeliveryView view;
  view.purchase = std::move(found.value());
  view.message = htmlRefusalFor(chosen.error(), visitor.lang).message;
  auto page = co_await deliveryForm(*ctx, visitor, std::move(view), drogon::k400BadRequest);
  co_return page;
}

drogon::Task<Response> cancel(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return loginFirst(visitor, req);
  const auto id = parseId(idText);
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  auto cancelled = co_await ctx->purchases->cancel(visitor.user->id, *id);
  if (!cancelled) co_return errorPage(*ctx, visitor, cancelled.error());
  co_return redirectWithFlash(visitor, "/purchases", "purchase_cancelled");
}

drogon::Task<Response> purchases(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return redirectToLogin(visitor, requestTarget(req));
  views::PurchasesView view;
  view.page = pageParameter(req);
  auto page = co_await ctx->purchases->purchasesOf(visitor.user->id, view.page, kPurchasesPerPage);
  view.purchases = std::move(page.items);
  view.totalPages = views::pageCount(page.total, kPurchasesPerPage);
  co_return htmlPage(
      visitor, views::renderPurchases(frameFor(*ctx, visitor, i18n::Msg::kNavPurchases), view));
}

}  // namespace

void registerBuyingPages(const ContextPtr& ctx) {
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
  addPage(ctx, "/purchases/{id}/cancel",
          [ctx](Request req, std::string id) { return cancel(ctx, std::move(req), std::move(id)); },
          {Post});
}

}  // namespace bookstore::web::pages
