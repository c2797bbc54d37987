// multipart/form-data bodies: the book form's parser
// (src/web/controllers/pages/multipart_form.cc), the form reader on top of it
// (book_submission.cc) and what a cover goes through next (image sniffing),
// plus Drogon's own MultiPartParser on the same request. Input: the
// Content-Type header's value, a newline, then the body.
#include <drogon/HttpRequest.h>
#include <drogon/MultiPart.h>

#include <string>

#include "domain/image_type.h"
#include "domain/validation.h"
#include "fuzz_check.h"
#include "web/controllers/pages/book_submission.h"
#include "web/controllers/pages/multipart_form.h"

namespace {

using bookstore::web::pages::MultipartForm;
using bookstore::web::pages::parseMultipartForm;

// Small, so that covers both below and above the limit are reached.
constexpr size_t kMaxCoverBytes = 2048;

std::string quotedParameter(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The parts written again as a browser would, under `boundary`.
std::string writeBody(const MultipartForm& form, const std::string& boundary) {
  std::string body;
  for (const auto& part : form.parts) {
    body +=
        "--" + boundary + "\r\nContent-Disposition: form-data; name=" + quotedParameter(part.name);
    if (part.isFile) body += "; filename=\"cover.png\"\r\nContent-Type: image/png";
    body += "\r\n\r\n";
    body += part.content;
    body += "\r\n";
  }
  return body + "--" + boundary + "--\r\n";
}

// A boundary that occurs in no part, as a browser picks one.
std::string freshBoundary(const MultipartForm& form) {
  for (int attempt = 0;; ++attempt) {
    const std::string boundary = "fuzz-boundary-" + std::to_string(attempt);
    bool unused = true;
    for (const auto& part : form.parts) {
      if (part.content.find(boundary) != std::string_view::npos) unused = false;
    }
    if (unused) return boundary;
  }
}

void checkParts(std::string_view contentType, std::string_view body) {
  const auto form = parseMultipartForm(contentType, body);
  if (!form) return;
  FUZZ_CHECK(form->parts.size() <= 64);
  for (const auto& part : form->parts) {
    // Views into the body, never past it.
    FUZZ_CHECK(part.content.empty() ||
               (part.content.data() >= body.data() &&
                part.content.data() + part.content.size() <= body.data() + body.size()));
  }
  // Written again as a browser would, the body reads back as the same parts.
  const std::string boundary = freshBoundary(*form);
  const std::string written = writeBody(*form, boundary);
  const auto reread =
      parseMultipartForm("multipart/form-data; boundary=" + quotedParameter(boundary), written);
  FUZZ_CHECK(reread.has_value());
  FUZZ_CHECK(reread->parts.size() == form->parts.size());
  for (size_t i = 0; i < form->parts.size(); ++i) {
    FUZZ_CHECK(reread->parts[i].name == form->parts[i].name);
    FUZZ_CHECK(reread->parts[i].isFile == form->parts[i].isFile);
    FUZZ_CHECK(reread->parts[i].content == form->parts[i].content);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto fields = bookstore::fuzz::splitLines(bookstore::fuzz::asText(data, size), 2);
  const std::string_view contentType = fields[0], body = fields[1];
  checkParts(contentType, body);

  auto req = drogon::HttpRequest::newHttpRequest();
  req->setMethod(drogon::Post);
  req->addHeader("content-type", std::string(contentType));
  req->setBody(std::string(body));
  const auto submission = bookstore::web::pages::readBookSubmission(req, kMaxCoverBytes);
  if (req->contentType() == drogon::CT_MULTIPART_FORM_DATA) {
    // The page refuses exactly the bodies the parser refuses.
    FUZZ_CHECK(submission.malformed == !parseMultipartForm(contentType, body).has_value());
  } else {
    FUZZ_CHECK(!submission.malformed && !submission.cover);
  }
  if (submission.cover) {
    FUZZ_CHECK(!submission.cover->empty() && submission.cover->size() == submission.coverLength);
    FUZZ_CHECK(submission.coverLength <= kMaxCoverBytes);
    bookstore::domain::detectImageType(*submission.cover);
  }
  if (!submission.malformed) {
    bookstore::domain::validateBook(submission.fields);
    bookstore::domain::parseStock(submission.expectedStock);
  }

  // Drogon's parser: the project does not hand it client bytes (see
  // multipart_form.h), but it is what a Drogon handler would use.
  drogon::MultiPartParser drogonParser;
  drogonParser.parse(req);
  return 0;
}
