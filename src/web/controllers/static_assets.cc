#include "web/controllers/static_assets.h"

#include <drogon/HttpAppFramework.h>

namespace bookstore::web::controllers {
namespace {

// The pages' only styles: the Content-Security-Policy (web/security_headers.h)
// allows no inline style, so none is written in the views.
constexpr std::string_view kAppCss = R"css(
body { background: #f7f7f5; }
.book-cover { width: 100%; aspect-ratio: 2 / 3; object-fit: cover; background: #e9ecef; }
.book-cover-placeholder { display: flex; align-items: center; justify-content: center;
  color: #6c757d; font-size: .9rem; }
.card-title { font-size: 1rem; }
.table td, .table th { vertical-align: middle; }
.book-description { white-space: pre-line; }
input.form-control-sm[name="quantity"] { max-width: 6rem; }
.table thead th:empty { width: 4rem; }
label[for="cover"] + .mb-2 { max-width: 8rem; }
)css";

}  // namespace

void registerStaticAssets() {
  drogon::app().registerHandler("/static/app.css",
                                [](const drogon::HttpRequestPtr&,
                                   std::function<void(const drogon::HttpResponsePtr&)>&& callback) {
                                  static const auto body = std::string(kAppCss);
                                  auto resp = drogon::HttpResponse::newHttpResponse();
                                  resp->setContentTypeString("text/css; charset=utf-8");
                                  resp->addHeader("Cache-Control",
                                                  "public, max-age=31536000, immutable");
                                  resp->setBody(body);
                                  callback(resp);
                                },
                                {drogon::Get, drogon::Head});
}

}  // namespace bookstore::web::controllers
