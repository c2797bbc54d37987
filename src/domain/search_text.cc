#include "domain/search_text.h"

#include <utility>

namespace bookstore::domain {
namespace {

// One UTF-8 character at `i`: its code point and length; {0xFFFD, 1} for a
// byte that does not start a well-formed character.
std::pair<char32_t, size_t> decodeAt(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return {c, 1};
  size_t length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (length == 0 || i + length > text.size()) return {0xFFFD, 1};
  char32_t cp = c & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (next & 0x3F);
  }
  const char32_t least = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0xFFFD, 1};
  return {cp, length};
}

// Letters and digits as unicode61 and MySQL's full-text parser see them,
// closely enough: ASCII letters and digits, and the non-ASCII characters
// outside the punctuation and symbol blocks.
bool isWordCharacter(char32_t cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) return false;  // Latin-1 punctuation, × ÷
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;            // punctuation, symbols, arrows
  if (cp >= 0x3000 && cp <= 0x303F) return false;            // CJK punctuation
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false;            // variation selectors
  if (cp == 0xFEFF || cp == 0xFFFD) return false;
  return true;
}

}  // namespace

std::vector<std::string> searchWords(std::string_view query) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty() && words.size() < kMaxSearchWords) words.push_back(current);
    current.clear();
  };
  for (size_t i = 0; i < query.size();) {
    const auto [cp, length] = decodeAt(query, i);
    if (isWordCharacter(cp)) {
      // A word longer than any indexed one keeps its first characters (whole ones).
      if (current.size() + length <= kMaxSearchWordBytes) current.append(query.substr(i, length));
    } else {
      flush();
    }
    i += length;
  }
  flush();
  return words;
}

std::string fts5MatchQuery(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ' ';
    out += '"';
    out += word;  // no '"' in a word
    out += "\"*";
  }
  return out;
}

std::string booleanMatchQuery(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ' ';
    out += '+';
    out += word;
    out += '*';
  }
  return out;
}

}  // namespace bookstore::domain
