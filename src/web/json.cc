#include "web/json.h"

#include <ctime>

#include <json/writer.h>

#include "domain/money.h"

namespace bookstore::web {

std::string utcTimestamp(int64_t unixSeconds) {
  const auto seconds = static_cast<std::time_t>(unixSeconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, length);
}

Json::Value moneyJson(int64_t cents) {
  if (domain::moneyIsWhole(cents)) return Json::Value(static_cast<Json::Int64>(cents / 100));
  // Printed with two decimals by toJsonText, so the text is exactly the amount.
  return Json::Value(static_cast<double>(cents) / 100.0);
}

std::string toJsonText(const Json::Value& value) {
  static const Json::StreamWriterBuilder builder = [] {
    Json::StreamWriterBuilder b;
    b["indentation"] = "";
    b["emitUTF8"] = true;
    b["precision"] = 2;
    b["precisionType"] = "decimal";
    return b;
  }();
  return Json::writeString(builder, value);
}

drogon::HttpResponsePtr jsonResponse(const Json::Value& body, drogon::HttpStatusCode status) {
  return jsonTextResponse(toJsonText(body), status);
}

drogon::HttpResponsePtr jsonTextResponse(std::string text, drogon::HttpStatusCode status) {
  auto resp = drogon::HttpResponse::newHttpResponse();
  resp->setStatusCode(status);
  resp->setContentTypeString("application/json; charset=utf-8");
  resp->setBody(std::move(text));
  return resp;
}

drogon::HttpResponsePtr jsonError(drogon::HttpStatusCode status, std::string_view code,
                                  std::string_view message, const Json::Value& fields) {
  Json::Value body;
  body["error"]["code"] = std::string(code);
  body["error"]["message"] = std::string(message);
  if (fields.isObject() && !fields.empty()) body["error"]["fields"] = fields;
  return jsonResponse(body, status);
}

}  // namespace bookstore::web
