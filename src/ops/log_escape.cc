#include "ops/log_escape.h"

#include <array>
#include <cstddef>

namespace bookstore::ops {
namespace {

constexpr std::array<bool, 256> makeSafeTable() {
  std::array<bool, 256> safe{};
  for (int c = 'a'; c <= 'z'; ++c) safe[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) safe[c] = true;
  for (int c = '0'; c <= '9'; ++c) safe[c] = true;
  for (const char c : std::string_view("/-._~!$&'()*+,;:@")) {
    safe[static_cast<unsigned char>(c)] = true;
  }
  return safe;
}

constexpr std::array<bool, 256> kSafe = makeSafeTable();
constexpr char kHex[] = "0123456789ABCDEF";

}  // namespace

void appendLogValue(std::string& out, std::string_view value) {
  const char* data = value.data();
  const size_t size = value.size();
  size_t start = 0;  // first byte not yet appended
  for (size_t i = 0; i < size; ++i) {
    const auto byte = static_cast<unsigned char>(data[i]);
    if (kSafe[byte]) continue;
    out.append(data + start, i - start);
    const char escaped[3] = {'%', kHex[byte >> 4], kHex[byte & 0x0F]};
    out.append(escaped, 3);
    start = i + 1;
  }
  out.append(data + start, size - start);
}

}  // namespace bookstore::ops
