// The .env reader (src/config/dotenv.cc): a malformed file is refused with
// std::invalid_argument, never a crash, and what it reads can be written back.
#include <stdexcept>
#include <string>

#include "config/dotenv.h"
#include "fuzz_check.h"

namespace {

using bookstore::config::EnvMap;
using bookstore::config::parseDotenv;

bool isKey(std::string_view key) {
  if (key.empty() || (key.front() >= '0' && key.front() <= '9')) return false;
  for (const char c : key) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word) return false;
  }
  return true;
}

// KEY="value" with the escapes the reader documents (\n, \" and \\).
std::string writeDoubleQuoted(const EnvMap& env) {
  std::string text;
  for (const auto& [key, value] : env) {
    text += key + "=\"";
    for (const char c : value) {
      if (c == '\n') {
        text += "\\n";
      } else {
        if (c == '"' || c == '\\') text += '\\';
        text += c;
      }
    }
    text += "\"\n";
  }
  return text;
}

// KEY='value', for values a single-quoted line can hold verbatim.
std::string writeSingleQuoted(const EnvMap& env) {
  std::string text;
  for (const auto& [key, value] : env) {
    if (value.find_first_of("'\n") != std::string::npos) continue;
    text += "export " + key + "='" + value + "' # comment\n";
  }
  return text;
}

EnvMap singleQuotable(const EnvMap& env) {
  EnvMap out;
  for (const auto& [key, value] : env) {
    if (value.find_first_of("'\n") == std::string::npos) out.emplace(key, value);
  }
  return out;
}

EnvMap reread(const std::string& text) {
  try {
    return parseDotenv(text);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "written back:\n%s\nrefused: %s\n", text.c_str(), error.what());
    FUZZ_CHECK(!"a .env written from what was read is refused");
  }
  return {};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  EnvMap env;
  try {
    env = parseDotenv(bookstore::fuzz::asText(data, size));
  } catch (const std::invalid_argument&) {
    return 0;
  }
  for (const auto& entry : env) FUZZ_CHECK(isKey(entry.first));
  FUZZ_CHECK(reread(writeDoubleQuoted(env)) == env);
  FUZZ_CHECK(reread(writeSingleQuoted(env)) == singleQuotable(env));
  return 0;
}
