// What the fuzz targets share: reading libFuzzer's bytes as text, splitting
// an input into the fields a target needs, and checking an invariant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

// Unlike assert, stays on in every build type, and names the broken invariant
// before the abort makes libFuzzer save the input.
#define FUZZ_CHECK(condition)                                                                \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)

namespace bookstore::fuzz {

inline std::string_view asText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The first `count - 1` lines of `input` and then the rest (which may hold
// more newlines); missing fields are empty. Seeds stay readable text files.
inline std::vector<std::string_view> splitLines(std::string_view input, size_t count) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < count) {
    const size_t newline = input.find('\n');
    fields.push_back(input.substr(0, newline));
    input = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  }
  fields.push_back(input);
  return fields;
}

}  // namespace bookstore::fuzz
