#include "services/failures.h"

#include <drogon/orm/Exception.h>

#include "db/errors.h"

namespace bookstore::services {

bool isUnavailable(const std::exception& error) {
  if (dynamic_cast<const db::DatabaseUnavailable*>(&error)) return true;
  const auto* database = dynamic_cast<const drogon::orm::DrogonDbException*>(&error);
  return database && db::isUnavailable(*database);
}

bool isTimeout(const std::exception& error) {
  const auto* database = dynamic_cast<const drogon::orm::DrogonDbException*>(&error);
  return database && db::isTimeout(*database);
}

}  // namespace bookstore::services
