// Which language a request's pages are shown in.
#pragma once

#include <optional>
#include <string_view>

#include "web/i18n/messages.h"

namespace bookstore::web::i18n {

// The name of the cookie the language switch sets ("es" or "en").
inline constexpr std::string_view kLanguageCookie = "bookstore_lang";

// "es"/"en" (exactly) -> the language; anything else -> nullopt.
std::optional<Lang> parseCode(std::string_view code);

// The preferred supported language of an Accept-Language header (RFC 9110
// §12.5.4): ranges with q-values ("en-GB;q=0.9, es;q=0.8"), the highest q
// wins, an earlier range wins a tie, q=0 refuses, "*" stands for Spanish.
// Spanish when the header names neither language or cannot be read.
Lang negotiate(std::string_view acceptLanguage);

// The cookie's choice when it holds one, else negotiate(acceptLanguage).
Lang chooseLanguage(std::string_view cookie, std::string_view acceptLanguage);

}  // namespace bookstore::web::i18n
