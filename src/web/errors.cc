#include "web/errors.h"

#include <json/value.h>

#include <algorithm>

#include "services/account_service.h"
#include "web/i18n/language.h"
#include "web/json.h"

namespace bookstore::web {
namespace {

using services::Problem;

i18n::Msg statusMessage(drogon::HttpStatusCode status) {
  using i18n::Msg;
  switch (status) {
    case drogon::k400BadRequest:
      return Msg::kStatus400;
    case drogon::k401Unauthorized:
      return Msg::kStatus401;
    case drogon::k403Forbidden:
      return Msg::kStatus403;
    case drogon::k404NotFound:
      return Msg::kStatus404;
    case drogon::k405MethodNotAllowed:
      return Msg::kStatus405;
    case drogon::k409Conflict:
      return Msg::kStatus409;
    case drogon::k413RequestEntityTooLarge:
      return Msg::kStatus413;
    case drogon::k415UnsupportedMediaType:
      return Msg::kStatus415;
    case drogon::k429TooManyRequests:
      return Msg::kStatus429;
    case drogon::k503ServiceUnavailable:
      return Msg::kStatus503;
    case drogon::k507InsufficientStorage:
      return Msg::kStatus507;
    default:
      return Msg::kStatus500;
  }
}

std::string_view statusCode(drogon::HttpStatusCode status) {
  switch (status) {
    case drogon::k400BadRequest:
      return "invalid_json";
    case drogon::k401Unauthorized:
      return "unauthorized";
    case drogon::k403Forbidden:
      return "forbidden";
    case drogon::k404NotFound:
      return "not_found";
    case drogon::k405MethodNotAllowed:
      return "method_not_allowed";
    case drogon::k409Conflict:
      return "conflict";
    case drogon::k413RequestEntityTooLarge:
      return "payload_too_large";
    case drogon::k415UnsupportedMediaType:
      return "unsupported_media_type";
    case drogon::k422UnprocessableEntity:
      return "validation_failed";
    case drogon::k429TooManyRequests:
      return "too_many_requests";
    case drogon::k503ServiceUnavailable:
      return "unavailable";
    case drogon::k507InsufficientStorage:
      return "insufficient_storage";
    default:
      return "internal";
  }
}

std::string_view statusMessageEn(drogon::HttpStatusCode status) {
  switch (status) {
    case drogon::k400BadRequest:
      return "The request could not be understood.";
    case drogon::k401Unauthorized:
      return "Authentication is required.";
    case drogon::k403Forbidden:
      return "You are not allowed to do this.";
    case drogon::k404NotFound:
      return "Not found.";
    case drogon::k405MethodNotAllowed:
      return "This method is not allowed here.";
    case drogon::k409Conflict:
      return "The request conflicts with the current state.";
    case drogon::k413RequestEntityTooLarge:
      return "The request body is too large.";
    case drogon::k415UnsupportedMediaType:
      return "Unsupported media type.";
    case drogon::k429TooManyRequests:
      return "Too many attempts; try again later.";
    case drogon::k503ServiceUnavailable:
      return "The service is temporarily unavailable.";
    case drogon::k507InsufficientStorage:
      return "The server has no room left to store files.";
    default:
      return "Internal error.";
  }
}

// "12 minutos", "1 minute" (at least one).
std::string minutesText(i18n::Lang lang, int64_t seconds) {
  const int64_t minutes = std::max<int64_t>(1, (seconds + 59) / 60);
  return i18n::fill(lang, minutes == 1 ? i18n::Msg::kMinute : i18n::Msg::kMinutes,
                    {std::to_string(minutes)});
}

// "200 MB", or "1,4 MB" (Spanish) / "1.4 MB" (English) below 10 MB.
std::string megabytesText(i18n::Lang lang, int64_t bytes) {
  const int64_t tenths = (bytes * 10 + 1024 * 1024 / 2) / (1024 * 1024);
  if (tenths >= 100 || tenths % 10 == 0) return std::to_string(tenths / 10) + " MB";
  return std::to_string(tenths / 10) + (lang == i18n::Lang::kEn ? "." : ",") +
         std::to_string(tenths % 10) + " MB";
}

HtmlRefusal standard(i18n::Lang lang, drogon::HttpStatusCode status) {
  return {status, std::string(i18n::text(lang, statusMessage(status)))};
}

struct JsonRefusal {
  drogon::HttpStatusCode status;
  std::string_view code;
  std::string_view message;
};

JsonRefusal jsonRefusal(Problem problem) {
  switch (problem) {
    case Problem::kMalformedRequest:
      return {drogon::k400BadRequest, "invalid_json", "The request body must be a JSON object."};
    case Problem::kInvalidFields:
      return {drogon::k422UnprocessableEntity, "validation_failed", "Some fields are invalid."};
    case Problem::kUnauthorized:
      return {drogon::k401Unauthorized, "unauthorized", "A valid bearer token is required."};
    case Problem::kWrongCredentials:
      return {drogon::k401Unauthorized, "unauthorized", "Wrong email or password."};
    case Problem::kThrottled:
      return {drogon::k429TooManyRequests, "too_many_requests",
              "Too many failed logins; try again in a few minutes."};
    case Problem::kTooManyRegistrations:
      return {drogon::k429TooManyRequests, "too_many_requests",
              "Too many accounts registered from this address; try again later."};
    case Problem::kBusy:
      return {drogon::k503ServiceUnavailable, "unavailable",
              "The server is busy; try again in a moment."};
    case Problem::kForbidden:
    case Problem::kNotAdmin:
    case Problem::kNotSeller:
      return {drogon::k403Forbidden, "forbidden", "You are not allowed to do this."};
    case Problem::kBookNotFound:
      return {drogon::k404NotFound, "not_found", "No such book."};
    case Problem::kPurchaseNotFound:
      return {drogon::k404NotFound, "not_found", "No such purchase."};
    case Problem::kProviderNotFound:
      return {drogon::k404NotFound, "not_found", "No such delivery provider."};
    case Problem::kEmailTaken:
      return {drogon::k409Conflict, "conflict", "This email is already registered."};
    case Problem::kInsufficientStock:
      return {drogon::k409Conflict, "insufficient_stock", "Not enough copies in stock."};
    case Problem::kStockChanged:
      return {drogon::k409Conflict, "stock_changed",
              "The stock changed since it was read; read the book again and resend."};
    case Problem::kNotPayable:
      return {drogon::k409Conflict, "conflict", "This purchase cannot be paid."};
    case Problem::kNotPaid:
      return {drogon::k409Conflict, "conflict",
              "The purchase must be paid before choosing delivery."};
    case Problem::kDeliveryAlreadyChosen:
      return {drogon::k409Conflict, "conflict", "Delivery was already chosen for this purchase."};
    case Problem::kNotCancellable:
      return {drogon::k409Conflict, "conflict",
              "Only a purchase pending payment can be cancelled."};
    case Problem::kProviderInUse:
      return {drogon::k409Conflict, "conflict",
              "Deliveries name this provider; it cannot be deleted."};
    case Problem::kCoverTooLarge:
      return {drogon::k413RequestEntityTooLarge, "payload_too_large",
              "The image is larger than the upload limit."};
    case Problem::kCoverNotAnImage:
      return {drogon::k415UnsupportedMediaType, "unsupported_media_type",
              "The content is not a complete JPEG, PNG or WebP image."};
    case Problem::kWrongContentType:
      return {drogon::k415UnsupportedMediaType, "unsupported_media_type",
              "Send the image bytes as image/jpeg, image/png or image/webp."};
    case Problem::kIdempotencyKeyReused:
      return {drogon::k422UnprocessableEntity, "idempotency_key_reused",
              "This Idempotency-Key was already used for another request; use a new key."};
    case Problem::kRequestInFlight:
      return {drogon::k409Conflict, "conflict",
              "A request with this Idempotency-Key is still in progress; retry shortly."};
    case Problem::kBookQuotaReached:
      return {drogon::k429TooManyRequests, "too_many_requests",
              "This account listed as many books as allowed in one hour "
              "(MAX_BOOKS_PER_SELLER_PER_HOUR); try again later."};
    case Problem::kCoverQuotaReached:
      return {drogon::k429TooManyRequests, "too_many_requests",
              "This account's covers take all the space allowed (MAX_COVER_BYTES_PER_SELLER); "
              "remove covers or books to upload more."};
    case Problem::kStorageFull:
      return {drogon::k507InsufficientStorage, "insufficient_storage",
              "The upload folder is full: the cover was not stored and nothing changed."};
  }
  return {drogon::k500InternalServerError, "internal", "Internal error."};
}

}  // namespace

std::optional<int64_t> retryAfterOf(const services::Error& error) {
  switch (error.problem) {
    case Problem::kBookQuotaReached:
    case Problem::kCoverQuotaReached:
      return std::max<int64_t>(1, error.retryAfterSeconds);
    case Problem::kRequestInFlight:
      return 1;
    default:
      if (error.retryAfterSeconds > 0) return error.retryAfterSeconds;
      return std::nullopt;
  }
}

bool isApiRequest(const drogon::HttpRequestPtr& req) {
  const auto& path = req->path();
  return path == "/api" || path.starts_with("/api/");
}

drogon::HttpResponsePtr htmlError(drogon::HttpStatusCode status, std::string_view message,
                                  const views::PageFrame& frame) {
  views::PageFrame withTitle = frame;
  withTitle.title = std::string(withTitle.t(i18n::Msg::kErrorTitle)) + " " +
                    std::to_string(static_cast<int>(status));
  auto resp = drogon::HttpResponse::newHttpResponse();
  resp->setStatusCode(status);
  resp->setContentTypeString("text/html; charset=utf-8");
  resp->setBody(
      views::renderErrorPage(withTitle, static_cast<int>(status),
                             message.empty() ? withTitle.t(statusMessage(status)) : message));
  resp->addHeader("Cache-Control", "no-store");
  return resp;
}

drogon::HttpResponsePtr statusError(bool api, drogon::HttpStatusCode status, i18n::Lang lang) {
  views::PageFrame frame;
  frame.lang = lang;
  auto resp = api ? jsonError(status, statusCode(status), statusMessageEn(status))
                  : htmlError(status, {}, frame);
  // A 503 here is the database (or the replica) being away: clients may retry soon.
  if (status == drogon::k503ServiceUnavailable) resp->addHeader("Retry-After", "1");
  return resp;
}

drogon::HttpResponsePtr errorFor(const drogon::HttpRequestPtr& req, drogon::HttpStatusCode status) {
  return statusError(req && isApiRequest(req), status, languageOf(req));
}

i18n::Lang languageOf(const drogon::HttpRequestPtr& req) {
  if (!req) return i18n::Lang::kEs;
  return i18n::chooseLanguage(req->getCookie(std::string(i18n::kLanguageCookie)),
                              req->getHeader("accept-language"));
}

HtmlRefusal htmlRefusalFor(const services::Error& error, i18n::Lang lang) {
  using i18n::Msg;
  const auto says = [lang](drogon::HttpStatusCode status, Msg key) {
    return HtmlRefusal{status, std::string(i18n::text(lang, key))};
  };
  switch (error.problem) {
    case Problem::kMalformedRequest:
      return standard(lang, drogon::k400BadRequest);
    case Problem::kInvalidFields:
      if (!error.fields.empty()) {
        const auto& field = error.fields.front();
        return {drogon::k400BadRequest,
                lang == i18n::Lang::kEn ? field.messageEn : field.messageEs};
      }
      return standard(lang, drogon::k400BadRequest);
    case Problem::kUnauthorized:
    case Problem::kWrongCredentials:
      return standard(lang, drogon::k401Unauthorized);
    case Problem::kThrottled:
      return says(drogon::k429TooManyRequests, Msg::kThrottled);
    case Problem::kTooManyRegistrations:
      return says(drogon::k429TooManyRequests, Msg::kTooManyRegistrations);
    case Problem::kBusy:
      return says(drogon::k503ServiceUnavailable, Msg::kBusy);
    case Problem::kForbidden:
      return standard(lang, drogon::k403Forbidden);
    case Problem::kNotAdmin:
      return says(drogon::k403Forbidden, Msg::kNotAdmin);
    case Problem::kNotSeller:
      return says(drogon::k403Forbidden, Msg::kNotSeller);
    case Problem::kBookNotFound:
    case Problem::kPurchaseNotFound:
    case Problem::kProviderNotFound:
      return standard(lang, drogon::k404NotFound);
    case Problem::kEmailTaken:
      return says(drogon::k409Conflict, Msg::kEmailTaken);
    case Problem::kInsufficientStock:
      if (error.stockLeft > 0) {
        return {drogon::k400BadRequest,
                i18n::fill(lang, Msg::kStockLeft, {std::to_string(error.stockLeft)})};
      }
      return says(drogon::k400BadRequest, Msg::kBookSoldOut);
    case Problem::kStockChanged:
      return {drogon::k409Conflict,
              i18n::fill(lang, Msg::kStockChanged, {std::to_string(error.stockLeft)})};
    case Problem::kNotPayable:
      return says(drogon::k409Conflict, Msg::kNotPayable);
    case Problem::kNotPaid:
      return says(drogon::k409Conflict, Msg::kNotPaid);
    case Problem::kDeliveryAlreadyChosen:
      return says(drogon::k409Conflict, Msg::kDeliveryAlreadyChosen);
    case Problem::kNotCancellable:
      return says(drogon::k409Conflict, Msg::kNotCancellable);
    case Problem::kProviderInUse:
      return says(drogon::k409Conflict, Msg::kProviderInUse);
    case Problem::kCoverTooLarge:
      return {drogon::k413RequestEntityTooLarge,
              i18n::fill(lang, Msg::kCoverTooLarge,
                         {std::to_string(error.limitBytes / (1024 * 1024))})};
    case Problem::kCoverNotAnImage:
      return says(drogon::k415UnsupportedMediaType, Msg::kCoverNotAnImage);
    case Problem::kWrongContentType:
      return standard(lang, drogon::k415UnsupportedMediaType);
    case Problem::kIdempotencyKeyReused:
      return says(drogon::k409Conflict, Msg::kFormReused);
    case Problem::kRequestInFlight:
      return says(drogon::k409Conflict, Msg::kRequestInFlight);
    case Problem::kBookQuotaReached:
      return {
          drogon::k429TooManyRequests,
          i18n::fill(lang, Msg::kBookQuota,
                     {std::to_string(error.limit), minutesText(lang, error.retryAfterSeconds)})};
    case Problem::kCoverQuotaReached:
      return {drogon::k429TooManyRequests,
              i18n::fill(lang, Msg::kCoverQuota, {megabytesText(lang, error.limitBytes)})};
    case Problem::kStorageFull:
      return says(drogon::k507InsufficientStorage, Msg::kStorageFull);
  }
  return standard(lang, drogon::k500InternalServerError);
}

drogon::HttpResponsePtr jsonErrorFor(const services::Error& error) {
  const auto refusal = jsonRefusal(error.problem);
  Json::Value fields(Json::objectValue);
  for (const auto& field : error.fields) {
    if (!fields.isMember(field.field)) fields[field.field] = field.messageEn;
  }
  auto resp = jsonError(refusal.status, refusal.code, refusal.message, fields);
  if (error.problem == Problem::kUnauthorized) resp->addHeader("WWW-Authenticate", "Bearer");
  if (auto after = retryAfterOf(error)) resp->addHeader("Retry-After", std::to_string(*after));
  return resp;
}

}  // namespace bookstore::web
