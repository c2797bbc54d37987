#include "web/controllers/api/api_support.h"

#include <algorithm>
#include <cctype>
#include <exception>

#include "domain/idempotency.h"
#include "web/request_info.h"

namespace bookstore::web::api {

std::string bearerToken(const Request& req) {
  const auto& header = req->getHeader("authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return {};
    }
  }
  auto token = header.substr(kScheme.size());
  while (!token.empty() && token.back() == ' ') token.pop_back();
  return token.size() == 64 ? token : std::string();
}

drogon::Task<std::optional<db::User>> bearerUser(const WebContext& ctx, Request req) {
  auto token = bearerToken(req);
  if (token.empty()) co_return std::nullopt;
  co_return co_await ctx.accounts->tokenUser(std::move(token));
}

drogon::Task<Response> keyedCall(const WebContext& ctx, Request req, int64_t userId,
                                 KeyedWork work) {
  const auto& headers = req->headers();
  const auto header = headers.find("idempotency-key");
  if (header == headers.end()) {
    std::optional<db::KeyClaim> none;
    auto running = work(std::move(none));
    auto answer = co_await running;
    co_return answer.response;
  }
  if (!domain::validIdempotencyKey(header->second)) {
    co_return jsonErrorFor(services::invalidFields(
        {{"Idempotency-Key", "invalid", "must be 1 to 255 printable ASCII characters", ""}}));
  }
  std::string key = header->second;
  std::string hash = domain::requestFingerprint(req->methodString(), req->path(), req->body());
  auto starting = ctx.idempotency->start(userId, std::move(key), std::move(hash));
  auto started = co_await starting;
  switch (started.found) {
    case services::IdempotencyService::Found::kReplay: {
      auto resp = jsonTextResponse(std::move(started.answer.body),
                                   static_cast<drogon::HttpStatusCode>(started.answer.status));
      if (!started.answer.location.empty()) resp->addHeader("Location", started.answer.location);
      resp->addHeader("Idempotent-Replayed", "true");
      co_return resp;
    }
    case services::IdempotencyService::Found::kReused:
      co_return jsonErrorFor(services::refuse(services::Problem::kIdempotencyKeyReused));
    case services::IdempotencyService::Found::kInFlight:
      co_return jsonErrorFor(services::refuse(services::Problem::kRequestInFlight));
    case services::IdempotencyService::Found::kFirst:
      break;
  }
  std::optional<db::KeyClaim> claim = started.claim;
  KeyedResponse answer;
  std::exception_ptr failure;
  try {
    auto running = work(std::move(claim));
    auto result = co_await running;
    answer = std::move(result);
  } catch (...) {
    failure = std::current_exception();
  }
  const int status = answer.response ? static_cast<int>(answer.response->statusCode()) : 500;
  if (failure || status >= 500) {
    try {
      auto releasing = ctx.idempotency->release(started.claim);
      co_await releasing;
    } catch (const std::exception&) {
      // Left in flight: a retry takes it over after kTakeOverAfterSeconds.
    }
    if (failure) std::rethrow_exception(failure);
    co_return answer.response;
  }
  if (!answer.stored) {
    db::StoredAnswer stored{status, answer.response->getHeader("location"),
                            std::string(answer.response->body())};
    try {
      auto finishing = ctx.idempotency->finish(started.claim, std::move(stored));
      co_await finishing;
    } catch (const std::exception& e) {
      // The answer still goes out; the key stays in flight until taken over.
      LOG_WARN << "storing an idempotent answer: " << e.what();
    }
  }
  co_return answer.response;
}

services::Outcome<Json::Value> jsonBody(const Request& req) {
  auto value = parseJsonObject(req->body());
  if (!value) return services::refuse(services::Problem::kMalformedRequest);
  return std::move(*value);
}

services::Outcome<Paging> paging(const Request& req) {
  Paging out;
  domain::FieldErrors fields;
  const auto& page = req->getParameter("page");
  if (!page.empty()) {
    auto value = parseId(page);
    if (!value) {
      fields.push_back({"page", "invalid", "must be a whole number from 1", ""});
    } else {
      out.page = *value;
    }
  }
  const auto& perPage = req->getParameter("per_page");
  if (!perPage.empty()) {
    auto value = parseId(perPage);
    if (!value) {
      fields.push_back({"per_page", "invalid", "must be a whole number from 1 to 100", ""});
    } else {
      out.perPage = std::min<int64_t>(*value, 100);
    }
  }
  if (!fields.empty()) return services::invalidFields(std::move(fields));
  if (out.page > 10'000'000) out.page = 10'000'000;
  return out;
}

Response unauthorized() {
  return jsonErrorFor(services::refuse(services::Problem::kUnauthorized));
}

Json::Value userJson(const db::User& user) {
  Json::Value v;
  v["id"] = static_cast<Json::Int64>(user.id);
  v["name"] = user.name;
  v["email"] = user.email;
  v["is_admin"] = user.isAdmin;
  return v;
}

Json::Value bookJson(const db::Book& book) {
  Json::Value v;
  v["id"] = static_cast<Json::Int64>(book.id);
  v["title"] = book.title;
  v["author"] = book.author;
  v["description"] = book.description;
  v["price"] = moneyJson(book.priceCents);
  v["stock"] = static_cast<Json::Int64>(book.stock);
  v["seller_id"] = static_cast<Json::Int64>(book.sellerId);
  v["seller_name"] = book.sellerName;
  v["cover_url"] =
      book.coverImage.empty() ? Json::Value() : Json::Value("/uploads/covers/" + book.coverImage);
  return v;
}

Json::Value purchaseJson(const db::Purchase& p) {
  Json::Value v;
  v["id"] = static_cast<Json::Int64>(p.id);
  v["book_id"] = static_cast<Json::Int64>(p.bookId);
  v["book_title"] = p.bookTitle;
  v["quantity"] = static_cast<Json::Int64>(p.quantity);
  v["total_price"] = moneyJson(p.totalCents);
  v["status"] = p.status;
  if (p.payment) {
    v["payment"]["method"] = p.payment->method;
    v["payment"]["amount"] = moneyJson(p.payment->amountCents);
    v["payment"]["status"] = p.payment->status;
  } else {
    v["payment"] = Json::Value();
  }
  if (p.delivery) {
    v["delivery"]["provider_id"] = static_cast<Json::Int64>(p.delivery->providerId);
    v["delivery"]["provider_name"] = p.delivery->providerName;
    v["delivery"]["cost"] = moneyJson(p.delivery->costCents);
  } else {
    v["delivery"] = Json::Value();
  }
  return v;
}

Json::Value providerJson(const db::Provider& provider) {
  Json::Value v;
  v["id"] = static_cast<Json::Int64>(provider.id);
  v["name"] = provider.name;
  v["coverage_area"] = provider.coverageArea;
  v["cost"] = moneyJson(provider.costCents);
  return v;
}

}  // namespace bookstore::web::api
