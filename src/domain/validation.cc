#include "domain/validation.h"

#include <optional>
#include <string>
#include <utility>

#include "domain/money.h"

namespace bookstore::domain {
namespace {

bool isAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Decodes the code point starting at text[i] and advances i past it.
// Returns nullopt (leaving i unspecified) on any malformed sequence.
std::optional<char32_t> decodeNext(std::string_view text, size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  size_t length = 0;
  char32_t codePoint = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {  // C0/C1 leads would only make overlong forms
    length = 2;
    codePoint = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    codePoint = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    codePoint = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (length > text.size() - i) return std::nullopt;
  for (size_t j = 1; j < length; ++j) {
    const auto byte = static_cast<unsigned char>(text[i + j]);
    if ((byte & 0xC0) != 0x80) return std::nullopt;
    codePoint = (codePoint << 6) | (byte & 0x3F);
  }
  if (length == 3 && (codePoint < 0x800 || (codePoint >= 0xD800 && codePoint <= 0xDFFF))) {
    return std::nullopt;
  }
  if (length == 4 && (codePoint < 0x10000 || codePoint > 0x10FFFF)) return std::nullopt;
  i += length;
  return codePoint;
}

// Unicode general category Cc.
bool isControl(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

// Unicode white space outside ASCII; never part of a real email address.
bool isUnicodeSpace(char32_t c) {
  return c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// Only the UI needs grouping; "10,000" in English, "10.000" in Spanish.
std::string groupThousands(int64_t value, char separator) {
  std::string digits = std::to_string(value);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(separator);
    out.push_back(digits[i]);
  }
  return out;
}

FieldError makeError(std::string_view field, std::string code, std::string en, std::string es) {
  return FieldError{std::string(field), std::move(code), std::move(en), std::move(es)};
}

FieldError lengthError(std::string_view field, size_t minChars, size_t maxChars) {
  const auto max = static_cast<int64_t>(maxChars);
  if (minChars == 0) {
    return makeError(field, "length", "must be at most " + groupThousands(max, ',') + " characters",
                     "debe tener como máximo " + groupThousands(max, '.') + " caracteres");
  }
  const std::string min = std::to_string(minChars);
  return makeError(field, "length",
                   "must be between " + min + " and " + groupThousands(max, ',') + " characters",
                   "debe tener entre " + min + " y " + groupThousands(max, '.') + " caracteres");
}

FieldError utf8Error(std::string_view field) {
  return makeError(field, "invalid_utf8", "must be valid UTF-8 text",
                   "contiene caracteres no válidos");
}

FieldError controlError(std::string_view field) {
  return makeError(field, "control_characters", "must not contain control characters",
                   "no debe contener caracteres de control");
}

FieldError priceError(std::string_view field = "price") {
  return makeError(field, "invalid",
                   "must be a number from 0.00 to 1,000,000.00 with at most two decimals",
                   "debe ser un número entre 0,00 y 1.000.000,00 con dos decimales como máximo");
}

FieldError stockError() {
  return makeError("stock", "invalid", "must be a whole number from 0 to 1,000,000",
                   "debe ser un número entero entre 0 y 1.000.000");
}

// Shared check for trimmed text fields. Multi-line fields (description)
// may contain tabs and line breaks; every other control character is refused
// because it has no business in a catalog and can corrupt pages or logs.
std::optional<FieldError> checkText(std::string_view field, std::string_view text, size_t minChars,
                                    size_t maxChars, bool multiLine) {
  size_t count = 0;
  bool control = false;
  for (size_t i = 0; i < text.size();) {
    const auto c = decodeNext(text, i);
    if (!c) return utf8Error(field);
    if (isControl(*c) && !(multiLine && (*c == '\n' || *c == '\r' || *c == '\t'))) control = true;
    ++count;
  }
  if (control) return controlError(field);
  if (count < minChars || count > maxChars) return lengthError(field, minChars, maxChars);
  return std::nullopt;
}

// dot-atom: non-empty parts separated by single dots.
bool hasEmptyDotPart(std::string_view text) {
  return text.empty() || text.front() == '.' || text.back() == '.' ||
         text.find("..") != std::string_view::npos;
}

bool isEmailShaped(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  if (hasEmptyDotPart(local) || hasEmptyDotPart(domain)) return false;
  if (domain.find('.') == std::string_view::npos) return false;
  // Labels may not start or end with a hyphen (RFC 1035).
  if (domain.front() == '-' || domain.back() == '-' ||
      domain.find("-.") != std::string_view::npos || domain.find(".-") != std::string_view::npos) {
    return false;
  }
  for (size_t i = 0; i < email.size();) {
    const auto c = decodeNext(email, i);
    if (!c) return false;
    if (isControl(*c) || isUnicodeSpace(*c) || *c == ' ') return false;
    // Characters that only appear in quoted or bracketed forms, which no real
    // sign-up uses and which would invite header/HTML injection.
    if (*c < 0x80 &&
        std::string_view("()<>[]\\,;:\"").find(static_cast<char>(*c)) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// ASCII digits only, surrounding whitespace ignored, at most `max`.
std::optional<int64_t> parseDigits(std::string_view text, int64_t max) {
  text = trimAscii(text);
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > max) return std::nullopt;  // per digit, so long input cannot overflow
  }
  return value;
}

}  // namespace

bool isValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (!decodeNext(text, i)) return false;
  }
  return true;
}

size_t utf8Length(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string_view trimAscii(std::string_view text) {
  while (!text.empty() && isAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string normalizeEmail(std::string_view email) {
  std::string out(trimAscii(email));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

FieldErrors validateRegistration(const UserInput& input) {
  FieldErrors errors;
  if (auto error = checkText("name", trimAscii(input.name), 1, kNameMaxChars, false)) {
    errors.push_back(std::move(*error));
  }

  const std::string email = normalizeEmail(input.email);
  if (!isValidUtf8(email)) {
    errors.push_back(utf8Error("email"));
  } else if (utf8Length(email) > kEmailMaxChars) {
    errors.push_back(makeError("email", "too_long", "must be at most 150 characters",
                               "debe tener como máximo 150 caracteres"));
  } else if (!isEmailShaped(email)) {
    errors.push_back(makeError("email", "invalid", "must be a valid email address",
                               "debe ser un correo electrónico válido"));
  }

  // Passwords are not trimmed: spaces may be part of a passphrase.
  const std::string_view password = input.password;
  if (password.size() > kPasswordMaxBytes) {
    // Bounded so hashing cost stays predictable; bytes, not characters,
    // because that is what the hash consumes.
    errors.push_back(makeError("password", "too_long", "must be at most 1024 bytes",
                               "debe tener como máximo 1024 bytes"));
  } else if (!isValidUtf8(password)) {
    errors.push_back(utf8Error("password"));
  } else if (utf8Length(password) < kPasswordMinChars) {
    errors.push_back(makeError("password", "too_short", "must be at least 8 characters",
                               "debe tener al menos 8 caracteres"));
  }
  return errors;
}

std::variant<ValidBook, FieldErrors> validateBook(const BookInput& input) {
  ValidBook book;
  book.title = std::string(trimAscii(input.title));
  book.author = std::string(trimAscii(input.author));
  book.description = std::string(trimAscii(input.description));

  const std::optional<int64_t> price = parsePrice(input.price);
  const std::optional<int64_t> stock = parseStock(input.stock);

  // Placeholders keep the text checks below from reporting price/stock twice.
  book.priceCents = price.value_or(0);
  book.stock = stock.value_or(0);
  FieldErrors errors = validateBookFields(book);
  if (!price) errors.push_back(priceError());
  if (!stock) errors.push_back(stockError());
  if (!errors.empty()) return errors;
  return book;
}

FieldErrors validateBookFields(const ValidBook& book) {
  FieldErrors errors;
  if (auto error = checkText("title", trimAscii(book.title), 1, kTitleMaxChars, false)) {
    errors.push_back(std::move(*error));
  }
  if (auto error = checkText("author", trimAscii(book.author), 1, kAuthorMaxChars, false)) {
    errors.push_back(std::move(*error));
  }
  if (auto error =
          checkText("description", trimAscii(book.description), 0, kDescriptionMaxChars, true)) {
    errors.push_back(std::move(*error));
  }
  if (book.priceCents < 0 || book.priceCents > kMaxPriceCents) errors.push_back(priceError());
  if (book.stock < 0 || book.stock > kMaxStock) errors.push_back(stockError());
  return errors;
}

std::variant<ValidProvider, FieldErrors> validateProvider(const ProviderInput& input) {
  ValidProvider provider;
  provider.name = std::string(trimAscii(input.name));
  provider.coverageArea = std::string(trimAscii(input.coverageArea));
  FieldErrors errors;
  if (auto error = checkText("name", provider.name, 1, kProviderNameMaxChars, false)) {
    errors.push_back(std::move(*error));
  }
  if (auto error =
          checkText("coverage_area", provider.coverageArea, 1, kCoverageAreaMaxChars, false)) {
    errors.push_back(std::move(*error));
  }
  if (auto cost = parsePrice(input.cost)) {
    provider.costCents = *cost;
  } else {
    errors.push_back(priceError("cost"));
  }
  if (!errors.empty()) return errors;
  return provider;
}

std::optional<int64_t> parseStock(std::string_view text) {
  return parseDigits(text, kMaxStock);
}

BookChanges allFieldsOf(const ValidBook& book, std::optional<int64_t> expectedStock) {
  return BookChanges{book.title,      book.author, book.description,
                     book.priceCents, book.stock,  expectedStock};
}

std::optional<int64_t> parseQuantity(std::string_view text) {
  const auto quantity = parseDigits(text, kMaxQuantity);
  if (!quantity || *quantity < 1) return std::nullopt;
  return quantity;
}

FieldError quantityError() {
  return makeError("quantity", "invalid", "must be a whole number from 1 to the stock",
                   "La cantidad debe ser un número entero mayor que cero.");
}

bool quantityAllowed(int64_t quantity, int64_t stock) {
  return quantity >= 1 && quantity <= kMaxQuantity && quantity <= stock;
}

}  // namespace bookstore::domain
