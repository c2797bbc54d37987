#include "web/views/purchase_views.h"

#include "domain/purchase_state.h"
#include "web/views/page_parts.h"

namespace bookstore::web::views {
namespace {

using i18n::Msg;

void appendPurchaseSummary(Html& html, const PageFrame& frame, const db::Purchase& purchase) {
  html.raw("<dl class=\"row purchase-summary\"><dt class=\"col-sm-3\">");
  html << frame.t(Msg::kBook);
  html.raw("</dt><dd class=\"col-sm-9 purchase-book\">");
  html << purchase.bookTitle;
  html.raw("</dd><dt class=\"col-sm-3\">");
  html << frame.t(Msg::kQuantity);
  html.raw("</dt><dd class=\"col-sm-9 purchase-quantity\">");
  html << purchase.quantity;
  html.raw("</dd><dt class=\"col-sm-3\">");
  html << frame.t(Msg::kTotal);
  html.raw("</dt><dd class=\"col-sm-9 purchase-total\">");
  appendMoney(html, purchase.totalCents);
  html.raw("</dd></dl>");
}

void appendMessage(Html& html, const std::string& message) {
  if (message.empty()) return;
  html.raw("<div class=\"alert alert-danger\" role=\"alert\" id=\"form-errors\">");
  html << message;
  html.raw("</div>");
}

}  // namespace

std::string renderPayment(const PageFrame& frame, const PaymentView& view) {
  Html html;
  openLayout(html, frame);
  html.raw(
      "<div class=\"row justify-content-center\"><div class=\"col-lg-7\"><h1 class=\"h3 "
      "mb-3\">");
  html << i18n::fill(frame.lang, Msg::kPaymentOf, {std::to_string(view.purchase.id)});
  html.raw("</h1>");
  appendMessage(html, view.message);
  appendPurchaseSummary(html, frame, view.purchase);
  html.raw("<form method=\"post\" action=\"/payment/");
  html << view.purchase.id;
  html.raw("\">");
  appendCsrfField(html, frame.csrfToken);
  html.raw("<fieldset class=\"mb-3\"");
  if (!view.message.empty()) html.raw(" aria-describedby=\"form-errors\"");
  html.raw("><legend class=\"h6\">");
  html << frame.t(Msg::kPaymentMethod);
  html.raw("</legend>");
  int index = 0;
  for (const auto method : domain::paymentMethods()) {
    const std::string id = "method-" + std::to_string(index++);
    html.raw(
        "<div class=\"form-check\"><input class=\"form-check-input\" type=\"radio\" "
        "name=\"method\" id=\"");
    html << id;
    html.raw("\" value=\"");
    html << method;
    html.raw("\"");
    if (method == view.selectedMethod || (view.selectedMethod.empty() && index == 1)) {
      html.raw(" checked");
    }
    html.raw(" required><label class=\"form-check-label\" for=\"");
    html << id;
    html.raw("\">");
    html << paymentMethodLabel(frame.lang, method);
    html.raw("</label></div>");
  }
  html.raw("</fieldset><p class=\"small text-muted\">");
  html << frame.t(Msg::kPaymentSimulated);
  html.raw("</p><button class=\"btn btn-primary\" type=\"submit\">");
  html << i18n::fill(frame.lang, Msg::kPayAmount, {moneyText(view.purchase.totalCents)});
  html.raw("</button></form></div></div>");
  closeLayout(html);
  return html.take();
}

std::string renderDelivery(const PageFrame& frame, const DeliveryView& view) {
  Html html;
  openLayout(html, frame);
  html.raw(
      "<div class=\"row justify-content-center\"><div class=\"col-lg-8\"><h1 class=\"h3 "
      "mb-3\">");
  html << i18n::fill(frame.lang, Msg::kDeliveryOf, {std::to_string(view.purchase.id)});
  html.raw("</h1>");
  appendMessage(html, view.message);
  appendPurchaseSummary(html, frame, view.purchase);
  if (view.providers.empty()) {
    html.raw("<p class=\"text-muted\">");
    html << frame.t(Msg::kNoProviders);
    html.raw("</p>");
    html.raw("</div></div>");
    closeLayout(html);
    return html.take();
  }
  html.raw("<form method=\"post\" action=\"/delivery/");
  html << view.purchase.id;
  html.raw("\">");
  appendCsrfField(html, frame.csrfToken);
  openTable(html, "", frame.t(Msg::kChooseProvider),
            {{.label = frame.t(Msg::kChooseProvider), .visuallyHidden = true},
             {.label = frame.t(Msg::kProvider)},
             {.label = frame.t(Msg::kCoverage)},
             {.label = frame.t(Msg::kCost)}});
  bool first = true;
  for (const auto& provider : view.providers) {
    const std::string id = "provider-" + std::to_string(provider.id);
    html.raw(
        "<tr class=\"provider-option\"><td><input class=\"form-check-input\" type=\"radio\" "
        "name=\"provider\" id=\"");
    html << id;
    html.raw("\" value=\"");
    html << provider.id;
    html.raw("\"");
    if (provider.id == view.selectedProvider || (view.selectedProvider == 0 && first)) {
      html.raw(" checked");
    }
    first = false;
    html.raw(" required></td><td><label for=\"");
    html << id;
    html.raw("\">");
    html << provider.name;
    html.raw("</label></td><td>");
    html << provider.coverageArea;
    html.raw("</td><td>");
    appendMoney(html, provider.costCents);
    html.raw("</td></tr>");
  }
  closeTable(html);
  html.raw("<button class=\"btn btn-primary\" type=\"submit\">");
  html << frame.t(Msg::kConfirmDelivery);
  html.raw("</button></form></div></div>");
  closeLayout(html);
  return html.take();
}

std::string renderPurchases(const PageFrame& frame, const PurchasesView& view) {
  Html html(16384);
  openLayout(html, frame);
  html.raw("<h1 class=\"h3 mb-3\">");
  html << frame.t(Msg::kPurchases);
  html.raw("</h1>");
  if (view.purchases.empty()) {
    html.raw("<p class=\"text-muted\" id=\"no-purchases\">");
    html << frame.t(Msg::kNoPurchases);
    html.raw(" <a href=\"/book/catalog\">");
    html << frame.t(Msg::kSeeCatalog);
    html.raw("</a></p>");
    closeLayout(html);
    return html.take();
  }
  openTable(html, "purchases", "",
            {{.label = "#"},
             {.label = frame.t(Msg::kBook)},
             {.label = frame.t(Msg::kQuantity)},
             {.label = frame.t(Msg::kTotal)},
             {.label = frame.t(Msg::kStatus)},
             {.label = frame.t(Msg::kPaymentMethod)},
             {.label = frame.t(Msg::kProvider)},
             {.label = frame.t(Msg::kActions), .visuallyHidden = true}});
  for (const auto& purchase : view.purchases) {
    html.raw("<tr class=\"purchase-row\" data-purchase-id=\"");
    html << purchase.id;
    html.raw("\"><td>");
    html << purchase.id;
    html.raw("</td><td class=\"purchase-book\">");
    html << purchase.bookTitle;
    html.raw("</td><td class=\"purchase-quantity\">");
    html << purchase.quantity;
    html.raw("</td><td class=\"purchase-total\">");
    appendMoney(html, purchase.totalCents);
    html.raw("</td><td class=\"purchase-status\">");
    html << statusLabel(frame.lang, purchase.status);
    html.raw("</td><td class=\"purchase-method\">");
    if (purchase.payment) html << paymentMethodLabel(frame.lang, purchase.payment->method);
    html.raw("</td><td class=\"purchase-provider\">");
    if (purchase.delivery) html << purchase.delivery->providerName;
    html.raw("</td><td class=\"purchase-actions\">");
    const auto status = domain::parsePurchaseStatus(purchase.status);
    if (domain::canPay(status)) {
      html.raw("<a class=\"btn btn-sm btn-primary\" href=\"/payment/");
      html << purchase.id;
      html.raw("\" title=\"");
      html << i18n::fill(frame.lang, Msg::kPayPurchase, {std::to_string(purchase.id)});
      html.raw("\">");
      html << frame.t(Msg::kPay);
      html.raw("</a> <form class=\"d-inline\" method=\"post\" action=\"/purchases/");
      html << purchase.id;
      html.raw("/cancel\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
      html << frame.csrfToken;
      html.raw("\"><button class=\"btn btn-sm btn-outline-danger\" type=\"submit\" title=\"");
      html << i18n::fill(frame.lang, Msg::kCancelPurchase, {std::to_string(purchase.id)});
      html.raw("\">");
      html << frame.t(Msg::kCancel);
      html.raw("</button></form>");
    } else if (domain::canChooseDelivery(status) && !purchase.delivery) {
      html.raw("<a class=\"btn btn-sm btn-primary\" href=\"/delivery/");
      html << purchase.id;
      html.raw("\" title=\"");
      html << i18n::fill(frame.lang, Msg::kChooseDeliveryOf, {std::to_string(purchase.id)});
      html.raw("\">");
      html << frame.t(Msg::kChooseDelivery);
      html.raw("</a>");
    }
    html.raw("</td></tr>");
  }
  closeTable(html);
  appendPagination(html, frame.lang, "/purchases", "", view.page, view.totalPages);
  closeLayout(html);
  return html.take();
}

}  // namespace bookstore::web::views
