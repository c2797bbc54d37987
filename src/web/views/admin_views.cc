#include "web/views/admin_views.h"

#include "domain/money.h"
#include "web/views/page_parts.h"

namespace bookstore::web::views {
namespace {

void appendProviderFields(Html& html, const ProviderDraft& draft) {
  html.raw(
      "<div class=\"col-md-4\"><input class=\"form-control form-control-sm\" name=\"name\" "
      "maxlength=\"100\" required placeholder=\"Nombre\" aria-label=\"Nombre\" value=\"");
  html << draft.name;
  html.raw(
      "\"></div><div class=\"col-md-4\"><input class=\"form-control form-control-sm\" "
      "name=\"coverage_area\" maxlength=\"150\" required placeholder=\"Cobertura\" "
      "aria-label=\"Cobertura\" value=\"");
  html << draft.coverageArea;
  html.raw(
      "\"></div><div class=\"col-md-2\"><input class=\"form-control form-control-sm\" "
      "name=\"cost\" inputmode=\"decimal\" required placeholder=\"Costo\" aria-label=\"Costo\" "
      "value=\"");
  html << draft.cost;
  html.raw("\"></div>");
}

}  // namespace

std::string renderAdminUsers(const PageFrame& frame, const UsersView& view) {
  Html html(16384);
  openLayout(html, frame);
  html.raw("<h1 class=\"h3 mb-3\">Usuarios <small class=\"text-muted\">(");
  html << view.total;
  html.raw(
      ")</small></h1><div class=\"table-responsive\"><table class=\"table bg-white border\" "
      "id=\"users\"><thead><tr><th>ID</th><th>Nombre</th><th>Correo</th><th>Administrador</th>"
      "</tr></thead><tbody>");
  for (const auto& user : view.users) {
    html.raw("<tr class=\"user-row\"><td>");
    html << user.id;
    html.raw("</td><td class=\"user-name\">");
    html << user.name;
    html.raw("</td><td class=\"user-email\">");
    html << user.email;
    html.raw("</td><td class=\"user-admin\">");
    html << (user.isAdmin ? "Sí" : "No");
    html.raw("</td></tr>");
  }
  html.raw("</tbody></table></div>");
  appendPagination(html, "/admin/users", "", view.page, view.totalPages);
  closeLayout(html);
  return html.take();
}

std::string renderAdminProviders(const PageFrame& frame, const ProvidersView& view) {
  Html html(16384);
  openLayout(html, frame);
  html.raw("<h1 class=\"h3 mb-3\">Proveedores de entrega</h1>");
  if (view.providers.empty()) {
    html.raw("<p class=\"text-muted\" id=\"no-providers\">No hay proveedores.</p>");
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
    appendProviderFields(html, draft);
    html.raw(
        "<div class=\"col-md-2\"><button class=\"btn btn-sm btn-outline-primary w-100\" "
        "type=\"submit\">Guardar</button></div></form>"
        "<form class=\"col-auto\" method=\"post\" action=\"/admin/providers/delete/");
    html << provider.id;
    html.raw("\">");
    appendCsrfField(html, frame.csrfToken);
    html.raw(
        "<button class=\"btn btn-sm btn-outline-danger\" type=\"submit\">Eliminar</button>"
        "</form></div></div></div>");
  }
  html.raw("<h2 class=\"h5 mt-4\">Añadir proveedor</h2>");
  appendFormMessages(html, view.newProviderMessages);
  html.raw(
      "<form class=\"row g-2\" method=\"post\" action=\"/admin/providers/add\" "
      "id=\"add-provider\">");
  appendCsrfField(html, frame.csrfToken);
  appendProviderFields(html, view.newProvider);
  html.raw(
      "<div class=\"col-md-2\"><button class=\"btn btn-sm btn-primary w-100\" type=\"submit\">"
      "Añadir</button></div></form>");
  closeLayout(html);
  return html.take();
}

}  // namespace bookstore::web::views
