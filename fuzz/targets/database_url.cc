// DATABASE_URL (src/config/database_url.cc): refused with
// std::invalid_argument or read into a target that describes itself without
// its password and reads back the same from the URL it would be written as.
#include <stdexcept>
#include <string>

#include "config/database_url.h"
#include "fuzz_check.h"

namespace {

using namespace bookstore::config;

std::string percentEncode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += "0123456789ABCDEF"[byte >> 4];
      out += "0123456789ABCDEF"[byte & 0x0F];
    }
  }
  return out;
}

std::string urlOf(const DatabaseTarget& target) {
  if (target.dialect == Dialect::kSqlite) return "sqlite:///" + target.sqlitePath;
  std::string url = "mysql://" + percentEncode(target.user);
  if (!target.password.empty()) url += ":" + percentEncode(target.password);
  if (!target.user.empty() || !target.password.empty()) url += "@";
  // A host starting with '[' came bracketed (and holds no ']'); any other host
  // is followed by an explicit port, so its own colons stay part of it.
  url += target.host.starts_with('[') ? "[" + target.host + "]" : target.host;
  url += ":" + std::to_string(target.port) + "/" + percentEncode(target.name);
  return url;
}

bool sameTarget(const DatabaseTarget& a, const DatabaseTarget& b) {
  return a.dialect == b.dialect && a.sqlitePath == b.sqlitePath && a.host == b.host &&
         a.port == b.port && a.user == b.user && a.password == b.password && a.name == b.name;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bookstore::fuzz::asText(data, size);
  FUZZ_CHECK(percentDecode(percentEncode(text)) == text);
  try {
    percentDecode(text);
  } catch (const std::invalid_argument&) {
  }

  DatabaseTarget target;
  try {
    target = parseDatabaseUrl(text);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  if (target.dialect == Dialect::kMysql) {
    FUZZ_CHECK(!target.host.empty() && !target.name.empty() && target.port != 0);
  } else {
    FUZZ_CHECK(!target.sqlitePath.empty());
  }
  // What logs and `bookstore check` print does not depend on the password.
  DatabaseTarget otherPassword = target;
  otherPassword.password = target.password + "x";
  FUZZ_CHECK(otherPassword.describe() == target.describe());

  const std::string written = urlOf(target);
  DatabaseTarget reread;
  try {
    reread = parseDatabaseUrl(written);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "written back as %s, refused: %s\n", written.c_str(), error.what());
    FUZZ_CHECK(!"a URL written from what was read is refused");
  }
  FUZZ_CHECK(sameTarget(reread, target));
  return 0;
}
