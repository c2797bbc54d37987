#include "web/controllers/static_assets.h"

#include <drogon/HttpAppFramework.h>

namespace bookstore::web::controllers {
namespace {

// The pages' only styles: the Content-Security-Policy (web/security_headers.h)
// allows no inline style, so none is written in the views.
constexpr std::string_view kAppCss = R"css(
body { background: #f7f7f5; }
/* Bootstrap's colours darkened to a contrast of at least 4.5:1 on this
   background (WCAG AA; checked by axe-core in tests/browser). */
:root { --bs-link-color: #0a58ca; --bs-link-hover-color: #084298; }
.text-muted, .form-text { color: #595f66 !important; }
.text-danger { color: #b02a37 !important; }
.btn-primary { --bs-btn-bg: #0b5ed7; --bs-btn-border-color: #0b5ed7; --bs-btn-hover-bg: #0a58ca;
  --bs-btn-hover-border-color: #0a53be; --bs-btn-active-bg: #0a53be;
  --bs-btn-disabled-bg: #0b5ed7; --bs-btn-disabled-border-color: #0b5ed7; }
.btn-outline-primary { --bs-btn-color: #0a58ca; --bs-btn-border-color: #0a58ca;
  --bs-btn-hover-bg: #0a58ca; --bs-btn-active-bg: #0a58ca; }
.btn-outline-secondary { --bs-btn-color: #565e64; --bs-btn-border-color: #565e64;
  --bs-btn-hover-bg: #565e64; --bs-btn-active-bg: #565e64; }
.btn-outline-danger { --bs-btn-color: #b02a37; --bs-btn-border-color: #b02a37;
  --bs-btn-hover-bg: #b02a37; --bs-btn-active-bg: #b02a37; }
.btn-link { --bs-btn-color: #0a58ca; }
.pagination { --bs-pagination-color: #0a58ca; --bs-pagination-active-bg: #0b5ed7;
  --bs-pagination-active-border-color: #0b5ed7; --bs-pagination-disabled-color: #595f66; }
.skip-link { position: absolute; left: .5rem; top: .5rem; z-index: 1000; padding: .5rem 1rem;
  background: #fff; color: #000; }
/* Covers: a 2:3 frame; an uploaded picture fills it without stretching
   (object-fit: cover crops the overflow, so there are no blank bands). */
.book-cover { display: block; width: 100%; aspect-ratio: 2 / 3; object-fit: cover;
  background: #e9ecef; }
.book-cover-detail { max-width: 22rem; }
img.book-cover-detail { aspect-ratio: auto; height: auto; max-height: 36rem; object-fit: contain;
  background: transparent; }
.cover-thumb { width: 3rem; }
.current-cover { max-width: 8rem; }
/* A book without a cover: its title and author typeset on one of eight
   designs (domain::coverPaletteIndex), sized with the card (container units). */
.cover-placeholder { container-type: inline-size; display: flex; flex-direction: column;
  justify-content: space-between; padding: 10% 9%; overflow: hidden; color: #fff;
  font-family: Georgia, "DejaVu Serif", serif; text-align: left; border-left: 6px solid rgba(0,0,0,.25); }
.cover-title { font-size: 11cqi; line-height: 1.15; font-weight: 700; overflow-wrap: anywhere;
  display: -webkit-box; -webkit-line-clamp: 5; -webkit-box-orient: vertical; overflow: hidden; }
.cover-rule { display: block; width: 40%; height: 2px; background: currentColor; opacity: .7;
  margin: 6% 0; }
.cover-author { font-size: 7.5cqi; font-style: italic; overflow-wrap: anywhere;
  margin-top: auto; }
.cover-thumb .cover-title { font-size: 14cqi; -webkit-line-clamp: 3; }
.cover-thumb .cover-author, .cover-thumb .cover-rule { display: none; }
.cover-p0 { background: linear-gradient(160deg, #1d3557, #457b9d); }
.cover-p1 { background: linear-gradient(160deg, #7a1f2b, #b23a48); }
.cover-p2 { background: linear-gradient(160deg, #1b4332, #40916c); }
.cover-p3 { background: linear-gradient(160deg, #5a189a, #7b2cbf); }
.cover-p4 { background: linear-gradient(160deg, #7f4f24, #a47148); }
.cover-p5 { background: linear-gradient(160deg, #264653, #2a9d8f); }
.cover-p6 { background: linear-gradient(160deg, #3d405b, #6d597a); }
.cover-p7 { background: #f4e9d8; color: #3b2f2f; border-left-color: #8c6d4f; }
.cover-p7 .cover-rule { background: #8c6d4f; }
.cover-link, .cover-link:hover { display: block; text-decoration: none; }
/* Visually hidden headers stay inside their table's scroll box. */
.table-responsive { position: relative; }
/* Title links in cards: a tap target at least 24 px high. */
.card-title a { display: inline-block; padding: .2rem 0; }
.card-title { font-size: 1rem; }
.table td, .table th { vertical-align: middle; }
.book-description { white-space: pre-line; }
input.form-control-sm[name="quantity"] { max-width: 6rem; }
.buy-form input[name="quantity"] { min-height: 2.25rem; }
.table thead th:empty { width: 4rem; }
label[for="cover"] + .mb-2 { max-width: 8rem; }
.btn-sm, .page-link, .form-check-input { min-height: 1.75rem; }
.form-check-input { min-width: 1.5rem; min-height: 1.5rem; }
.navbar-toggler { min-width: 2.75rem; min-height: 2.75rem; cursor: pointer; }
/* The phone menu without a script: the visually hidden checkbox before the
   menu opens it; its label is the toggler button. */
.nav-toggle { position: absolute; opacity: 0; width: 1px; height: 1px; pointer-events: none; }
.nav-toggle:focus-visible + .navbar-toggler { outline: 2px solid #fff; outline-offset: 2px; }
@media (max-width: 767.98px) { .nav-toggle:checked ~ .navbar-collapse { display: block; } }
@media (min-width: 768px) { .nav-toggle { display: none; } }
.search-form { flex: 1 1 16rem; max-width: 28rem; }
/* Phones: nothing wider than the screen; tables scroll inside their box. */
@media (max-width: 575.98px) {
  .book-card .card-body { padding: .6rem; }
  .buy-form { flex-wrap: wrap; }
  .buy-form input[name="quantity"] { max-width: none; flex: 1 1 3rem; }
  .navbar-actions { padding: .5rem 0; }
  .navbar-nav .nav-link { padding-top: .6rem; padding-bottom: .6rem; }
  h1, .h3 { overflow-wrap: anywhere; }
}
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
