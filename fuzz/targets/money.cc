// Money and quantity parsing (src/domain/money.cc, validation's parseStock and
// parseQuantity): what a form's price, stock and quantity fields and a JSON
// price turn into, and that printing an amount reads back as the same amount.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "domain/money.h"
#include "domain/validation.h"
#include "fuzz_check.h"

namespace {

using namespace bookstore::domain;

static_assert(kMaxQuantity == kMaxStock, "parseQuantity is checked against parseStock below");

bool onlyDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

void checkPrice(std::string_view text) {
  const auto cents = parsePrice(text);
  if (!cents) return;
  FUZZ_CHECK(*cents >= 0 && *cents <= kMaxPriceCents);
  // No sign, exponent or grouping gets through: digits and one separator.
  const std::string_view trimmed = trimAscii(text);
  FUZZ_CHECK(trimmed.find_first_not_of("0123456789.,") == std::string_view::npos);
  FUZZ_CHECK(trimmed.find_first_of(".,") == trimmed.find_last_of(".,"));
  // Stored, shown and sent as JSON, the amount reads back unchanged.
  const std::string printed = formatMoney(*cents);
  FUZZ_CHECK(parsePrice(printed) == cents);
  FUZZ_CHECK(moneyFromDatabase(printed) == *cents);
  FUZZ_CHECK(priceFromJsonNumber(static_cast<double>(*cents) / 100.0) == cents);
}

void checkJsonNumber(double value) {
  const auto cents = priceFromJsonNumber(value);
  if (!cents) return;
  FUZZ_CHECK(*cents >= 0 && *cents <= kMaxPriceCents);
  // Accepted only when the number is that amount (at most two decimals).
  FUZZ_CHECK(std::fabs(value * 100.0 - static_cast<double>(*cents)) < 1e-6 * (1.0 + value));
}

void checkDatabaseText(std::string_view text, int64_t cents) {
  moneyFromDatabase(text);  // any text: a value or 0, never a crash
  // Below 10^16 units every amount survives a trip through the database's text.
  if (cents > -1'000'000'000'000'000'000 && cents < 1'000'000'000'000'000'000) {
    FUZZ_CHECK(moneyFromDatabase(formatMoney(cents)) == cents);
  }
  formatMoney(cents);  // INT64_MIN included
}

void checkCounts(std::string_view text) {
  const auto stock = parseStock(text);
  const auto quantity = parseQuantity(text);
  if (stock) {
    FUZZ_CHECK(*stock >= 0 && *stock <= kMaxStock);
    FUZZ_CHECK(onlyDigits(trimAscii(text)));
    FUZZ_CHECK(parseStock(std::to_string(*stock)) == stock);
  }
  // The same digit rule, from 1.
  FUZZ_CHECK(quantity == (stock && *stock >= 1 ? stock : std::nullopt));
  if (quantity) {
    FUZZ_CHECK(quantityAllowed(*quantity, kMaxStock));
    FUZZ_CHECK(!quantityAllowed(*quantity, *quantity - 1));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bookstore::fuzz::asText(data, size);
  checkPrice(text);
  checkCounts(text);
  // The first 8 bytes also stand for a JSON number and a stored amount.
  int64_t cents = 0;
  double number = 0;
  if (size > 0) {  // memcpy's source must not be null, even for 0 bytes
    std::memcpy(&cents, data, std::min(size, sizeof cents));
    std::memcpy(&number, data, std::min(size, sizeof number));
  }
  checkJsonNumber(number);
  checkDatabaseText(text, cents);
  return 0;
}
