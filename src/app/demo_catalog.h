#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace bookstore::app {

struct DemoAccount {
  const char* name;
  const char* email;
  const char* password;
};

// The demo buyer whose credentials the README gives.
inline constexpr DemoAccount kDemoBuyer{"Lucía Compradora", "comprador@demo.bookstore",
                                        "libros-demo-2025"};

// `bookstore seed-demo`: a few sellers, a demo buyer and a realistic catalog
// with generated covers. Idempotent: a second run adds nothing. Blocking (CLI).
// Returns the number of books added.
int seedDemo(const config::Config& config);

// A generated cover (src/app/demo_covers.cc): a PNG with the title and the
// author typeset in DejaVu (Debian's fonts-dejavu-core) on one of four
// designs whose colours derive from the title. "" when the fonts are missing.
std::string generateCoverPng(const std::string& title, const std::string& author, int width = 400,
                             int height = 600);

}  // namespace bookstore::app
