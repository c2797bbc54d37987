#include "domain/tokens.h"

#include <sodium.h>

#include <vector>

#include "domain/sodium_init.h"

namespace bookstore::domain {
namespace {

std::string toHex(const unsigned char* data, size_t size) {
  std::string out(size * 2 + 1, '\0');  // sodium_bin2hex writes a terminator
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

const unsigned char* bytesOf(std::string_view text) {
  static const unsigned char kEmpty = 0;  // never hand libsodium a null pointer
  return text.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string randomToken(size_t bytes) {
  ensureSodiumInitialized();
  std::vector<unsigned char> buffer(bytes);
  if (bytes > 0) randombytes_buf(buffer.data(), bytes);
  std::string hex = toHex(buffer.data(), bytes);
  sodium_memzero(buffer.data(), buffer.size());
  return hex;
}

std::string sha256Hex(std::string_view data) {
  ensureSodiumInitialized();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, bytesOf(data), data.size());
  return toHex(digest, sizeof digest);
}

std::string hmacSha256Hex(std::string_view key, std::string_view message) {
  ensureSodiumInitialized();
  // The init/update/final API accepts keys of any length (hashing long ones),
  // unlike crypto_auth_hmacsha256 which fixes the key size.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytesOf(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytesOf(message), message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(&state, sizeof state);
  return toHex(mac, sizeof mac);
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bookstore::domain
