#include "web/views/html.h"

namespace bookstore::web::views {

void appendEscaped(std::string& out, std::string_view text) {
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* entity = nullptr;
    switch (text[i]) {
      case '&':
        entity = "&amp;";
        break;
      case '<':
        entity = "&lt;";
        break;
      case '>':
        entity = "&gt;";
        break;
      case '"':
        entity = "&quot;";
        break;
      case '\'':
        entity = "&#39;";
        break;
      case '\0':
        entity = "&#65533;";
        break;
      default:
        continue;
    }
    out.append(text.substr(start, i - start));
    out.append(entity);
    start = i + 1;
  }
  out.append(text.substr(start));
}

void SharedFragment::appendTo(std::string& out, std::string_view csrfToken) const {
  size_t from = 0;
  for (size_t offset : tokenOffsets) {
    out.append(text, from, offset - from);
    appendEscaped(out, csrfToken);
    from = offset;
  }
  out.append(text, from, std::string::npos);
}

}  // namespace bookstore::web::views
