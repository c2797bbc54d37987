#include "web/i18n/language.h"

#include <cstddef>

namespace bookstore::web::i18n {
namespace {

constexpr std::string_view kSpaces = " \t";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(kSpaces);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kSpaces);
  return text.substr(first, last - first + 1);
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// A q-value "0", "0.8", "1", "1.000" in thousandths; -1 when malformed.
int parseQuality(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return -1;
  int thousandths = text[0] == '1' ? 1000 : 0;
  if (text.size() == 1) return thousandths;
  if (text[1] != '.' || text.size() > 5) return -1;
  int scale = 100;
  for (size_t i = 2; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    thousandths += (text[i] - '0') * scale;
    scale /= 10;
  }
  return thousandths > 1000 ? -1 : thousandths;
}

// The supported language a range names ("es", "es-MX", "EN-gb", "*").
std::optional<Lang> rangeLanguage(std::string_view range) {
  if (range == "*") return Lang::kEs;
  const auto primary = range.substr(0, range.find('-'));
  if (equalsIgnoreCase(primary, "es")) return Lang::kEs;
  if (equalsIgnoreCase(primary, "en")) return Lang::kEn;
  return std::nullopt;
}

}  // namespace

std::optional<Lang> parseCode(std::string_view code) {
  if (code == "es") return Lang::kEs;
  if (code == "en") return Lang::kEn;
  return std::nullopt;
}

Lang negotiate(std::string_view acceptLanguage) {
  // A header longer than any real one is not worth reading.
  if (acceptLanguage.size() > 1024) return Lang::kEs;
  Lang best = Lang::kEs;
  int bestQuality = 0;
  while (!acceptLanguage.empty()) {
    const auto comma = acceptLanguage.find(',');
    auto item = acceptLanguage.substr(0, comma);
    acceptLanguage =
        comma == std::string_view::npos ? std::string_view{} : acceptLanguage.substr(comma + 1);
    const auto semicolon = item.find(';');
    const auto range = trim(item.substr(0, semicolon));
    int quality = 1000;
    if (semicolon != std::string_view::npos) {
      auto params = item.substr(semicolon + 1);
      quality = -1;
      while (!params.empty()) {
        const auto next = params.find(';');
        const auto param = trim(params.substr(0, next));
        params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
        if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
          quality = parseQuality(trim(param.substr(2)));
        }
      }
    }
    if (quality <= 0) continue;  // refused, or unreadable
    const auto lang = rangeLanguage(range);
    if (lang && quality > bestQuality) {
      best = *lang;
      bestQuality = quality;
    }
  }
  return best;
}

Lang chooseLanguage(std::string_view cookie, std::string_view acceptLanguage) {
  if (auto chosen = parseCode(cookie)) return *chosen;
  return negotiate(acceptLanguage);
}

std::string fill(Lang lang, Msg key, std::initializer_list<std::string_view> values) {
  const auto pattern = text(lang, key);
  std::string out;
  out.reserve(pattern.size() + 32);
  auto value = values.begin();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}' &&
        value != values.end()) {
      out.append(*value++);
      ++i;
    } else {
      out.push_back(pattern[i]);
    }
  }
  return out;
}

}  // namespace bookstore::web::i18n
