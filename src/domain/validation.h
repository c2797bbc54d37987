// Input validation rules (BOOKSTORE.md §3.7). Pure functions: the pages show
// messageEs, the JSON API shows messageEn; `code` is stable for programs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bookstore::domain {

struct FieldError {
  std::string field;      // form / JSON field name, e.g. "price"
  std::string code;       // "length", "invalid", "invalid_utf8", "control_characters",
                          // "too_short", "too_long", "range"
  std::string messageEn;  // sentence without the field name: "must be between 1 and 150 characters"
  std::string messageEs;  // "debe tener entre 1 y 150 caracteres"
};
using FieldErrors = std::vector<FieldError>;

// Limits from the specification, shared with callers (e.g. form maxlength).
inline constexpr size_t kNameMaxChars = 150;
inline constexpr size_t kEmailMaxChars = 150;
inline constexpr size_t kPasswordMinChars = 8;
inline constexpr size_t kPasswordMaxBytes = 1024;
inline constexpr size_t kTitleMaxChars = 150;
inline constexpr size_t kAuthorMaxChars = 100;
inline constexpr size_t kDescriptionMaxChars = 10'000;
inline constexpr int64_t kMaxStock = 1'000'000;
inline constexpr int64_t kMaxQuantity = 1'000'000;
inline constexpr size_t kProviderNameMaxChars = 100;
inline constexpr size_t kCoverageAreaMaxChars = 150;

// Strict UTF-8: rejects overlong forms, surrogates and code points above U+10FFFF.
bool isValidUtf8(std::string_view text);
// Number of code points; meaningful only for valid UTF-8 (for invalid input
// it counts the bytes that are not continuation bytes).
size_t utf8Length(std::string_view text);
// Removes leading and trailing ASCII whitespace (space, \t, \n, \r, \f, \v).
std::string_view trimAscii(std::string_view text);

// Trims and lowercases ASCII letters. Use it before storing and before lookup
// so "Ana@X.com " and "ana@x.com" are the same account.
std::string normalizeEmail(std::string_view email);

struct UserInput {
  std::string name, email, password;
};
// name: 1–150 code points after trimming, no control characters;
// email: checked after normalizeEmail, up to 150 code points;
// password: not trimmed, at least 8 code points, at most 1024 bytes.
// Callers store trimAscii(name) and normalizeEmail(email).
FieldErrors validateRegistration(const UserInput& input);

struct BookInput {
  std::string title, author, description, price, stock;
};
struct ValidBook {
  std::string title, author, description;
  int64_t priceCents = 0;
  int64_t stock = 0;
};
// An edit: the fields it sends (one left out keeps its stored value), and
// the stock the editor saw, when known: the change applies only while the
// stored stock is still that (rule 12: an edit never puts sold copies back).
struct BookChanges {
  std::optional<std::string> title, author, description;
  std::optional<int64_t> priceCents, stock;
  std::optional<int64_t> expectedStock;
};
// Every field of `book`, as a form sends them.
BookChanges allFieldsOf(const ValidBook& book, std::optional<int64_t> expectedStock);
// A stock figure as typed (digits only, 0–1,000,000), e.g. a form's hidden
// expected_stock; nullopt for anything else.
std::optional<int64_t> parseStock(std::string_view text);

// Form input (all text). On success the text fields are trimmed, price is in
// cents (parsePrice) and stock parsed (digits only, 0–1,000,000).
std::variant<ValidBook, FieldErrors> validateBook(const BookInput& input);
// Checks an already-typed book, for the JSON PATCH that merges fields first.
// Text fields are judged as trimAscii would leave them (so "  " is an empty
// title); callers should store trimmed values. Same rules and messages as
// validateBook.
FieldErrors validateBookFields(const ValidBook& book);

struct ProviderInput {
  std::string name, coverageArea, cost;
};
struct ValidProvider {
  std::string name, coverageArea;
  int64_t costCents = 0;
};
// An administrator's delivery provider: name 1–100 and coverage area 1–150
// code points after trimming, UTF-8 without control characters; cost a price
// (parsePrice: 0.00–1,000,000.00, at most two decimals). Fields "name",
// "coverage_area", "cost".
std::variant<ValidProvider, FieldErrors> validateProvider(const ProviderInput& input);

// Purchase quantity typed in a form: ASCII digits only (surrounding
// whitespace ignored), 1–1,000,000.
std::optional<int64_t> parseQuantity(std::string_view text);
// The refusal of a quantity parseQuantity rejects (field "quantity").
FieldError quantityError();
// Rule §3.2: 1 <= quantity <= stock (and never above kMaxQuantity).
bool quantityAllowed(int64_t quantity, int64_t stock);

}  // namespace bookstore::domain
