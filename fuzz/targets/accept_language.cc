// The pages' language (src/web/i18n/language.cc): any Accept-Language header
// and language cookie a client sends choose Spanish or English, never crash
// or read past the text; the cookie wins only with an exact "es"/"en"; a
// header naming neither language chooses Spanish.
#include <string>

#include "fuzz_check.h"
#include "web/i18n/language.h"

namespace {

using namespace bookstore::web::i18n;

bool valid(Lang lang) {
  return lang == Lang::kEs || lang == Lang::kEn;
}

bool mentionsEnglish(std::string_view header) {
  for (size_t i = 0; i + 1 < header.size(); ++i) {
    if ((header[i] == 'e' || header[i] == 'E') && (header[i + 1] == 'n' || header[i + 1] == 'N'))
      return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto fields = bookstore::fuzz::splitLines(bookstore::fuzz::asText(data, size), 2);
  const std::string_view cookie = fields[0];
  const std::string_view header = fields[1];
  const Lang negotiated = negotiate(header);
  FUZZ_CHECK(valid(negotiated));
  FUZZ_CHECK(negotiated == Lang::kEs || mentionsEnglish(header));
  FUZZ_CHECK(negotiate(std::string(header)) == negotiated);  // no read past the view
  const Lang chosen = chooseLanguage(cookie, header);
  FUZZ_CHECK(valid(chosen));
  if (cookie == "es" || cookie == "en") {
    FUZZ_CHECK(chosen == *parseCode(cookie));
    FUZZ_CHECK(code(chosen) == cookie);
  } else {
    FUZZ_CHECK(!parseCode(cookie));
    FUZZ_CHECK(chosen == negotiated);
  }
  return 0;
}
