#pragma once

#include <string_view>
#include <vector>

namespace bookstore::db {

// One migrations/<dialect>/<NNNN>_<name>.sql file, compiled into the binary.
struct EmbeddedMigration {
  std::string_view dialect;  // "sqlite" or "mysql"
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<EmbeddedMigration>& embeddedMigrations();

}  // namespace bookstore::db
