#include "domain/money.h"

#include <charconv>
#include <cmath>
#include <string>

namespace bookstore::domain {
namespace {

bool isAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trimSpaces(std::string_view text) {
  while (!text.empty() && isAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Integer part digits accepted by moneyFromDatabase: below 10^16 units the
// value in cents (< 10^18) always fits in int64_t.
constexpr int64_t kMaxDatabaseIntegerDigits = 16;

// Exponents are clamped here; anything this large is out of range or zero
// anyway, and clamping keeps the position arithmetic far from overflow.
constexpr int64_t kExponentClamp = 1'000'000;

}  // namespace

std::optional<int64_t> parsePrice(std::string_view text) {
  text = trimSpaces(text);
  const size_t separator = text.find_first_of(".,");
  const std::string_view whole = text.substr(0, separator);
  const std::string_view fraction =
      separator == std::string_view::npos ? std::string_view{} : text.substr(separator + 1);
  if (whole.empty() && fraction.empty()) return std::nullopt;
  if (fraction.size() > 2) return std::nullopt;

  int64_t units = 0;
  for (char c : whole) {
    if (!isDigit(c)) return std::nullopt;
    units = units * 10 + (c - '0');
    // Checked per digit so long inputs cannot overflow.
    if (units > kMaxPriceCents / 100) return std::nullopt;
  }
  int64_t fractionCents = 0;
  for (size_t i = 0; i < 2; ++i) {
    int digit = 0;
    if (i < fraction.size()) {
      if (!isDigit(fraction[i])) return std::nullopt;
      digit = fraction[i] - '0';
    }
    fractionCents = fractionCents * 10 + digit;
  }
  const int64_t cents = units * 100 + fractionCents;
  if (cents > kMaxPriceCents) return std::nullopt;
  return cents;
}

std::optional<int64_t> priceFromJsonNumber(double value) {
  if (!std::isfinite(value) || value < 0) return std::nullopt;
  if (value == 0) return 0;  // also -0.0, which would print a sign
  if (value > static_cast<double>(kMaxPriceCents)) return std::nullopt;  // keeps the text short
  // Fixed notation so 1e6 prints as "1000000", not "1e+06"; without a
  // precision, to_chars gives the shortest text that round-trips.
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (result.ec != std::errc{}) return std::nullopt;
  return parsePrice(std::string_view(buffer, static_cast<size_t>(result.ptr - buffer)));
}

int64_t moneyFromDatabase(std::string_view text) {
  text = trimSpaces(text);
  size_t i = 0;
  const size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }

  // The value is 0.d1d2d3... * 10^point, with `significant` holding d1d2d3...
  // (first digit non-zero). Digits are kept as text: no floating point.
  std::string significant;
  int64_t point = 0;
  bool sawDigit = false;
  bool sawPoint = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (isDigit(c)) {
      sawDigit = true;
      if (significant.empty() && c == '0') {
        // A leading zero after the point moves the first significant digit right.
        if (sawPoint) --point;
        continue;
      }
      significant.push_back(c);
      if (!sawPoint) ++point;
    } else if (c == '.' && !sawPoint) {
      sawPoint = true;
    } else {
      break;
    }
  }
  if (!sawDigit) return 0;

  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponentNegative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      exponentNegative = text[i] == '-';
      ++i;
    }
    if (i >= n) return 0;
    int64_t exponent = 0;
    for (; i < n; ++i) {
      if (!isDigit(text[i])) return 0;
      if (exponent < kExponentClamp) exponent = exponent * 10 + (text[i] - '0');
    }
    point += exponentNegative ? -exponent : exponent;
  }
  if (i != n) return 0;
  if (significant.empty()) return 0;  // all zeros, including "-0"
  if (point > kMaxDatabaseIntegerDigits) return 0;

  // Digit at index k of `significant` has place value 10^(point-1-k).
  auto digitAt = [&](int64_t k) -> int64_t {
    if (k < 0 || k >= static_cast<int64_t>(significant.size())) return 0;
    return significant[static_cast<size_t>(k)] - '0';
  };
  int64_t cents = 0;
  for (int64_t k = 0; k < point + 2; ++k) cents = cents * 10 + digitAt(k);
  // Half-up: only the third decimal decides, since any later digits can only
  // add less than one unit of it.
  if (digitAt(point + 2) >= 5) ++cents;
  return negative ? -cents : cents;
}

std::string formatMoney(int64_t cents) {
  // Unsigned magnitude so INT64_MIN does not overflow on negation.
  const uint64_t magnitude =
      cents < 0 ? uint64_t{0} - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  std::string out;
  if (cents < 0) out.push_back('-');
  out += std::to_string(magnitude / 100);
  out.push_back('.');
  const auto fraction = static_cast<unsigned>(magnitude % 100);
  out.push_back(static_cast<char>('0' + fraction / 10));
  out.push_back(static_cast<char>('0' + fraction % 10));
  return out;
}

bool moneyIsWhole(int64_t cents) {
  return cents % 100 == 0;
}

}  // namespace bookstore::domain
