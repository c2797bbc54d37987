// How a book without an uploaded cover is drawn: one of a fixed palette of
// designs (CSS classes `cover-p0` … in /static/app.css), chosen from the
// book's id so the same book always looks the same and neighbours differ.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bookstore::domain {

inline constexpr size_t kCoverPaletteSize = 8;

// A number in [0, kCoverPaletteSize) from the id (a 64-bit mix, so ids that
// differ by one land on unrelated colours).
constexpr size_t coverPaletteIndex(int64_t bookId) {
  auto x = static_cast<uint64_t>(bookId) + 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return static_cast<size_t>(x % kCoverPaletteSize);
}

}  // namespace bookstore::domain
