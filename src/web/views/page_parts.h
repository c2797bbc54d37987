#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "domain/validation.h"
#include "web/i18n/messages.h"
#include "web/views/html.h"

namespace bookstore::web::views {

// Small pieces of markup shared by the page views.

// "$12.30": money is shown from integer cents, never through a double.
void appendMoney(Html& html, int64_t cents);
std::string moneyText(int64_t cents);

// The cover picture when the book has a server-named file, else a typeset
// placeholder: title and author on one of the palette's designs
// (domain::coverPaletteIndex of the id), drawn by CSS classes only.
struct CoverOf {
  int64_t bookId = 0;
  const std::string& coverFile;
  const std::string& title;
  const std::string& author;
};
void appendCover(Html& html, i18n::Lang lang, const CoverOf& book,
                 std::string_view extraClass = {});

void appendCsrfField(Html& html, const std::string& token);

// Messages of the errors for one form field, below its input, in a block
// with id "<field>-error" (the input's aria-describedby).
void appendFieldErrors(Html& html, i18n::Lang lang, const domain::FieldErrors& errors,
                       std::string_view field);
// " is-invalid" when the field has an error (for Bootstrap's input classes).
std::string_view invalidClass(const domain::FieldErrors& errors, std::string_view field);
// ' aria-invalid="true" aria-describedby="<field>-error"' when the field has
// an error, else nothing: written inside the input's tag.
void appendInvalidAttributes(Html& html, const domain::FieldErrors& errors, std::string_view field);
// An alert listing general messages of a form (nothing when empty).
void appendFormMessages(Html& html, const std::vector<std::string>& messages);

// A cell of a table's header row. A visually hidden one names a column for
// screen readers only (a column of buttons or radio buttons).
struct TableColumn {
  std::string_view label;
  bool visuallyHidden = false;
};
// Opens a table in its scrolling box and writes its head, up to the open
// <tbody>: the table's `id` and a visually hidden caption when not empty, then
// one header cell a column. The rows follow; closeTable ends the table.
void openTable(Html& html, std::string_view id, std::string_view caption,
               std::initializer_list<TableColumn> columns);
void closeTable(Html& html);

// Page links "1 2 3" for a list. `baseQuery` is the already URL-encoded query
// to keep (e.g. "q=ana&"), the page number is appended to it.
void appendPagination(Html& html, i18n::Lang lang, std::string_view path,
                      std::string_view baseQuery, int64_t page, int64_t totalPages);
int64_t pageCount(int64_t total, int64_t perPage);

// The label of a stored purchase status; unknown legacy values show as stored.
std::string statusLabel(i18n::Lang lang, std::string_view storedStatus);
// The label of a stored payment method ("Credit Card" -> "Tarjeta de crédito").
std::string_view paymentMethodLabel(i18n::Lang lang, std::string_view storedMethod);

// A percent-encoded query parameter value (RFC 3986 unreserved characters kept).
std::string urlEncode(std::string_view text);

}  // namespace bookstore::web::views
