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

void SharedFragment::appendTo(std::string& out, std::string_view csrfToken,
                              std::string_view formToken) const {
  size_t from = 0;
  size_t csrf = 0;
  size_t form = 0;
  // Both lists ascend: merge them.
  while (csrf < tokenOffsets.size() || form < formTokenOffsets.size()) {
    const bool takeCsrf =
        form == formTokenOffsets.size() ||
        (csrf < tokenOffsets.size() && tokenOffsets[csrf] <= formTokenOffsets[form]);
    const size_t offset = takeCsrf ? tokenOffsets[csrf++] : formTokenOffsets[form++];
    out.append(text, from, offset - from);
    appendEscaped(out, takeCsrf ? csrfToken : formToken);
    from = offset;
  }
  out.append(text, from, std::string::npos);
}

}  // namespace bookstore::web::views
