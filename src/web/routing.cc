#include "web/routing.h"

#include <algorithm>

#include <drogon/HttpAppFramework.h>

#include "services/failures.h"
#include "web/errors.h"
#include "web/metrics.h"

namespace bookstore::web {
namespace {

Response responseForException(const ContextPtr& ctx, const Request& req, bool api,
                              std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    if (services::isUnavailable(e)) {
      const bool timeout = services::isTimeout(e);
      if (timeout) {
        ctx->readiness->databaseSlow();
      } else {
        ctx->readiness->databaseFailed();
      }
      LOG_WARN << req->methodString() << " " << req->path() << ": database "
               << (timeout ? "timed out" : "unavailable") << " (" << e.what() << ")";
      return statusError(api, drogon::k503ServiceUnavailable, languageOf(req));
    }
    LOG_ERROR << req->methodString() << " " << req->path() << ": " << e.what();
  } catch (...) {
    LOG_ERROR << req->methodString() << " " << req->path() << ": unknown exception";
  }
  return statusError(api, drogon::k500InternalServerError, languageOf(req));
}

template <typename Invoke>
drogon::Task<Response> guarded(ContextPtr ctx, Request req, bool api, Invoke invoke) {
  if (!ctx->readiness->databaseAdmits())
    co_return statusError(api, drogon::k503ServiceUnavailable, languageOf(req));
  std::exception_ptr error;
  try {
    co_return co_await invoke();
  } catch (...) {
    error = std::current_exception();
  }
  co_return responseForException(ctx, req, api, error);
}

constexpr drogon::HttpMethod kAllMethods[] = {drogon::Get, drogon::Post, drogon::Put, drogon::Patch,
                                              drogon::Delete};

// Drogon answers 404 instead of 405 for some patterns with parameters, so
// every other method of a route is registered here to answer 405 with Allow.
void addMethodNotAllowed(const std::string& path, const Methods& allowed, bool api) {
  std::vector<drogon::HttpMethod> allowedMethods;
  for (const auto& constraint : allowed) {
    if (constraint.type() == drogon::internal::ConstraintType::HttpMethod) {
      allowedMethods.push_back(constraint.getHttpMethod());
    }
  }
  std::string allow;
  Methods others;
  for (auto method : kAllMethods) {
    if (std::find(allowedMethods.begin(), allowedMethods.end(), method) != allowedMethods.end()) {
      allow += (allow.empty() ? "" : ", ") + std::string(drogon::to_string_view(method));
    } else {
      others.emplace_back(method);
    }
  }
  if (others.empty()) return;
  drogon::app().registerHandler(
      path,
      [api, allow](const Request& req, std::function<void(const Response&)>&& callback) {
        auto resp = statusError(api, drogon::k405MethodNotAllowed, languageOf(req));
        resp->addHeader("Allow", allow);
        callback(resp);
      },
      others, kMethodNotAllowedHandler);
}

void add(const ContextPtr& ctx, const std::string& path, RouteHandler handler, Methods methods,
         bool api) {
  addMethodNotAllowed(path, methods, api);
  drogon::app().registerHandler(
      path,
      [ctx, handler = std::move(handler), api,
       meter = std::make_shared<const RouteMeter>(path)](Request req) -> drogon::Task<Response> {
        const auto started = std::chrono::steady_clock::now();
        auto resp = co_await guarded(ctx, req, api, [&] { return handler(req); });
        meter->record(req, resp, started);
        co_return resp;
      },
      methods);
}

void add(const ContextPtr& ctx, const std::string& path, RouteHandlerWithId handler,
         Methods methods, bool api) {
  addMethodNotAllowed(path, methods, api);
  drogon::app().registerHandler(
      path,
      [ctx, handler = std::move(handler), api, meter = std::make_shared<const RouteMeter>(path)](
          Request req, std::string id) -> drogon::Task<Response> {
        const auto started = std::chrono::steady_clock::now();
        auto resp = co_await guarded(ctx, req, api, [&] { return handler(req, id); });
        meter->record(req, resp, started);
        co_return resp;
      },
      methods);
}

}  // namespace

void addPage(const ContextPtr& ctx, const std::string& path, RouteHandler handler,
             Methods methods) {
  add(ctx, path, std::move(handler), std::move(methods), false);
}
void addPage(const ContextPtr& ctx, const std::string& path, RouteHandlerWithId handler,
             Methods methods) {
  add(ctx, path, std::move(handler), std::move(methods), false);
}
void addApi(const ContextPtr& ctx, const std::string& path, RouteHandler handler, Methods methods) {
  add(ctx, path, std::move(handler), std::move(methods), true);
}
void addApi(const ContextPtr& ctx, const std::string& path, RouteHandlerWithId handler,
            Methods methods) {
  add(ctx, path, std::move(handler), std::move(methods), true);
}

Response redirectTo(const std::string& location) {
  auto resp = drogon::HttpResponse::newRedirectionResponse(location, drogon::k302Found);
  return resp;
}

}  // namespace bookstore::web
