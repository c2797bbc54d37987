#pragma once

#include <drogon/HttpRequest.h>

#include <optional>
#include <string>

#include "domain/validation.h"

namespace bookstore::web::pages {

// The add/edit book form as submitted: multipart (with an optional `cover`
// file) or, from scripts, urlencoded without a file.
struct BookSubmission {
  domain::BookInput fields;
  std::string csrfToken;
  std::string expectedStock;         // the stock the edit form showed ("" from older forms)
  std::optional<std::string> cover;  // the uploaded bytes, when a file was chosen
  size_t coverLength = 0;            // known before copying, to refuse big files early
  bool malformed = false;            // a multipart body Drogon could not parse
};

// Reads the form; the cover bytes are copied only when `maxCoverBytes` allows.
BookSubmission readBookSubmission(const drogon::HttpRequestPtr& req, size_t maxCoverBytes);

}  // namespace bookstore::web::pages
