#pragma once

namespace bookstore::web::controllers {

// The site's own stylesheet (compiled in) beside Debian's Bootstrap.
void registerStaticAssets();

}  // namespace bookstore::web::controllers
