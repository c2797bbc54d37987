#include "db/errors.h"

#include <string>

namespace bookstore::db {

bool isUnavailable(const drogon::orm::DrogonDbException& e) {
  const auto& base = e.base();
  if (dynamic_cast<const drogon::orm::BrokenConnection*>(&base) ||
      dynamic_cast<const drogon::orm::TimeoutError*>(&base)) {
    return true;
  }
  const std::string message = base.what();
  return message.find("Lost connection") != std::string::npos ||
         message.find("server has gone away") != std::string::npos ||
         message.find("No connection") != std::string::npos ||
         message.find("Can't connect") != std::string::npos ||
         message.find("database is locked") != std::string::npos;
}

bool isTimeout(const drogon::orm::DrogonDbException& e) {
  const auto& base = e.base();
  if (dynamic_cast<const drogon::orm::TimeoutError*>(&base)) return true;
  return std::string(base.what()).find("database is locked") != std::string::npos;
}

bool isUniqueViolation(const drogon::orm::DrogonDbException& e) {
  const std::string message = e.base().what();
  return message.find("Duplicate entry") != std::string::npos ||
         message.find("UNIQUE constraint failed") != std::string::npos;
}

}  // namespace bookstore::db
