#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bookstore::web::views {

// Appends HTML-escaped text: & < > " ' all become entities, so the result is
// safe both between tags and inside quoted attribute values.
void appendEscaped(std::string& out, std::string_view text);

// Markup rendered once and shared by every visitor (see CatalogCache), with
// the places where each visitor's own CSRF token and each render's one-time
// form token go.
struct SharedFragment {
  std::string text;
  std::vector<size_t> tokenOffsets;      // ascending positions in `text`
  std::vector<size_t> formTokenOffsets;  // likewise

  // Appends the fragment with `csrfToken` and `formToken` (escaped) at
  // their places.
  void appendTo(std::string& out, std::string_view csrfToken,
                std::string_view formToken = {}) const;
  size_t size() const {
    return text.size() + (tokenOffsets.size() + formTokenOffsets.size()) * sizeof(size_t);
  }
};

// Builds a page. Text inserted with << is escaped by default; markup that the
// program itself writes goes through raw(). Views are plain compiled C++
// functions: nothing is parsed at request time.
class Html {
 public:
  explicit Html(size_t reserve = 8192) { out_.reserve(reserve); }
  // An Html whose CSRF tokens are left as places to fill per visitor.
  static Html sharedFragment(size_t reserve) {
    Html html(reserve);
    html.markTokens_ = true;
    return html;
  }

  Html& raw(std::string_view markup) {
    out_.append(markup);
    return *this;
  }
  Html& operator<<(std::string_view text) {
    appendEscaped(out_, text);
    return *this;
  }
  Html& operator<<(const std::string& text) { return *this << std::string_view(text); }
  Html& operator<<(const char* text) { return *this << std::string_view(text); }
  Html& operator<<(int64_t number) {
    out_.append(std::to_string(number));
    return *this;
  }
  Html& operator<<(int number) { return *this << static_cast<int64_t>(number); }
  // The visitor's CSRF token (in a shared fragment: its place).
  Html& csrfToken(std::string_view token) {
    if (markTokens_) {
      tokenOffsets_.push_back(out_.size());
      return *this;
    }
    return *this << token;
  }

  // The render's one-time form token (in a shared fragment: its place).
  Html& formToken(std::string_view token) {
    if (markTokens_) {
      formTokenOffsets_.push_back(out_.size());
      return *this;
    }
    return *this << token;
  }

  std::string& str() { return out_; }
  std::string take() { return std::move(out_); }
  SharedFragment takeFragment() {
    return {std::move(out_), std::move(tokenOffsets_), std::move(formTokenOffsets_)};
  }

 private:
  std::string out_;
  bool markTokens_ = false;
  std::vector<size_t> tokenOffsets_;
  std::vector<size_t> formTokenOffsets_;
};

}  // namespace bookstore::web::views
