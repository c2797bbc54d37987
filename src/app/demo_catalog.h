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

// A generated cover: a PNG whose colours and pattern derive from the title.
std::string generateCoverPng(const std::string& title, int width = 200, int height = 300);

}  // namespace bookstore::app
