#include "domain/idempotency.h"

#include "domain/tokens.h"

namespace bookstore::domain {

bool validIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength) return false;
  for (const char c : key) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

bool validFormToken(std::string_view token) {
  if (token.size() < 16 || token.size() > 64) return false;
  for (const char c : token) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string formTokenKey(std::string_view token, std::string_view path) {
  std::string key = "form:";
  key.append(token);
  key.push_back(':');
  key.append(path);
  if (key.size() > kMaxIdempotencyKeyLength) key.resize(kMaxIdempotencyKeyLength);
  return key;
}

std::string requestFingerprint(std::string_view method, std::string_view path,
                               std::string_view body) {
  std::string text;
  text.reserve(method.size() + path.size() + body.size() + 48);
  for (const auto part : {method, path, body}) {
    text.append(std::to_string(part.size()));
    text.push_back(':');
    text.append(part);
    text.push_back('\n');
  }
  return sha256Hex(text);
}

}  // namespace bookstore::domain
