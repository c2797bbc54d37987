#pragma once

#include <string>
#include <string_view>

namespace bookstore::domain {

// Text as the catalog search compares it: ASCII letters lower-cased and the
// Latin-1 accented letters reduced to their base letter ("Márquez" and
// "MARQUEZ" both become "marquez"), as MySQL's case- and accent-insensitive
// collations compare them. Other characters are kept as they are, so a
// substring of the folded text is a substring of the original.
std::string foldForSearch(std::string_view text);

// Whether `foldedNeedle` (already folded) occurs in `foldedHaystack`.
inline bool containsFolded(std::string_view foldedHaystack, std::string_view foldedNeedle) {
  return foldedHaystack.find(foldedNeedle) != std::string_view::npos;
}

}  // namespace bookstore::domain
