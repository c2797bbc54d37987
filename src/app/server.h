#pragma once

#include "config/config.h"

namespace bookstore::app {

// `bookstore serve`: prepares the upload folder, migrates the database, then
// serves until drained. Returns the process exit code.
int serve(config::Config config);

}  // namespace bookstore::app
