#include "web/views/page_parts.h"

#include <algorithm>

#include "domain/cover_style.h"
#include "domain/image_type.h"
#include "domain/money.h"
#include "domain/purchase_state.h"

namespace bookstore::web::views {

void appendMoney(Html& html, int64_t cents) {
  html << moneyText(cents);
}

std::string moneyText(int64_t cents) {
  return "$" + domain::formatMoney(cents);
}

void appendCover(Html& html, i18n::Lang lang, const CoverOf& book, std::string_view extraClass) {
  // Only names the server gave are linked: a legacy or tampered value never
  // becomes an arbitrary URL.
  if (domain::isCoverFileName(book.coverFile)) {
    html.raw("<img class=\"book-cover ");
    html << extraClass;
    html.raw("\" src=\"/uploads/covers/");
    html << book.coverFile;
    html.raw("\" alt=\"");
    html << i18n::fill(lang, i18n::Msg::kCoverOf, {book.title});
    html.raw("\" loading=\"lazy\">");
    return;
  }
  // A typeset cover: the text is the book's own, so it is not hidden from
  // screen readers by an aria-label of its own.
  html.raw("<div class=\"book-cover cover-placeholder cover-p");
  html << static_cast<int64_t>(domain::coverPaletteIndex(book.bookId));
  html.raw(" ");
  html << extraClass;
  html.raw("\"><span class=\"cover-title\">");
  html << book.title;
  html.raw("</span><span class=\"cover-rule\"></span><span class=\"cover-author\">");
  html << book.author;
  html.raw("</span></div>");
}

void appendCsrfField(Html& html, const std::string& token) {
  html.raw("<input type=\"hidden\" name=\"csrf_token\" value=\"");
  html.csrfToken(token);
  html.raw("\">");
}

void appendFieldErrors(Html& html, i18n::Lang lang, const domain::FieldErrors& errors,
                       std::string_view field) {
  if (invalidClass(errors, field).empty()) return;
  html.raw("<div id=\"");
  html << field;
  html.raw("-error\">");
  for (const auto& error : errors) {
    if (error.field != field) continue;
    html.raw("<div class=\"invalid-feedback d-block field-error\" data-field=\"");
    html << field;
    html.raw("\">");
    // A message made by the web layer (a refused cover) has one language only.
    html << (lang == i18n::Lang::kEn && !error.messageEn.empty() ? error.messageEn
                                                                 : error.messageEs);
    html.raw("</div>");
  }
  html.raw("</div>");
}

void appendInvalidAttributes(Html& html, const domain::FieldErrors& errors,
                             std::string_view field) {
  if (invalidClass(errors, field).empty()) return;
  html.raw(" aria-invalid=\"true\" aria-describedby=\"");
  html << field;
  html.raw("-error\"");
}

std::string_view invalidClass(const domain::FieldErrors& errors, std::string_view field) {
  const bool hasError = std::any_of(errors.begin(), errors.end(),
                                    [&](const auto& error) { return error.field == field; });
  return hasError ? " is-invalid" : "";
}

void appendFormMessages(Html& html, const std::vector<std::string>& messages) {
  if (messages.empty()) return;
  html.raw("<div class=\"alert alert-danger\" role=\"alert\" id=\"form-errors\">");
  for (const auto& message : messages) {
    html.raw("<div>");
    html << message;
    html.raw("</div>");
  }
  html.raw("</div>");
}

void openTable(Html& html, std::string_view id, std::string_view caption,
               std::initializer_list<TableColumn> columns) {
  html.raw("<div class=\"table-responsive\"><table class=\"table bg-white border\"");
  if (!id.empty()) {
    html.raw(" id=\"");
    html << id;
    html.raw("\"");
  }
  html.raw(">");
  if (!caption.empty()) {
    html.raw("<caption class=\"visually-hidden\">");
    html << caption;
    html.raw("</caption>");
  }
  html.raw("<thead><tr>");
  for (const auto& column : columns) {
    html.raw(column.visuallyHidden ? "<th><span class=\"visually-hidden\">" : "<th>");
    html << column.label;
    html.raw(column.visuallyHidden ? "</span></th>" : "</th>");
  }
  html.raw("</tr></thead><tbody>");
}

void closeTable(Html& html) {
  html.raw("</tbody></table></div>");
}

int64_t pageCount(int64_t total, int64_t perPage) {
  if (total <= 0 || perPage <= 0) return 1;
  return (total + perPage - 1) / perPage;
}

void appendPagination(Html& html, i18n::Lang lang, std::string_view path,
                      std::string_view baseQuery, int64_t page, int64_t totalPages) {
  if (totalPages <= 1) return;
  auto link = [&](int64_t target, std::string_view label, bool active, bool disabled) {
    html.raw("<li class=\"page-item");
    if (active) html.raw(" active");
    if (disabled) html.raw(" disabled");
    html.raw("\"><a class=\"page-link\"");
    if (active) html.raw(" aria-current=\"page\"");
    if (disabled) html.raw(" aria-disabled=\"true\" tabindex=\"-1\"");
    html.raw(" href=\"");
    html << path;
    html.raw("?");
    html << baseQuery;
    html.raw("page=");
    html << target;
    html.raw("\">");
    html << label;
    html.raw("</a></li>");
  };
  html.raw("<nav aria-label=\"");
  html << i18n::text(lang, i18n::Msg::kPages);
  html.raw("\"><ul class=\"pagination flex-wrap justify-content-center\">");
  link(std::max<int64_t>(page - 1, 1), i18n::text(lang, i18n::Msg::kPrevious), false, page <= 1);
  // A window around the current page keeps the bar short on long lists.
  const int64_t first = std::max<int64_t>(1, page - 3);
  const int64_t last = std::min(totalPages, page + 3);
  for (int64_t i = first; i <= last; ++i) link(i, std::to_string(i), i == page, false);
  link(std::min(page + 1, totalPages), i18n::text(lang, i18n::Msg::kNext), false,
       page >= totalPages);
  html.raw("</ul></nav>");
}

std::string statusLabel(i18n::Lang lang, std::string_view storedStatus) {
  using domain::PurchaseStatus;
  switch (domain::parsePurchaseStatus(storedStatus)) {
    case PurchaseStatus::kPendingPayment:
      return std::string(i18n::text(lang, i18n::Msg::kStatusPending));
    case PurchaseStatus::kPaid:
      return std::string(i18n::text(lang, i18n::Msg::kStatusPaid));
    case PurchaseStatus::kShipped:
      return std::string(i18n::text(lang, i18n::Msg::kStatusShipped));
    case PurchaseStatus::kCancelled:
      return std::string(i18n::text(lang, i18n::Msg::kStatusCancelled));
    case PurchaseStatus::kUnknown:
      break;
  }
  if (!storedStatus.empty()) return std::string(storedStatus);
  return std::string(i18n::text(lang, i18n::Msg::kStatusUnknown));
}

std::string_view paymentMethodLabel(i18n::Lang lang, std::string_view storedMethod) {
  const auto method = domain::parsePaymentMethod(storedMethod);
  const auto& methods = domain::paymentMethods();
  if (method == methods[0]) return i18n::text(lang, i18n::Msg::kMethodCard);
  if (method == methods[1]) return i18n::text(lang, i18n::Msg::kMethodPaypal);
  if (method == methods[2]) return i18n::text(lang, i18n::Msg::kMethodTransfer);
  return i18n::text(lang, i18n::Msg::kStatusUnknown);
}

std::string urlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

}  // namespace bookstore::web::views
