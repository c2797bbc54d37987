#include "config/trusted_proxies.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace bookstore::config {
namespace {

// Every address as 16 bytes: IPv4 becomes ::ffff:a.b.c.d, so both forms compare.
std::optional<std::array<uint8_t, 16>> toBytes(std::string_view text, bool* isV4) {
  std::string s(text);
  std::array<uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    if (isV4) *isV4 = true;
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    if (isV4) *isV4 = false;
    return out;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

TrustedProxies TrustedProxies::parse(std::string_view list) {
  TrustedProxies result;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto entry = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (entry.empty()) continue;
    auto slash = entry.find('/');
    bool isV4 = false;
    auto bytes = toBytes(entry.substr(0, slash), &isV4);
    if (!bytes) throw std::invalid_argument("'" + std::string(entry) + "' is not an IP address");
    Range range{*bytes, 128};
    if (slash != std::string_view::npos) {
      auto bitsText = entry.substr(slash + 1);
      int bits = -1;
      auto [ptr, ec] = std::from_chars(bitsText.data(), bitsText.data() + bitsText.size(), bits);
      const int maxBits = isV4 ? 32 : 128;
      if (ec != std::errc() || ptr != bitsText.data() + bitsText.size() || bits < 0 ||
          bits > maxBits) {
        throw std::invalid_argument("'" + std::string(entry) + "' has an invalid prefix length");
      }
      range.prefixBits = isV4 ? bits + 96 : bits;
    }
    result.ranges_.push_back(range);
  }
  return result;
}

bool TrustedProxies::contains(std::string_view address) const {
  auto bytes = toBytes(address, nullptr);
  if (!bytes) return false;
  for (const auto& range : ranges_) {
    int bits = range.prefixBits;
    bool match = true;
    for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
      uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
      if (((*bytes)[i] & mask) != (range.bytes[i] & mask)) {
        match = false;
        break;
      }
    }
    if (match) return true;
  }
  return false;
}

}  // namespace bookstore::config
