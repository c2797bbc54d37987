#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bookstore::web::views {

// Appends HTML-escaped text: & < > " ' all become entities, so the result is
// safe both between tags and inside quoted attribute values.
void appendEscaped(std::string& out, std::string_view text);
std::string escape(std::string_view text);

// Builds a page. Text inserted with << is escaped by default; markup that the
// program itself writes goes through raw(). Views are plain compiled C++
// functions: nothing is parsed at request time.
class Html {
 public:
  explicit Html(size_t reserve = 8192) { out_.reserve(reserve); }

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

  std::string& str() { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace bookstore::web::views
