#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bookstore::config {

enum class Dialect { kSqlite, kMysql };

struct DatabaseTarget {
  Dialect dialect = Dialect::kSqlite;
  std::string sqlitePath;  // kSqlite: the file, relative to the working directory or absolute
  std::string host;        // kMysql
  uint16_t port = 3306;
  std::string user;
  std::string password;
  std::string name;

  // For logs and `bookstore check`: never contains the password.
  std::string describe() const;
};

// Parses `sqlite:///path` (SQLAlchemy style: `sqlite:///rel.db`, `sqlite:////abs.db`)
// and `mysql://user:pass@host:port/db` (also `mariadb://` and `mysql+pymysql://`,
// percent-encoded user and password). Throws std::invalid_argument with a
// reason that never repeats the password.
DatabaseTarget parseDatabaseUrl(std::string_view url);

std::string percentDecode(std::string_view text);

}  // namespace bookstore::config
