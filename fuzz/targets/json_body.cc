// JSON request bodies (src/web/json_input.cc): the strict parse every API
// handler uses, then the typed readers and the book and account rules as
// POST/PATCH /api/v1/books, POST /api/v1/users and POST /api/v1/purchases
// apply them; a book that passes prints (src/web/json.cc) and reads back the same.
#include <json/value.h>

#include <string>

#include "domain/money.h"
#include "domain/validation.h"
#include "fuzz_check.h"
#include "web/json.h"
#include "web/json_input.h"

namespace {

using namespace bookstore::domain;
using namespace bookstore::web;

void checkBook(const Json::Value& body, bool requireAll) {
  ValidBook book;  // a PATCH starts from the stored book; this one is empty
  if (!requireAll) {
    book = ValidBook{"Título", "Autor", "", 1250, 3};
  }
  const FieldErrors errors = mergeBookFields(body, book, requireAll);
  if (!errors.empty()) return;
  FUZZ_CHECK(validateBookFields(book).empty());
  FUZZ_CHECK(book.priceCents >= 0 && book.priceCents <= kMaxPriceCents);
  FUZZ_CHECK(book.stock >= 0 && book.stock <= kMaxStock);

  // As the API answers it, then sent back as a PATCH: the same book.
  Json::Value shown;
  shown["title"] = book.title;
  shown["author"] = book.author;
  shown["description"] = book.description;
  shown["price"] = moneyJson(book.priceCents);
  shown["stock"] = static_cast<Json::Int64>(book.stock);
  const std::string text = toJsonText(shown);
  const auto reread = parseJsonObject(text);
  FUZZ_CHECK(reread.has_value());
  ValidBook again;
  FUZZ_CHECK(mergeBookFields(*reread, again, true).empty());
  FUZZ_CHECK(again.title == book.title && again.author == book.author &&
             again.description == book.description && again.priceCents == book.priceCents &&
             again.stock == book.stock);
}

void checkAccount(const Json::Value& body) {
  const UserInput input{stringField(body, "name").value_or(""),
                        stringField(body, "email").value_or(""),
                        stringField(body, "password").value_or("")};
  validateRegistration(input);
}

void checkPurchase(const Json::Value& body) {
  const auto quantity = integerField(body, "quantity");
  if (quantity) {
    FUZZ_CHECK(body["quantity"].isNumeric());
    quantityAllowed(*quantity, kMaxStock);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto body = parseJsonObject(bookstore::fuzz::asText(data, size));
  if (!body) return 0;
  FUZZ_CHECK(body->isObject());
  checkBook(*body, true);
  checkBook(*body, false);
  checkAccount(*body);
  checkPurchase(*body);
  return 0;
}
