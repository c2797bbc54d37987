#pragma once

#include "app/context.h"

namespace bookstore::web {

// Registers every page and API route.
void registerRoutes(const app::ContextPtr& context);

}  // namespace bookstore::web
