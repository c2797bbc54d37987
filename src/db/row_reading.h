#pragma once

#include <drogon/orm/Field.h>

#include <cstdint>
#include <string>

#include "domain/money.h"

namespace bookstore::db {

// NULL-tolerant readers: databases made by the original have nullable columns.
inline std::string textOf(const drogon::orm::Field& f) {
  return f.isNull() ? std::string() : f.as<std::string>();
}
inline int64_t intOf(const drogon::orm::Field& f) {
  if (f.isNull()) return 0;
  try {
    return f.as<int64_t>();
  } catch (...) {
    return 0;
  }
}
inline bool boolOf(const drogon::orm::Field& f) {
  return intOf(f) != 0;
}
// Money columns are DECIMAL (MySQL) or REAL (SQLite); both read as decimal text.
inline int64_t centsOf(const drogon::orm::Field& f) {
  return f.isNull() ? 0 : domain::moneyFromDatabase(f.as<std::string>());
}

}  // namespace bookstore::db

#include <chrono>

namespace bookstore::db {

inline int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace bookstore::db
