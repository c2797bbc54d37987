#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "domain/validation.h"

namespace bookstore::domain {
namespace {

using namespace std::string_literals;

// Repeats a UTF-8 character `count` times.
std::string repeat(std::string_view unit, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += unit;
  return out;
}

const FieldError* findError(const FieldErrors& errors, std::string_view field) {
  for (const auto& error : errors) {
    if (error.field == field) return &error;
  }
  return nullptr;
}

UserInput validUser() {
  return {"Ana María", "ana@example.com", "correct horse"};
}

BookInput validBookInput() {
  return {"Cien años de soledad", "Gabriel García Márquez", "Novela.\nSegunda línea.", "19.99",
          "5"};
}

// ---------------------------------------------------------------- UTF-8

TEST(DomainUtf8, ValidSequences) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("plain ascii"));
  EXPECT_TRUE(isValidUtf8("ñandú €"));
  EXPECT_TRUE(isValidUtf8("\xF0\x9F\x93\x9A"));  // U+1F4DA books
  EXPECT_TRUE(isValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_TRUE(isValidUtf8("a\0b"s));             // NUL is valid UTF-8 (rejected elsewhere)
}

TEST(DomainUtf8, InvalidSequences) {
  for (const std::string& bad : std::vector<std::string>{
           "\x80"s,              // lone continuation
           "\xC3"s,              // truncated 2-byte
           "a\xE2\x82"s,         // truncated 3-byte
           "\xF0\x9F\x93"s,      // truncated 4-byte
           "\xC0\xAF"s,          // overlong '/'
           "\xC1\xBF"s,          // overlong
           "\xE0\x80\xAF"s,      // overlong 3-byte
           "\xF0\x80\x80\xAF"s,  // overlong 4-byte
           "\xED\xA0\x80"s,      // surrogate U+D800
           "\xED\xBF\xBF"s,      // surrogate U+DFFF
           "\xF4\x90\x80\x80"s,  // U+110000
           "\xF5\x80\x80\x80"s,  // invalid lead
           "\xFF"s, "\xFE"s,
           "\xC3\x28"s,  // bad continuation
       }) {
    EXPECT_FALSE(isValidUtf8(bad)) << testing::PrintToString(bad);
  }
}

TEST(DomainUtf8, LengthCountsCodePoints) {
  EXPECT_EQ(utf8Length(""), 0u);
  EXPECT_EQ(utf8Length("abc"), 3u);
  EXPECT_EQ(utf8Length("ñandú"), 5u);
  EXPECT_EQ(utf8Length("€"), 1u);
  EXPECT_EQ(utf8Length("\xF0\x9F\x93\x9A"), 1u);
  EXPECT_EQ(utf8Length("a\0b"s), 3u);
}

TEST(DomainTrim, AsciiWhitespaceOnly) {
  EXPECT_EQ(trimAscii("  a b \t\r\n"), "a b");
  EXPECT_EQ(trimAscii(" \t "), "");
  EXPECT_EQ(trimAscii("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");  // NBSP is content
}

// ---------------------------------------------------------------- email

TEST(DomainNormalizeEmail, TrimsAndLowercasesAscii) {
  EXPECT_EQ(normalizeEmail("  Ana@Example.COM \n"), "ana@example.com");
  EXPECT_EQ(normalizeEmail("ÁNA@X.com"), "Ána@x.com");  // only ASCII is case-folded
  EXPECT_EQ(normalizeEmail(""), "");
}

// ---------------------------------------------------------------- registration

TEST(DomainValidateRegistration, AcceptsValidUser) {
  EXPECT_TRUE(validateRegistration(validUser()).empty());
  UserInput user = validUser();
  user.email = "  ANA.Maria+books@Sub.Example.co ";
  EXPECT_TRUE(validateRegistration(user).empty());
}

TEST(DomainValidateRegistration, NameLengthInCodePoints) {
  UserInput user = validUser();
  user.name = repeat("ñ", 150);  // 300 bytes, 150 characters
  EXPECT_TRUE(validateRegistration(user).empty());

  user.name = repeat("ñ", 151);
  FieldErrors errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(errors[0].code, "length");
  EXPECT_EQ(errors[0].messageEn, "must be between 1 and 150 characters");
  EXPECT_EQ(errors[0].messageEs, "debe tener entre 1 y 150 caracteres");

  user.name = "   ";
  errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "length");

  user.name = "  " + repeat("a", 150) + "  ";  // trimmed before counting
  EXPECT_TRUE(validateRegistration(user).empty());
}

TEST(DomainValidateRegistration, NameRejectsControlsAndBadUtf8) {
  UserInput user = validUser();
  for (const std::string& bad :
       std::vector<std::string>{"Ana\0Maria"s, "Ana\nMaria"s, "Ana\x1B[31m"s, "Ana\x7F"s,
                                "Ana\xC2\x85"s /* U+0085 NEL */}) {
    user.name = bad;
    const FieldErrors errors = validateRegistration(user);
    ASSERT_EQ(errors.size(), 1u) << testing::PrintToString(bad);
    EXPECT_EQ(errors[0].code, "control_characters");
  }
  user.name = "Ana\xFF";
  const FieldErrors errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "invalid_utf8");
  EXPECT_FALSE(errors[0].messageEs.empty());
}

TEST(DomainValidateRegistration, EmailShapes) {
  UserInput user = validUser();
  for (const std::string& good :
       std::vector<std::string>{"a@b.co", "first.last@example.org", "x+tag@mail.example.com",
                                "ñandú@correo.es", "a@xn--bcher-kva.de", "o'neil@ex-ample.com"}) {
    user.email = good;
    EXPECT_TRUE(validateRegistration(user).empty()) << good;
  }
  for (const std::string& bad : std::vector<std::string>{""s,
                                                         "   "s,
                                                         "plain"s,
                                                         "@example.com"s,
                                                         "ana@"s,
                                                         "ana@localhost"s,
                                                         "ana@@example.com"s,
                                                         "ana@b@example.com"s,
                                                         "an a@example.com"s,
                                                         "ana@exa mple.com"s,
                                                         "ana@.example.com"s,
                                                         "ana@example.com."s,
                                                         "ana@example..com"s,
                                                         ".ana@example.com"s,
                                                         "ana.@example.com"s,
                                                         "an..a@example.com"s,
                                                         "ana@-example.com"s,
                                                         "ana@example-.com"s,
                                                         "<ana>@example.com"s,
                                                         "\"ana\"@example.com"s,
                                                         "ana@[127.0.0.1]"s,
                                                         "ana,bob@example.com"s,
                                                         "ana;@example.com"s,
                                                         "ana\0@example.com"s,
                                                         "ana@exa\0mple.com"s,
                                                         "ana\r\nBcc: x@example.com"s,
                                                         "ana\xC2\xA0@example.com"s,
                                                         "ana\xE2\x80\x8B@example.com"s}) {
    user.email = bad;
    const FieldErrors errors = validateRegistration(user);
    ASSERT_EQ(errors.size(), 1u) << testing::PrintToString(bad);
    EXPECT_EQ(errors[0].field, "email");
    EXPECT_EQ(errors[0].code, "invalid") << testing::PrintToString(bad);
    EXPECT_EQ(errors[0].messageEn, "must be a valid email address");
  }
}

TEST(DomainValidateRegistration, EmailLengthAndUtf8) {
  UserInput user = validUser();
  const std::string domain = "@example.com";  // 12 characters
  user.email = repeat("a", 150 - domain.size()) + domain;
  EXPECT_TRUE(validateRegistration(user).empty());

  user.email = repeat("a", 151 - domain.size()) + domain;
  FieldErrors errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_long");

  user.email = "  " + repeat("A", 150 - domain.size()) + domain + "  ";  // normalised first
  EXPECT_TRUE(validateRegistration(user).empty());

  user.email = "ana\xC3@example.com";
  errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "invalid_utf8");

  user.email = repeat("a", 1'000'000) + domain;
  errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_long");
}

TEST(DomainValidateRegistration, PasswordRules) {
  UserInput user = validUser();
  user.password = "1234567";
  FieldErrors errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "password");
  EXPECT_EQ(errors[0].code, "too_short");
  EXPECT_EQ(errors[0].messageEn, "must be at least 8 characters");
  EXPECT_EQ(errors[0].messageEs, "debe tener al menos 8 caracteres");

  user.password = "12345678";
  EXPECT_TRUE(validateRegistration(user).empty());

  user.password = repeat("ñ", 7);  // 14 bytes but 7 characters
  errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_short");

  user.password = "        ";  // not trimmed: eight spaces are eight characters
  EXPECT_TRUE(validateRegistration(user).empty());

  user.password = "pass\0word"s;  // NUL allowed: the hash takes a length
  EXPECT_TRUE(validateRegistration(user).empty());

  user.password = repeat("a", 1024);
  EXPECT_TRUE(validateRegistration(user).empty());
  user.password = repeat("a", 1025);
  errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_long");
  user.password = repeat("ñ", 513);  // 513 characters but 1026 bytes
  errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_long");

  user.password = "password\xFF";
  errors = validateRegistration(user);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "invalid_utf8");
}

TEST(DomainValidateRegistration, ReportsEveryBadField) {
  const FieldErrors errors = validateRegistration({"", "nope", "short"});
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(errors[1].field, "email");
  EXPECT_EQ(errors[2].field, "password");
  for (const auto& error : errors) {
    EXPECT_FALSE(error.messageEn.empty());
    EXPECT_FALSE(error.messageEs.empty());
    EXPECT_TRUE(isValidUtf8(error.messageEs));
  }
}

// ---------------------------------------------------------------- books

TEST(DomainValidateBook, AcceptsAndNormalises) {
  BookInput input = validBookInput();
  input.title = "  " + input.title + " ";
  input.price = " 19,99 ";
  input.stock = " 005 ";
  const auto result = validateBook(input);
  ASSERT_TRUE(std::holds_alternative<ValidBook>(result));
  const auto& book = std::get<ValidBook>(result);
  EXPECT_EQ(book.title, "Cien años de soledad");
  EXPECT_EQ(book.author, "Gabriel García Márquez");
  EXPECT_EQ(book.description, "Novela.\nSegunda línea.");
  EXPECT_EQ(book.priceCents, 1999);
  EXPECT_EQ(book.stock, 5);
}

TEST(DomainValidateBook, Boundaries) {
  BookInput input = validBookInput();
  input.title = repeat("é", 150);
  input.author = repeat("é", 100);
  input.description = repeat("é", 10'000);
  input.price = "1000000.00";
  input.stock = "1000000";
  EXPECT_TRUE(std::holds_alternative<ValidBook>(validateBook(input)));

  input.description = "";
  input.price = "0";
  input.stock = "0";
  const auto result = validateBook(input);
  ASSERT_TRUE(std::holds_alternative<ValidBook>(result));
  EXPECT_EQ(std::get<ValidBook>(result).priceCents, 0);
  EXPECT_EQ(std::get<ValidBook>(result).stock, 0);
}

TEST(DomainValidateBook, LengthErrors) {
  BookInput input = validBookInput();
  input.title = repeat("é", 151);
  input.author = repeat("x", 101);
  input.description = repeat("é", 10'001);
  const auto result = validateBook(input);
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(result));
  const auto& errors = std::get<FieldErrors>(result);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].field, "title");
  EXPECT_EQ(errors[0].messageEs, "debe tener entre 1 y 150 caracteres");
  EXPECT_EQ(errors[1].field, "author");
  EXPECT_EQ(errors[1].messageEn, "must be between 1 and 100 characters");
  EXPECT_EQ(errors[2].field, "description");
  EXPECT_EQ(errors[2].code, "length");
  EXPECT_EQ(errors[2].messageEn, "must be at most 10,000 characters");
  EXPECT_EQ(errors[2].messageEs, "debe tener como máximo 10.000 caracteres");
}

TEST(DomainValidateBook, EmptyRequiredText) {
  BookInput input = validBookInput();
  input.title = " \t ";
  input.author = "";
  const auto result = validateBook(input);
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(result));
  const auto& errors = std::get<FieldErrors>(result);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "title");
  EXPECT_EQ(errors[1].field, "author");
}

TEST(DomainValidateBook, ControlCharactersAndUtf8) {
  BookInput input = validBookInput();
  input.title = "Title\0hidden"s;
  input.author = "Author\xED\xA0\x80";       // surrogate
  input.description = "ok\r\n\ttabs\0nul"s;  // tabs and newlines fine, NUL is not
  const auto result = validateBook(input);
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(result));
  const auto& errors = std::get<FieldErrors>(result);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].code, "control_characters");
  EXPECT_EQ(errors[1].code, "invalid_utf8");
  EXPECT_EQ(errors[2].field, "description");
  EXPECT_EQ(errors[2].code, "control_characters");

  input = validBookInput();
  input.title = "Line\nbreak";  // single-line field
  const auto single = validateBook(input);
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(single));
  EXPECT_EQ(std::get<FieldErrors>(single)[0].code, "control_characters");

  input = validBookInput();
  input.description = "Bad\xFFtext";
  const auto desc = validateBook(input);
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(desc));
  EXPECT_EQ(std::get<FieldErrors>(desc)[0].code, "invalid_utf8");
}

TEST(DomainValidateBook, PriceAndStockErrors) {
  for (const std::string& badPrice : std::vector<std::string>{
           "", "-1", "1.234", "abc", "1000000.01", "1e3", "12\0"s, std::string(10'000, '9')}) {
    BookInput input = validBookInput();
    input.price = badPrice;
    const auto result = validateBook(input);
    ASSERT_TRUE(std::holds_alternative<FieldErrors>(result)) << testing::PrintToString(badPrice);
    const auto& errors = std::get<FieldErrors>(result);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].field, "price");
    EXPECT_EQ(errors[0].code, "invalid");
  }
  for (const std::string& badStock :
       std::vector<std::string>{"", " ", "-1", "+1", "1.0", "1,0", "1e3", "1000001", "abc", "5\0"s,
                                "١", std::string(10'000, '9')}) {
    BookInput input = validBookInput();
    input.stock = badStock;
    const auto result = validateBook(input);
    ASSERT_TRUE(std::holds_alternative<FieldErrors>(result)) << testing::PrintToString(badStock);
    const auto& errors = std::get<FieldErrors>(result);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].field, "stock");
    EXPECT_EQ(errors[0].messageEs, "debe ser un número entero entre 0 y 1.000.000");
  }
}

TEST(DomainValidateBook, AllFieldsBad) {
  const auto result = validateBook({"", "", std::string(20'000, 'x'), "x", "x"});
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(result));
  const auto& errors = std::get<FieldErrors>(result);
  ASSERT_EQ(errors.size(), 5u);
  for (const char* field : {"title", "author", "description", "price", "stock"}) {
    EXPECT_NE(findError(errors, field), nullptr) << field;
  }
}

TEST(DomainValidateBookFields, TypedBook) {
  ValidBook book{"Title", "Author", "", 0, 0};
  EXPECT_TRUE(validateBookFields(book).empty());

  book.priceCents = 100'000'000;
  book.stock = 1'000'000;
  EXPECT_TRUE(validateBookFields(book).empty());

  book.priceCents = 100'000'001;
  book.stock = -1;
  FieldErrors errors = validateBookFields(book);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "price");
  EXPECT_EQ(errors[1].field, "stock");

  book = {"Title", "Author", "", -1, 1'000'001};
  errors = validateBookFields(book);
  ASSERT_EQ(errors.size(), 2u);

  book = {"   ", repeat("a", 101), "x\0y"s, 100, 1};
  errors = validateBookFields(book);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].field, "title");
  EXPECT_EQ(errors[0].code, "length");
  EXPECT_EQ(errors[1].field, "author");
  EXPECT_EQ(errors[2].field, "description");
  EXPECT_EQ(errors[2].code, "control_characters");
}

TEST(DomainValidateBookFields, AgreesWithValidateBook) {
  // The API's PATCH path and the form path must accept and reject the same books.
  const auto result = validateBook(validBookInput());
  ASSERT_TRUE(std::holds_alternative<ValidBook>(result));
  EXPECT_TRUE(validateBookFields(std::get<ValidBook>(result)).empty());
}

// ---------------------------------------------------------------- quantity

TEST(DomainParseQuantity, AcceptsDigits) {
  EXPECT_EQ(parseQuantity("1"), 1);
  EXPECT_EQ(parseQuantity(" 3 "), 3);
  EXPECT_EQ(parseQuantity("007"), 7);
  EXPECT_EQ(parseQuantity("1000000"), 1'000'000);
}

TEST(DomainParseQuantity, RejectsEverythingElse) {
  for (const std::string& bad : std::vector<std::string>{"",
                                                         " ",
                                                         "0",
                                                         "000",
                                                         "-1",
                                                         "+1",
                                                         "1.0",
                                                         "1.5",
                                                         "1,5",
                                                         "1e2",
                                                         "0x10",
                                                         "abc",
                                                         "1 2",
                                                         "1000001",
                                                         "9223372036854775808",
                                                         "99999999999999999999999",
                                                         "1\0"s,
                                                         "\0"s,
                                                         "٣",
                                                         "３"}) {
    EXPECT_EQ(parseQuantity(bad), std::nullopt) << testing::PrintToString(bad);
  }
  EXPECT_EQ(parseQuantity(std::string(1'000'000, '9')), std::nullopt);
}

TEST(DomainQuantityAllowed, WithinStock) {
  EXPECT_TRUE(quantityAllowed(1, 1));
  EXPECT_TRUE(quantityAllowed(5, 10));
  EXPECT_TRUE(quantityAllowed(10, 10));
  EXPECT_FALSE(quantityAllowed(11, 10));
  EXPECT_FALSE(quantityAllowed(0, 10));
  EXPECT_FALSE(quantityAllowed(-1, 10));
  EXPECT_FALSE(quantityAllowed(1, 0));
  EXPECT_FALSE(quantityAllowed(1, -5));
  EXPECT_FALSE(quantityAllowed(1'000'001, 2'000'000));
}

}  // namespace
}  // namespace bookstore::domain
