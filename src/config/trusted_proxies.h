#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bookstore::config {

// The proxies whose X-Forwarded-* headers are believed: addresses and CIDR
// ranges, IPv4 and IPv6 (an IPv4-mapped IPv6 peer matches its IPv4 form).
class TrustedProxies {
 public:
  TrustedProxies() = default;
  // "127.0.0.1, 10.0.0.0/8, ::1". Throws std::invalid_argument naming the bad entry.
  static TrustedProxies parse(std::string_view list);

  bool contains(std::string_view address) const;
  bool empty() const { return ranges_.empty(); }

 private:
  struct Range {
    std::array<uint8_t, 16> bytes{};
    int prefixBits = 0;
  };
  std::vector<Range> ranges_;
};

}  // namespace bookstore::config
