#include "config/dotenv.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bookstore::config {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool validKey(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string unquote(std::string_view value, size_t lineNo) {
  if (value.empty()) return {};
  const char quote = value.front();
  if (quote != '"' && quote != '\'') {
    // Unquoted: an inline comment starts at " #".
    auto hash = value.find(" #");
    if (hash != std::string_view::npos) value = trim(value.substr(0, hash));
    return std::string(value);
  }
  // The closing quote; inside double quotes a backslash escapes the next
  // character, so `"a\\"` (an escaped backslash) ends at its last quote.
  size_t end = 1;
  while (end < value.size() && value[end] != quote) {
    end += quote == '"' && value[end] == '\\' ? 2 : 1;
  }
  if (end >= value.size()) end = std::string_view::npos;
  if (end == std::string_view::npos) {
    throw std::invalid_argument(".env line " + std::to_string(lineNo) + ": unterminated quote");
  }
  auto rest = trim(value.substr(end + 1));
  if (!rest.empty() && rest.front() != '#') {
    throw std::invalid_argument(".env line " + std::to_string(lineNo) +
                                ": unexpected text after the closing quote");
  }
  std::string_view inner = value.substr(1, end - 1);
  if (quote == '\'') return std::string(inner);
  std::string out;
  for (size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '\\' && i + 1 < inner.size()) {
      char next = inner[++i];
      out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
    } else {
      out += inner[i];
    }
  }
  return out;
}

}  // namespace

EnvMap parseDotenv(std::string_view text) {
  EnvMap result;
  size_t lineNo = 0;
  while (!text.empty()) {
    ++lineNo;
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ")) line = trim(line.substr(7));
    auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      throw std::invalid_argument(".env line " + std::to_string(lineNo) + ": expected KEY=VALUE");
    }
    auto key = trim(line.substr(0, eq));
    if (!validKey(key)) {
      throw std::invalid_argument(".env line " + std::to_string(lineNo) + ": invalid key '" +
                                  std::string(key) + "'");
    }
    result[std::string(key)] = unquote(trim(line.substr(eq + 1)), lineNo);
  }
  return result;
}

EnvMap loadEnvironment(const std::string& dotenvPath, char** environ) {
  EnvMap merged;
  std::ifstream file(dotenvPath);
  if (file) {
    std::stringstream buffer;
    buffer << file.rdbuf();
    merged = parseDotenv(buffer.str());
  }
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view kv(*entry);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    merged[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
  }
  return merged;
}

}  // namespace bookstore::config
