// Administration: the user list and the delivery providers.
#include "services/access.h"
#include "web/controllers/pages/page_kit.h"
#include "web/controllers/route_groups.h"
#include "web/errors.h"
#include "web/request_info.h"
#include "web/views/admin_views.h"
#include "web/views/page_parts.h"

namespace bookstore::web::pages {
namespace {

using drogon::Get;
using drogon::Post;

constexpr int64_t kUsersPerPage = 50;
constexpr auto kProvidersPath = "/admin/providers";

// Where an anonymous visitor is sent to log in first.
Response loginFirst(const Visitor& visitor, const Request& req) {
  return redirectToLogin(visitor,
                         req->method() == drogon::Get ? requestTarget(req) : kProvidersPath);
}

domain::ProviderInput inputFrom(const Request& req) {
  return {req->getParameter("name"), req->getParameter("coverage_area"), req->getParameter("cost")};
}

views::ProviderDraft draftFrom(const domain::ProviderInput& input) {
  return {input.name, input.coverageArea, input.cost};
}

// The form's messages: one sentence per refused field.
std::vector<std::string> messagesFor(const services::Error& error, i18n::Lang lang) {
  std::vector<std::string> messages;
  for (const auto& field : error.fields) {
    const auto label = field.field == "name"            ? i18n::Msg::kName
                       : field.field == "coverage_area" ? i18n::Msg::kCoverage
                                                        : i18n::Msg::kCost;
    messages.push_back(std::string(i18n::text(lang, label)) + ": " +
                       (lang == i18n::Lang::kEn ? field.messageEn : field.messageEs) + ".");
  }
  return messages;
}

// `visitor` is the caller's local and the caller awaits this at once.
drogon::Task<Response> providersPage(const WebContext& ctx, const Visitor& visitor,
                                     views::ProvidersView view, drogon::HttpStatusCode status) {
  view.providers = co_await ctx.providers->list();
  co_return htmlPage(
      visitor, views::renderAdminProviders(frameFor(ctx, visitor, i18n::Msg::kNavProviders), view),
      status);
}

drogon::Task<Response> users(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return loginFirst(visitor, req);
  views::UsersView view;
  view.page = pageParameter(req);
  auto page = co_await ctx->accounts->listUsers(*visitor.user, view.page, kUsersPerPage);
  if (!page) co_return errorPage(*ctx, visitor, page.error());
  view.users = std::move(page->items);
  view.total = page->total;
  view.totalPages = views::pageCount(page->total, kUsersPerPage);
  co_return htmlPage(visitor,
                     views::renderAdminUsers(frameFor(*ctx, visitor, i18n::Msg::kNavUsers), view));
}

drogon::Task<Response> providers(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!visitor.user) co_return loginFirst(visitor, req);
  if (auto allowed = services::requireAdmin(*visitor.user); !allowed) {
    co_return errorPage(*ctx, visitor, allowed.error());
  }
  views::ProvidersView view;
  auto page = co_await providersPage(*ctx, visitor, std::move(view), drogon::k200OK);
  co_return page;
}

drogon::Task<Response> addProvider(ContextPtr ctx, Request req) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return loginFirst(visitor, req);
  auto input = inputFrom(req);
  auto added = co_await ctx->providers->add(*visitor.user, input);
  if (added) co_return redirectWithFlash(visitor, kProvidersPath, "provider_saved");
  if (added.problem() != services::Problem::kInvalidFields) {
    co_return errorPage(*ctx, visitor, added.error());
  }
  views::ProvidersView view;
  view.newProvider = draftFrom(input);
  view.newProviderMessages = messagesFor(added.error(), visitor.lang);
  auto page = co_await providersPage(*ctx, visitor, std::move(view), drogon::k400BadRequest);
  co_return page;
}

drogon::Task<Response> editProvider(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return loginFirst(visitor, req);
  const auto id = parseId(idText);
  if (auto allowed = services::requireAdmin(*visitor.user); !allowed) {
    co_return errorPage(*ctx, visitor, allowed.error());
  }
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  auto input = inputFrom(req);
  auto edited = co_await ctx->providers->edit(*visitor.user, *id, input);
  if (edited) co_return redirectWithFlash(visitor, kProvidersPath, "provider_saved");
  if (edited.problem() != services::Problem::kInvalidFields) {
    co_return errorPage(*ctx, visitor, edited.error());
  }
  views::ProvidersView view;
  view.editedId = *id;
  view.editedDraft = draftFrom(input);
  view.editMessages = messagesFor(edited.error(), visitor.lang);
  auto page = co_await providersPage(*ctx, visitor, std::move(view), drogon::k400BadRequest);
  co_return page;
}

drogon::Task<Response> deleteProvider(ContextPtr ctx, Request req, std::string idText) {
  auto visitor = co_await loadVisitor(*ctx, req);
  if (!csrfValid(*ctx, visitor, req)) co_return csrfRefused(*ctx, visitor);
  if (!visitor.user) co_return loginFirst(visitor, req);
  if (auto allowed = services::requireAdmin(*visitor.user); !allowed) {
    co_return errorPage(*ctx, visitor, allowed.error());
  }
  const auto id = parseId(idText);
  if (!id) co_return errorPage(*ctx, visitor, drogon::k404NotFound);
  const auto removed = co_await ctx->providers->remove(*visitor.user, *id);
  if (!removed) co_return errorPage(*ctx, visitor, removed.error());
  co_return redirectWithFlash(visitor, kProvidersPath, "provider_deleted");
}

}  // namespace

void registerAdminPages(const ContextPtr& ctx) {
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
