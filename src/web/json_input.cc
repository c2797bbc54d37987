#include "web/json_input.h"

#include <json/reader.h>

#include <cmath>
#include <memory>

#include "domain/money.h"

namespace bookstore::web {

std::optional<Json::Value> parseJsonObject(std::string_view body) {
  static const Json::CharReaderBuilder builder = [] {
    Json::CharReaderBuilder b;
    b["collectComments"] = false;
    b["allowComments"] = false;
    b["strictRoot"] = true;
    b["failIfExtra"] = true;
    b["rejectDupKeys"] = true;
    b["stackLimit"] = 64;
    return b;
  }();
  Json::Value value;
  std::string errors;
  std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  try {
    if (body.empty() || !reader->parse(body.data(), body.data() + body.size(), &value, &errors) ||
        !value.isObject()) {
      return std::nullopt;
    }
  } catch (const Json::Exception&) {
    // jsoncpp throws, rather than failing the parse, for nesting deeper than
    // stackLimit: a client's malformed body, not a server error.
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> stringField(const Json::Value& body, const char* name) {
  const auto& v = body[name];
  if (!v.isString()) return std::nullopt;
  return v.asString();
}

std::optional<int64_t> integerField(const Json::Value& body, const char* name) {
  const auto& v = body[name];
  if (v.isInt64()) return v.asInt64();
  if (v.isDouble()) {
    double d = v.asDouble();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9e15) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

domain::FieldErrors mergeBookFields(const Json::Value& body, domain::ValidBook& book,
                                    bool requireAll) {
  domain::FieldErrors fields;
  auto refuse = [&](const char* name, const char* message) {
    fields.push_back({name, "invalid", message, ""});
  };
  auto text = [&](const char* name, std::string& target, bool required) {
    if (!body.isMember(name)) {
      if (required) refuse(name, "is required");
      return;
    }
    if (!body[name].isString()) {
      refuse(name, "must be a string");
      return;
    }
    target = std::string(domain::trimAscii(body[name].asString()));
  };
  text("title", book.title, requireAll);
  text("author", book.author, requireAll);
  text("description", book.description, false);
  if (body.isMember("price")) {
    const auto& price = body["price"];
    std::optional<int64_t> cents;
    if (price.isNumeric() && !price.isBool()) cents = domain::priceFromJsonNumber(price.asDouble());
    if (!cents) {
      refuse("price", "must be a number from 0 to 1000000 with at most two decimals");
    } else {
      book.priceCents = *cents;
    }
  } else if (requireAll) {
    refuse("price", "is required");
  }
  if (body.isMember("stock")) {
    auto stock = integerField(body, "stock");
    if (!stock || body["stock"].isBool()) {
      refuse("stock", "must be a whole number from 0 to 1000000");
    } else {
      book.stock = *stock;
    }
  } else if (requireAll) {
    refuse("stock", "is required");
  }
  // jsonErrorFor shows the first problem of each field.
  for (auto& e : domain::validateBookFields(book)) fields.push_back(std::move(e));
  return fields;
}

}  // namespace bookstore::web
