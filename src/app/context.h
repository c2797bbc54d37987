#pragma once

#include <memory>

#include "config/config.h"
#include "db/database.h"
#include "ops/drain.h"

namespace bookstore::app {

// What every controller needs, built once at start and shared read-only.
struct AppContext {
  config::Config config;
  std::shared_ptr<db::Database> db;
  std::shared_ptr<ops::DrainState> drain = std::make_shared<ops::DrainState>();
};

using ContextPtr = std::shared_ptr<const AppContext>;

}  // namespace bookstore::app
