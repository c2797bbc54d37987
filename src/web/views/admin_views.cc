#include "web/views/admin_views.h"

#include <array>

#include "domain/money.h"
#include "web/views/page_parts.h"

namespace bookstore::web::views {
namespace {

using i18n::Msg;

// The three inputs of a provider; `labels` name them for screen readers
// (placeholders are not labels), `id` tells one provider's row from another.
void appendProviderFields(Html& html, const PageFrame& frame, const ProviderDraft& draft,
                          std::string_view id, const std::array<std::string, 3>& labels,
                          bool refused) {
  // A refused draft's inputs point at the messages saying why (#form-errors).
  const std::string_view invalid =
      refused ? " aria-invalid=\"true\" aria-describedby=\"form-errors\"" : "";
  html.raw(
      "<div class=\"col-md-4\"><input class=\"form-control form-control-sm\" name=\"name\" "
      "maxlength=\"100\" required placeholder=\"");
  html << frame.t(Msg::kName);
  html.raw("\" aria-label=\"");
  html << labels[0];
  html.raw("\" id=\"name-");
  html << id;
  html.raw("\"");
  html.raw(invalid);
  html.raw(" value=\"");
  html << draft.name;
  html.raw(
      "\"></div><div class=\"col-md-4\"><input class=\"form-control form-control-sm\" "
      "name=\"coverage_area\" maxlength=\"150\" required placeholder=\"");
  html << frame.t(Msg::kCoverage);
  html.raw("\" aria-label=\"");
  html << labels[1];
  html.raw("\" id=\"coverage-");
  html << id;
  html.raw("\"");
  html.raw(invalid);
  html.raw(" value=\"");
  html << draft.coverageArea;
  html.raw(
      "\"></div><div class=\"col-md-2\"><input class=\"form-control form-control-sm\" "
      "name=\"cost\" inputmode=\"decimal\" required placeholder=\"");
  html << frame.t(Msg::kCost);
  html.raw("\" aria-label=\"");
  html << labels[2];
  html.raw("\" id=\"cost-");
  html << id;
  html.raw("\"");
  html.raw(invalid);
  html.raw(" value=\"");
  html << draft.cost;
  html.raw("\"></div>");
}

}  // namespace

std::string renderAdminUsers(const PageFrame& frame, const UsersView& view) {
  Html html(16384);
  openLayout(html, frame);
  html.raw("<h1 class=\"h3 mb-3\">");
  html << frame.t(Msg::kUsers);
  html.raw(" <small class=\"text-muted\">(");
  html << view.total;
  html.raw(")</small></h1>");
  openTable(html, "users", "",
            {{.label = frame.t(Msg::kId)},
             {.label = frame.t(Msg::kName)},
             {.label = frame.t(Msg::kEmail)},
             {.label = frame.t(Msg::kAdministrator)}});
  for (const auto& user : view.users) {
    html.raw("<tr class=\"user-row\"><td>");
    html << user.id;
    html.raw("</td><td class=\"user-name\">");
    html << user.name;
    html.raw("</td><td class=\"user-email\">");
    html << user.email;
    html.raw("</td><td class=\"user-admin\">");
    html << frame.t(user.isAdmin ? Msg::kYes : Msg::kNo);
    html.raw("</td></tr>");
  }
  closeTable(html);
  appendPagination(html, frame.lang, "/admin/users", "", view.page, view.totalPages);
  closeLayout(html);
  return html.take();
}

std::string renderAdminProviders(const PageFrame& frame, const ProvidersView& view) {
  Html html(16384);
  openLayout(html, frame);
  html.raw("<h1 class=\"h3 mb-3\">");
  html << frame.t(Msg::kProvidersTitle);
  html.raw("</h1>");
  if (view.providers.empty()) {
    html.raw("<p class=\"text-muted\" id=\"no-providers\">");
    html << frame.t(Msg::kNoProvidersAdmin);
    html.raw("</p>");
  }
  for (const auto& provider : view.providers) {
    const bool refused = provider.id == view.editedId;
    const ProviderDraft draft = refused ? view.editedDraft
                                        : ProviderDraft{provider.name, provider.coverageArea,
                                                        domain::formatMoney(provider.costCents)};
    html.raw("<div class=\"card mb-2 provider-row\" data-provider-id=\"");
    html << provider.id;
    html.raw("\"><div class=\"card-body py-2\">");
    if (refused) appendFormMessages(html, view.editMessages);
    html.raw(
        "<div class=\"row g-2 align-items-center\"><form class=\"col row g-2\" method=\"post\" "
        "action=\"/admin/providers/edit/");
    html << provider.id;
    html.raw("\">");
    appendCsrfField(html, frame.csrfToken);
    const std::string name = provider.name;
    appendProviderFields(html, frame, draft, std::to_string(provider.id),
                         {i18n::fill(frame.lang, Msg::kProviderNameOf, {name}),
                          i18n::fill(frame.lang, Msg::kProviderCoverageOf, {name}),
                          i18n::fill(frame.lang, Msg::kProviderCostOf, {name})},
                         refused && !view.editMessages.empty());
    html.raw(
        "<div class=\"col-md-2\"><button class=\"btn btn-sm btn-outline-primary w-100\" "
        "type=\"submit\" title=\"");
    html << i18n::fill(frame.lang, Msg::kSaveProvider, {name});
    html.raw("\">");
    html << frame.t(Msg::kSave);
    html.raw(
        "</button></div></form>"
        "<form class=\"col-auto\" method=\"post\" action=\"/admin/providers/delete/");
    html << provider.id;
    html.raw("\">");
    appendCsrfField(html, frame.csrfToken);
    html.raw("<button class=\"btn btn-sm btn-outline-danger\" type=\"submit\" title=\"");
    html << i18n::fill(frame.lang, Msg::kDeleteProvider, {name});
    html.raw("\">");
    html << frame.t(Msg::kDelete);
    html.raw("</button></form></div></div></div>");
  }
  html.raw("<h2 class=\"h5 mt-4\">");
  html << frame.t(Msg::kAddProvider);
  html.raw("</h2>");
  appendFormMessages(html, view.newProviderMessages);
  html.raw(
      "<form class=\"row g-2\" method=\"post\" action=\"/admin/providers/add\" "
      "id=\"add-provider\">");
  appendCsrfField(html, frame.csrfToken);
  appendProviderFields(
      html, frame, view.newProvider, "new",
      {std::string(frame.t(Msg::kNewProviderName)), std::string(frame.t(Msg::kNewProviderCoverage)),
       std::string(frame.t(Msg::kNewProviderCost))},
      !view.newProviderMessages.empty());
  html.raw(
      "<div class=\"col-md-2\"><button class=\"btn btn-sm btn-primary w-100\" type=\"submit\">");
  html << frame.t(Msg::kAdd);
  html.raw("</button></div></form>");
  closeLayout(html);
  return html.take();
}

}  // namespace bookstore::web::views
