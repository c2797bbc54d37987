// Administration: the user list and the delivery providers.
#include "web/controllers/pages/page_groups.h"
#include "web/controllers/pages/page_kit.h"
#include "web/controllers/pages/provider_form.h"
#include "web/request_info.h"
#include "web/views/admin_views.h"
#include "web/views/page_parts.h"

namespace bookstore::web::pages {
namespace {

using drogon::Get;
using drogon::Post;

constexpr int64_t kUsersPerPage = 50;
constexpr auto kProvidersPath = "/admin/providers";

// nullptr when the visitor is an administrator; else the redirect (anonymous)
// or the 403 page.
Response adminRefusal(const app::AppContext& ctx, const Visitor& visitor, const Request& req) {
  if (!visitor.user) {
    return redirectToLogin(visitor,
                           req->method() == drogon::Get ? requestTarget(req) : kProvidersPath);
  }
  if (!visitor.user->isAdmin) {
    return errorPage(ctx, visitor, drogon::k403Forbidden,
                     "Esta sección es solo para administradores.");
  }
  return nullptr;
}

views::ProviderDraft draftFrom(const Request& req) {
  return {req->getParameter("name"), req->getParameter("coverage_area"), req->getParameter("cost")};
}

// `view` is a caller's local (by reference: GCC 12 mishandles class-type
// coroutine parameters built from temporaries).
drogon::Task<Response> providersPage(const app::AppContext& ctx, const Visitor& visitor,
                                     views::ProvidersView& view, drogon::HttpStatusCode status) {
  view.providers = co_await ctx.providers->list();
  co_return htmlPage(
      visitor, views::renderAdminProviders(frameFor(ctx, visitor, "Proveedores"), view), status);
}

drogon::Task<Response> users(app::ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (auto refusal = adminRefusal(*ctx, visitor, req)) co_return refusal;
  views::UsersView view;
  view.page = pageParameter(req);
  auto page = co_await ctx->users->list(view.page, kUsersPerPage);
  view.users = std::move(page.items);
  view.total = page.total;
  view.totalPages = views::pageCount(page.total, kUsersPerPage);
  co_return htmlPage(visitor, views::renderAdminUsers(frameFor(*ctx, visitor, "Usuarios"), view));
}

drogon::Task<Response> providers(app::ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (auto refusal = adminRefusal(*ctx, visitor, req)) co_return refusal;
  views::ProvidersView view;
  auto page = co_await providersPage(*ctx, visitor, view, drogon::k200OK);
  co_return page;
}

drogon::Task<Response> addProvider(app::ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (auto refusal = adminRefusal(*ctx, visitor, req)) co_return refusal;
  auto draft = draftFrom(req);
  auto check = checkProvider(draft);
  if (!check.messages.empty()) {
    views::ProvidersView view;
    view.newProvider = std::move(draft);
    view.newProviderMessages = std::move(check.messages);
    auto page = co_await providersPage(*ctx, visitor, view, drogon::k400BadRequest);
    co_return page;
  }
  co_await ctx->providers->create(check.provider.name, check.provider.coverageArea,
                                  check.provider.costCents);
  co_return redirectWithFlash(visitor, kProvidersPath, "provider_saved");
}

drogon::Task<Response> editProvider(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (auto refusal = adminRefusal(*ctx, visitor, req)) co_return refusal;
  const auto id = parseId(idText);
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  const auto existing = co_await ctx->providers->find(*id);
  if (!existing) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  auto draft = draftFrom(req);
  auto check = checkProvider(draft);
  if (!check.messages.empty()) {
    views::ProvidersView view;
    view.editedId = *id;
    view.editedDraft = std::move(draft);
    view.editMessages = std::move(check.messages);
    auto page = co_await providersPage(*ctx, visitor, view, drogon::k400BadRequest);
    co_return page;
  }
  const bool updated = co_await ctx->providers->update(
      *id, check.provider.name, check.provider.coverageArea, check.provider.costCents);
  if (!updated) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  co_return redirectWithFlash(visitor, kProvidersPath, "provider_saved");
}

drogon::Task<Response> deleteProvider(app::ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (auto refusal = adminRefusal(*ctx, visitor, req)) co_return refusal;
  const auto id = parseId(idText);
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  const auto outcome = co_await ctx->providers->remove(*id);
  switch (outcome) {
    case db::ProviderDeleteOutcome::kDeleted:
      co_return redirectWithFlash(visitor, kProvidersPath, "provider_deleted");
    case db::ProviderDeleteOutcome::kInUse:
      co_return errorPage(*ctx, visitor, drogon::k409Conflict,
                          "Este proveedor tiene entregas asignadas y no se puede eliminar.");
    case db::ProviderDeleteOutcome::kNotFound:
      break;
  }
  co_return errorPage(*ctx, visitor, drogon::k404NotFound);
}

}  // namespace

void registerAdminPages(const app::ContextPtr& ctx) {
  addPage(ctx, "/admin/users", [ctx](Request req) { return users(ctx, std::move(req)); }, {Get});
  addPage(ctx, kProvidersPath, [ctx](Request req) { return providers(ctx, std::move(req)); },
          {Get});
  addPage(ctx, "/admin/providers/add",
          [ctx](Request req) { return addProvider(ctx, std::move(req)); }, {Post});
  addPage(ctx, "/admin/providers/edit/{id}",
          [ctx](Request req, std::string id) {
            return editProvider(ctx, std::move(req), std::move(id));
          },
          {Post});
  addPage(ctx, "/admin/providers/delete/{id}",
          [ctx](Request req, std::string id) {
            return deleteProvider(ctx, std::move(req), std::move(id));
          },
          {Post});
}

}  // namespace bookstore::web::pages
