#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bookstore::web::pages {

// A multipart/form-data body split into its parts. Drogon's own parser
// refuses the empty file part a browser sends when no file was chosen, so the
// book form uses this one. Contents are views into the request body.
struct MultipartPart {
  std::string name;
  bool isFile = false;  // the part had a filename parameter (possibly empty)
  std::string_view content;
};

struct MultipartForm {
  std::vector<MultipartPart> parts;

  // The first non-file part called `name`, "" when absent.
  std::string field(std::string_view name) const;
  // The first file part called `name` with some content.
  const MultipartPart* file(std::string_view name) const;
};

// nullopt for anything that is not a well-formed multipart/form-data body
// (no boundary, unterminated parts, a part without a name, too many parts).
std::optional<MultipartForm> parseMultipartForm(std::string_view contentType,
                                                std::string_view body);

}  // namespace bookstore::web::pages
