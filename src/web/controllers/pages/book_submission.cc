#include "web/controllers/pages/book_submission.h"

#include "web/controllers/pages/multipart_form.h"

namespace bookstore::web::pages {

BookSubmission readBookSubmission(const drogon::HttpRequestPtr& req, size_t maxCoverBytes) {
  BookSubmission submission;
  if (req->contentType() != drogon::CT_MULTIPART_FORM_DATA) {
    submission.fields = {req->getParameter("title"), req->getParameter("author"),
                         req->getParameter("description"), req->getParameter("price"),
                         req->getParameter("stock")};
    submission.csrfToken = req->getParameter("csrf_token");
    submission.expectedStock = req->getParameter("expected_stock");
    return submission;
  }
  const auto form = parseMultipartForm(req->getHeader("content-type"), req->body());
  if (!form) {
    submission.malformed = true;
    return submission;
  }
  submission.fields = {form->field("title"), form->field("author"), form->field("description"),
                       form->field("price"), form->field("stock")};
  submission.csrfToken = form->field("csrf_token");
  submission.expectedStock = form->field("expected_stock");
  // The client's file name and declared type are ignored: the server judges
  // the bytes and picks the stored name itself.
  if (const auto* cover = form->file("cover")) {
    submission.coverLength = cover->content.size();
    if (cover->content.size() <= maxCoverBytes) submission.cover = std::string(cover->content);
  }
  return submission;
}

}  // namespace bookstore::web::pages
