// The client address behind trusted proxies (src/config/trusted_proxies.cc,
// src/web/request_info.cc). Input lines: TRUSTED_PROXIES, the peer address,
// X-Forwarded-For, X-Forwarded-Proto.
#include <stdexcept>
#include <string>
#include <vector>

#include "config/trusted_proxies.h"
#include "fuzz_check.h"
#include "web/request_info.h"

namespace {

using bookstore::config::TrustedProxies;

std::string_view trimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> commaList(std::string_view text) {
  std::vector<std::string_view> entries;
  while (true) {
    const size_t comma = text.find(',');
    entries.push_back(trimBlanks(text.substr(0, comma)));
    if (comma == std::string_view::npos) return entries;
    text.remove_prefix(comma + 1);
  }
}

// The rule, written again from the left: the right-most entry that is not a
// trusted proxy; when all are trusted, the left-most; the peer when none.
std::string expectedClient(const std::string& peer, std::string_view forwardedFor,
                           const TrustedProxies& trusted) {
  if (trusted.empty() || !trusted.contains(peer)) return peer;
  std::string client = peer;
  std::vector<std::string_view> entries = commaList(forwardedFor);
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
    if (entry->empty()) continue;
    client = std::string(*entry);
    if (!trusted.contains(*entry)) break;
  }
  return client;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto fields = bookstore::fuzz::splitLines(bookstore::fuzz::asText(data, size), 4);
  const std::string_view list = fields[0], forwardedFor = fields[2], proto = fields[3];
  const std::string peer(fields[1]);

  TrustedProxies trusted;
  try {
    trusted = TrustedProxies::parse(list);
    // Every address listed on its own is trusted.
    for (const std::string_view entry : commaList(list)) {
      if (!entry.empty() && entry.find('/') == std::string_view::npos) {
        FUZZ_CHECK(trusted.contains(entry));
      }
    }
  } catch (const std::invalid_argument&) {
    trusted = TrustedProxies();
  }

  const std::string client = bookstore::web::clientAddressFrom(peer, forwardedFor, trusted);
  FUZZ_CHECK(client == expectedClient(peer, forwardedFor, trusted));
  if (client != peer) {
    // One entry of the header, never a list or padded text.
    FUZZ_CHECK(!client.empty() && client.find(',') == std::string::npos);
    FUZZ_CHECK(trimBlanks(client) == client);
    FUZZ_CHECK(forwardedFor.find(client) != std::string_view::npos);
  }

  if (bookstore::web::forwardedProtoIsHttps(proto)) {
    FUZZ_CHECK(trimBlanks(commaList(proto).front()) == "https");
  }
  return 0;
}
