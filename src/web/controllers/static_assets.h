#pragma once

#include "app/context.h"

namespace bookstore::web::controllers {

// The site's own stylesheet (compiled in) beside Debian's Bootstrap.
void registerStaticAssets(const app::ContextPtr& context);

}  // namespace bookstore::web::controllers
