// application/x-www-form-urlencoded forms: Drogon splits and decodes the body
// (HttpRequest::getParameter); the project's form readers and validation run
// on what it hands over, as the page handlers call them (book form,
// registration, provider, quantity, `next`, `page`).
#include <drogon/HttpRequest.h>

#include <string>
#include <variant>

#include "domain/money.h"
#include "domain/validation.h"
#include "fuzz_check.h"
#include "web/controllers/pages/book_submission.h"
#include "web/request_info.h"

namespace {

using namespace bookstore::domain;

void checkBook(const BookInput& input) {
  const auto result = validateBook(input);
  const auto* book = std::get_if<ValidBook>(&result);
  if (!book) {
    FUZZ_CHECK(!std::get<FieldErrors>(result).empty());
    return;
  }
  FUZZ_CHECK(book->priceCents >= 0 && book->priceCents <= kMaxPriceCents);
  FUZZ_CHECK(book->stock >= 0 && book->stock <= kMaxStock);
  FUZZ_CHECK(isValidUtf8(book->title) && trimAscii(book->title) == book->title);
  FUZZ_CHECK(!book->title.empty() && !book->author.empty());
  FUZZ_CHECK(validateBookFields(*book).empty());
  // The edit form shows the stored book again; submitted unchanged, it is the same book.
  const BookInput shown{book->title, book->author, book->description, formatMoney(book->priceCents),
                        std::to_string(book->stock)};
  const auto again = validateBook(shown);
  const auto* same = std::get_if<ValidBook>(&again);
  FUZZ_CHECK(same && same->title == book->title && same->author == book->author &&
             same->description == book->description && same->priceCents == book->priceCents &&
             same->stock == book->stock);
}

void checkRegistration(const drogon::HttpRequestPtr& req) {
  const UserInput input{req->getParameter("name"), req->getParameter("email"),
                        req->getParameter("password")};
  const FieldErrors errors = validateRegistration(input);
  if (!errors.empty()) return;
  const std::string email = normalizeEmail(input.email);
  FUZZ_CHECK(isValidUtf8(email) && utf8Length(email) <= kEmailMaxChars);
  FUZZ_CHECK(email.find('@') != std::string::npos);
  FUZZ_CHECK(email.find_first_of(" \r\n\t<>\"") == std::string::npos);
  FUZZ_CHECK(input.password.size() <= kPasswordMaxBytes);
}

void checkProvider(const drogon::HttpRequestPtr& req) {
  const ProviderInput input{req->getParameter("name"), req->getParameter("coverage_area"),
                            req->getParameter("cost")};
  const auto result = validateProvider(input);
  if (const auto* provider = std::get_if<ValidProvider>(&result)) {
    FUZZ_CHECK(provider->costCents >= 0 && provider->costCents <= kMaxPriceCents);
    FUZZ_CHECK(!provider->name.empty() && !provider->coverageArea.empty());
  }
}

void checkNavigation(const drogon::HttpRequestPtr& req) {
  // A `next` that is followed stays on this site.
  const std::string& next = req->getParameter("next");
  if (bookstore::web::isLocalPath(next)) {
    FUZZ_CHECK(next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\"));
    for (const char c : next) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != '\\');
  }
  const int64_t page = bookstore::web::pageParameter(req);
  FUZZ_CHECK(page >= 1 && page <= 1'000'000);
  if (const auto id = bookstore::web::parseId(req->getParameter("provider"))) FUZZ_CHECK(*id > 0);
  if (const auto quantity = parseQuantity(req->getParameter("quantity"))) {
    FUZZ_CHECK(*quantity >= 1 && *quantity <= kMaxQuantity);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto req = drogon::HttpRequest::newHttpRequest();
  req->setMethod(drogon::Post);
  req->addHeader("content-type", "application/x-www-form-urlencoded");
  req->setBody(std::string(bookstore::fuzz::asText(data, size)));

  const auto submission = bookstore::web::pages::readBookSubmission(req, 5 * 1024 * 1024);
  FUZZ_CHECK(!submission.malformed && !submission.cover);
  checkBook(submission.fields);
  if (const auto expected = parseStock(submission.expectedStock)) {
    FUZZ_CHECK(*expected >= 0 && *expected <= kMaxStock);
  }
  checkRegistration(req);
  checkProvider(req);
  checkNavigation(req);
  return 0;
}
