#include "web/errors.h"

#include "web/json.h"

namespace bookstore::web {

bool isApiRequest(const drogon::HttpRequestPtr& req) {
  const auto& path = req->path();
  return path == "/api" || path.starts_with("/api/");
}

std::string_view errorMessageEs(drogon::HttpStatusCode status) {
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
    default:
      return "Ha ocurrido un error inesperado.";
  }
}

std::string_view errorCode(drogon::HttpStatusCode status) {
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
    default:
      return "internal";
  }
}

std::string_view errorMessageEn(drogon::HttpStatusCode status) {
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
    default:
      return "Internal error.";
  }
}

drogon::HttpResponsePtr htmlError(drogon::HttpStatusCode status, std::string_view message,
                                  const views::PageFrame& frame) {
  views::PageFrame withTitle = frame;
  withTitle.title = "Error " + std::to_string(static_cast<int>(status));
  auto resp = drogon::HttpResponse::newHttpResponse();
  resp->setStatusCode(status);
  resp->setContentTypeString("text/html; charset=utf-8");
  resp->setBody(views::renderErrorPage(withTitle, static_cast<int>(status),
                                       message.empty() ? errorMessageEs(status) : message));
  resp->addHeader("Cache-Control", "no-store");
  return resp;
}

drogon::HttpResponsePtr errorFor(const drogon::HttpRequestPtr& req, drogon::HttpStatusCode status) {
  if (req && isApiRequest(req)) return jsonError(status, errorCode(status), errorMessageEn(status));
  return htmlError(status);
}

}  // namespace bookstore::web
