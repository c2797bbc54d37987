// Random tokens, digests and constant-time comparison for sessions, CSRF and
// API tokens (stored hashed, verifiable on every replica).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bookstore::domain {

// `bytes` random bytes from libsodium's CSPRNG, as lowercase hex (2*bytes chars).
std::string randomToken(size_t bytes = 32);

// Lowercase hex SHA-256 of the bytes (64 chars).
std::string sha256Hex(std::string_view data);

// Lowercase hex HMAC-SHA-256 (64 chars); keys of any length, per RFC 2104.
std::string hmacSha256Hex(std::string_view key, std::string_view message);

// Equal contents, in time independent of where they differ. Different lengths
// return false immediately (the length of a token is not secret).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace bookstore::domain
