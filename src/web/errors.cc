#include "web/errors.h"

#include <json/value.h>

#include <algorithm>

#include "services/account_service.h"
#include "web/json.h"

namespace bookstore::web {
namespace {

using services::Problem;

std::string_view statusMessageEs(drogon::HttpStatusCode status) {
  switch (status) {
    case drogon::k400BadRequest:
      return "La solicitud no es válida.";
    case drogon::k401Unauthorized:
      return "Necesitas iniciar sesión.";
    case drogon::k403Forbidden:
      return "No tienes permiso para hacer esto.";
    case drogon::k404NotFound:
      return "La página que buscas no existe.";
    case drogon::k405MethodNotAllowed:
      return "Método no permitido para esta dirección.";
    case drogon::k409Conflict:
      return "La operación entra en conflicto con el estado actual.";
    case drogon::k413RequestEntityTooLarge:
      return "El archivo o el formulario es demasiado grande.";
    case drogon::k415UnsupportedMediaType:
      return "Tipo de contenido no admitido.";
    case drogon::k429TooManyRequests:
      return "Demasiados intentos. Espera unos minutos.";
    case drogon::k503ServiceUnavailable:
      return "El servicio no está disponible en este momento. Inténtalo de nuevo en unos segundos.";
    case drogon::k507InsufficientStorage:
      return "No queda espacio para guardar archivos. Inténtalo más tarde.";
    default:
      return "Ha ocurrido un error inesperado.";
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

// "12 minutos", "1 minuto" (at least one).
std::string minutesEs(int64_t seconds) {
  const int64_t minutes = std::max<int64_t>(1, (seconds + 59) / 60);
  return std::to_string(minutes) + (minutes == 1 ? " minuto" : " minutos");
}

// "200 MB", or "1,4 MB" below 10 MB.
std::string megabytesEs(int64_t bytes) {
  const int64_t tenths = (bytes * 10 + 1024 * 1024 / 2) / (1024 * 1024);
  if (tenths >= 100 || tenths % 10 == 0) return std::to_string(tenths / 10) + " MB";
  return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10) + " MB";
}

HtmlRefusal standard(drogon::HttpStatusCode status) {
  return {status, std::string(statusMessageEs(status))};
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
  withTitle.title = "Error " + std::to_string(static_cast<int>(status));
  auto resp = drogon::HttpResponse::newHttpResponse();
  resp->setStatusCode(status);
  resp->setContentTypeString("text/html; charset=utf-8");
  resp->setBody(views::renderErrorPage(withTitle, static_cast<int>(status),
                                       message.empty() ? statusMessageEs(status) : message));
  resp->addHeader("Cache-Control", "no-store");
  return resp;
}

drogon::HttpResponsePtr statusError(bool api, drogon::HttpStatusCode status) {
  auto resp =
      api ? jsonError(status, statusCode(status), statusMessageEn(status)) : htmlError(status);
  // A 503 here is the database (or the replica) being away: clients may retry soon.
  if (status == drogon::k503ServiceUnavailable) resp->addHeader("Retry-After", "1");
  return resp;
}

drogon::HttpResponsePtr errorFor(const drogon::HttpRequestPtr& req, drogon::HttpStatusCode status) {
  return statusError(req && isApiRequest(req), status);
}

HtmlRefusal htmlRefusalFor(const services::Error& error) {
  switch (error.problem) {
    case Problem::kMalformedRequest:
      return standard(drogon::k400BadRequest);
    case Problem::kInvalidFields:
      if (!error.fields.empty()) return {drogon::k400BadRequest, error.fields.front().messageEs};
      return standard(drogon::k400BadRequest);
    case Problem::kUnauthorized:
    case Problem::kWrongCredentials:
      return standard(drogon::k401Unauthorized);
    case Problem::kThrottled:
      return {drogon::k429TooManyRequests,
              "Demasiados intentos fallidos. Espera unos minutos antes de volver a intentarlo."};
    case Problem::kTooManyRegistrations:
      return {drogon::k429TooManyRequests,
              "Se han registrado demasiadas cuentas desde esta dirección. Inténtalo más tarde."};
    case Problem::kBusy:
      return {drogon::k503ServiceUnavailable,
              "El servidor está ocupado. Vuelve a intentarlo en un momento."};
    case Problem::kForbidden:
      return standard(drogon::k403Forbidden);
    case Problem::kNotAdmin:
      return {drogon::k403Forbidden, "Esta sección es solo para administradores."};
    case Problem::kNotSeller:
      return {drogon::k403Forbidden, "Solo quien publicó este libro puede modificarlo."};
    case Problem::kBookNotFound:
    case Problem::kPurchaseNotFound:
    case Problem::kProviderNotFound:
      return standard(drogon::k404NotFound);
    case Problem::kEmailTaken:
      return {drogon::k409Conflict, "Ya existe una cuenta con ese correo electrónico."};
    case Problem::kInsufficientStock:
      return {drogon::k400BadRequest,
              error.stockLeft > 0
                  ? "No hay suficientes unidades: quedan " + std::to_string(error.stockLeft) + "."
                  : std::string("Este libro está agotado.")};
    case Problem::kStockChanged:
      return {drogon::k409Conflict,
              "Las existencias cambiaron mientras editabas (se vendieron ejemplares): ahora hay " +
                  std::to_string(error.stockLeft) +
                  ". Revisa el formulario y vuelve a guardar; no se cambió nada."};
    case Problem::kNotPayable:
      return {drogon::k409Conflict, "Esta compra no se puede pagar."};
    case Problem::kNotPaid:
      return {drogon::k409Conflict, "Primero debes pagar la compra para elegir la entrega."};
    case Problem::kDeliveryAlreadyChosen:
      return {drogon::k409Conflict, "Ya elegiste el proveedor de entrega de esta compra."};
    case Problem::kNotCancellable:
      return {drogon::k409Conflict, "Solo se puede cancelar una compra pendiente de pago."};
    case Problem::kProviderInUse:
      return {drogon::k409Conflict,
              "Este proveedor tiene entregas asignadas y no se puede eliminar."};
    case Problem::kCoverTooLarge:
      return {drogon::k413RequestEntityTooLarge,
              "La portada supera el tamaño máximo permitido (" +
                  std::to_string(error.limitBytes / (1024 * 1024)) + " MB)."};
    case Problem::kCoverNotAnImage:
      return {drogon::k415UnsupportedMediaType,
              "La portada debe ser una imagen JPEG, PNG o WebP válida."};
    case Problem::kWrongContentType:
      return standard(drogon::k415UnsupportedMediaType);
    case Problem::kIdempotencyKeyReused:
      return {drogon::k409Conflict,
              "Este formulario ya se envió con otros datos. Recarga la página para hacer otra "
              "compra."};
    case Problem::kRequestInFlight:
      return {drogon::k409Conflict,
              "Tu compra anterior con este formulario aún se está procesando. Revisa «Mis "
              "compras» en unos segundos."};
    case Problem::kBookQuotaReached:
      return {drogon::k429TooManyRequests,
              "Has publicado el máximo de " + std::to_string(error.limit) +
                  " libros por hora. Podrás publicar otro en " +
                  minutesEs(error.retryAfterSeconds) + "; no se guardó nada."};
    case Problem::kCoverQuotaReached:
      return {drogon::k429TooManyRequests,
              "Tus portadas ya ocupan el espacio máximo permitido (" +
                  megabytesEs(error.limitBytes) +
                  "). Elimina portadas o libros para subir otra; no se guardó nada."};
    case Problem::kStorageFull:
      return {drogon::k507InsufficientStorage,
              "No queda espacio en el servidor para guardar la portada. No se guardó nada; "
              "inténtalo más tarde."};
  }
  return standard(drogon::k500InternalServerError);
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
