#include "web/request_info.h"

#include <charconv>

namespace bookstore::web {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::string clientAddress(const drogon::HttpRequestPtr& req,
                          const config::TrustedProxies& trusted) {
  return clientAddressFrom(req->peerAddr().toIp(), req->getHeader("x-forwarded-for"), trusted);
}

std::string clientAddressFrom(std::string peer, std::string_view forwardedFor,
                              const config::TrustedProxies& trusted) {
  if (trusted.empty() || !trusted.contains(peer)) return peer;
  std::string_view rest(forwardedFor);
  while (!rest.empty()) {
    auto comma = rest.rfind(',');
    auto entry = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    if (entry.empty()) continue;
    if (!trusted.contains(entry)) return entry;
    peer = entry;
  }
  return peer;
}

bool cameOverHttps(const drogon::HttpRequestPtr& req, const config::TrustedProxies& trusted) {
  if (req->isOnSecureConnection()) return true;
  if (trusted.empty() || !trusted.contains(req->peerAddr().toIp())) return false;
  return forwardedProtoIsHttps(req->getHeader("x-forwarded-proto"));
}

bool forwardedProtoIsHttps(std::string_view forwardedProto) {
  return trim(forwardedProto.substr(0, forwardedProto.find(','))) == "https";
}

std::optional<int64_t> parseId(const std::string& text) {
  int64_t value = 0;
  if (text.empty() || text.size() > 18) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

int64_t pageParameter(const drogon::HttpRequestPtr& req) {
  auto value = parseId(req->getParameter("page"));
  return value && *value <= 1'000'000 ? *value : 1;
}

bool isLocalPath(const std::string& target) {
  if (target.empty() || target.front() != '/') return false;
  if (target.size() > 1 && (target[1] == '/' || target[1] == '\\')) return false;
  for (char c : target) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\') return false;
  }
  return true;
}

}  // namespace bookstore::web
