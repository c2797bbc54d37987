#pragma once

#include <string>
#include <vector>

#include "db/models.h"
#include "domain/validation.h"
#include "web/views/layout.h"

namespace bookstore::web::views {

struct CatalogView {
  i18n::Lang lang = i18n::Lang::kEs;
  std::string query;  // as typed, shown back in the search box
  std::vector<db::Book> books;
  int64_t total = 0;
  int64_t page = 1;
  int64_t totalPages = 1;
};
// The catalog's search box (also on the home page).
void appendSearchForm(Html& html, i18n::Lang lang, std::string_view query);
// A grid of book cards with their buy forms.
void appendBookCards(Html& html, i18n::Lang lang, const std::vector<db::Book>& books,
                     const std::string& csrfToken, const std::string& formToken);

// The catalog's content for one page of one search, rendered once and shared
// by every visitor (their CSRF tokens are filled in by renderCatalog).
SharedFragment renderCatalogContent(const CatalogView& view);
std::string renderCatalog(const PageFrame& frame, const SharedFragment& content);

// `isOwner` adds an edit link; an archived book shows no buy form.
std::string renderBookDetail(const PageFrame& frame, const db::Book& book, bool isOwner);

std::string renderMyBooks(const PageFrame& frame, const std::vector<db::Book>& books);

// The add and edit form: the values as typed (text, so a rejected "12,345"
// comes back as typed) and why they were refused.
struct BookFormView {
  int64_t bookId = 0;  // 0 while adding
  std::string title, author, description, price, stock;
  std::string currentCover;   // edit only
  std::string expectedStock;  // edit only: the stored stock the form was filled from
  std::string currentAuthor;  // edit only: the stored author, for the cover shown
  domain::FieldErrors errors;
  std::vector<std::string> messages;
};
std::string renderBookForm(const PageFrame& frame, const BookFormView& view);

}  // namespace bookstore::web::views
