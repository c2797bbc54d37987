#pragma once

#include <optional>
#include <string>

#include "web/i18n/messages.h"
#include "web/views/html.h"

namespace bookstore::web::views {

struct LayoutUser {
  int64_t id = 0;
  std::string name;
  bool isAdmin = false;
};

// Everything the shared layout shows around a page's content.
struct PageFrame {
  std::string title;
  std::optional<LayoutUser> user;
  std::string flash;                  // one message shown above the content
  std::string flashKind = "success";  // Bootstrap alert kind
  std::string csrfToken;              // for the log-out form
  std::string formToken;              // one-time token of the page's buy forms ("" when none)
  i18n::Lang lang = i18n::Lang::kEs;  // the language of every sentence of the page
  std::string path;                   // the page's path and query (the language switch's next)

  std::string_view t(i18n::Msg key) const { return i18n::text(lang, key); }
};

void openLayout(Html& html, const PageFrame& frame);
void closeLayout(Html& html);

// An error page (400, 403, 404, 405, 413, 429, 500, 503) in the site's layout.
std::string renderErrorPage(const PageFrame& frame, int status, std::string_view message);

}  // namespace bookstore::web::views
