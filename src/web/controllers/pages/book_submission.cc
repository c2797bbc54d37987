#include "web/controllers/pages/book_submission.h"

#include <drogon/MultiPart.h>

namespace bookstore::web::pages {
namespace {

bool isMultipart(const drogon::HttpRequestPtr& req) {
  return req->contentType() == drogon::CT_MULTIPART_FORM_DATA;
}

}  // namespace

BookSubmission readBookSubmission(const drogon::HttpRequestPtr& req, size_t maxCoverBytes) {
  BookSubmission submission;
  if (!isMultipart(req)) {
    submission.fields = {req->getParameter("title"), req->getParameter("author"),
                         req->getParameter("description"), req->getParameter("price"),
                         req->getParameter("stock")};
    submission.csrfToken = req->getParameter("csrf_token");
    return submission;
  }
  drogon::MultiPartParser parser;
  if (parser.parse(req) != 0) {
    submission.malformed = true;
    return submission;
  }
  const auto& params = parser.getParameters();
  auto field = [&](const std::string& name) {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  };
  submission.fields = {field("title"), field("author"), field("description"), field("price"),
                       field("stock")};
  submission.csrfToken = field("csrf_token");
  // The client's file name and declared type are ignored: the server judges
  // the bytes and picks the stored name itself.
  for (const auto& file : parser.getFiles()) {
    if (file.getItemName() != "cover" || file.fileLength() == 0) continue;
    submission.coverLength = file.fileLength();
    if (file.fileLength() <= maxCoverBytes) submission.cover = std::string(file.fileContent());
    break;
  }
  return submission;
}

}  // namespace bookstore::web::pages
