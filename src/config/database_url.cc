#include "config/database_url.h"

#include <charconv>
#include <stdexcept>

namespace bookstore::config {

std::string percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      unsigned value = 0;
      if (i + 2 >= text.size()) {
        throw std::invalid_argument("incomplete percent escape");
      }
      auto [ptr, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      if (ec != std::errc() || ptr != text.data() + i + 3) {
        throw std::invalid_argument("invalid percent escape");
      }
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string DatabaseTarget::describe() const {
  if (dialect == Dialect::kSqlite) return "sqlite:///" + sqlitePath;
  return "mysql://" + (user.empty() ? "" : user + "@") + host + ":" + std::to_string(port) + "/" +
         name;
}

DatabaseTarget parseDatabaseUrl(std::string_view url) {
  DatabaseTarget target;
  auto schemeEnd = url.find("://");
  if (schemeEnd == std::string_view::npos) {
    throw std::invalid_argument("expected sqlite:///path or mysql://user:pass@host:port/db");
  }
  auto scheme = url.substr(0, schemeEnd);
  auto rest = url.substr(schemeEnd + 3);
  if (scheme == "sqlite" || scheme == "sqlite3") {
    if (rest.empty() || rest.front() != '/' || rest.size() < 2) {
      throw std::invalid_argument("a SQLite URL is sqlite:///path/to/file.db");
    }
    target.dialect = Dialect::kSqlite;
    target.sqlitePath = std::string(rest.substr(1));
    if (target.sqlitePath.find('?') != std::string::npos) {
      throw std::invalid_argument("SQLite URL options are not supported");
    }
    return target;
  }
  if (scheme != "mysql" && scheme != "mariadb" && scheme != "mysql+pymysql" &&
      scheme != "mysql+mysqldb") {
    throw std::invalid_argument("unsupported scheme '" + std::string(scheme) +
                                "' (use sqlite or mysql)");
  }
  target.dialect = Dialect::kMysql;
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) throw std::invalid_argument("the database name is missing");
  auto authority = rest.substr(0, slash);
  auto path = rest.substr(slash + 1);
  if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (path.empty()) throw std::invalid_argument("the database name is missing");
  target.name = percentDecode(path);
  auto at = authority.rfind('@');
  auto hostPort = authority;
  if (at != std::string_view::npos) {
    auto userInfo = authority.substr(0, at);
    hostPort = authority.substr(at + 1);
    auto colon = userInfo.find(':');
    target.user = percentDecode(userInfo.substr(0, colon));
    if (colon != std::string_view::npos)
      target.password = percentDecode(userInfo.substr(colon + 1));
  }
  std::string_view host = hostPort;
  std::string_view port;
  if (!hostPort.empty() && hostPort.front() == '[') {  // [::1]:3306
    auto close = hostPort.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("unterminated IPv6 address");
    host = hostPort.substr(1, close - 1);
    auto after = hostPort.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw std::invalid_argument("unexpected text after the host");
      port = after.substr(1);
    }
  } else if (auto colon = hostPort.rfind(':'); colon != std::string_view::npos) {
    host = hostPort.substr(0, colon);
    port = hostPort.substr(colon + 1);
  }
  if (host.empty()) throw std::invalid_argument("the host is missing");
  target.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      throw std::invalid_argument("invalid port '" + std::string(port) + "'");
    }
    target.port = static_cast<uint16_t>(value);
  }
  return target;
}

}  // namespace bookstore::config
