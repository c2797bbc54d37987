// Rules of idempotent retries (API.md "Retries are safe", rule 4 of issue 12):
// which keys are accepted and what counts as the same request. No I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bookstore::domain {

inline constexpr size_t kMaxIdempotencyKeyLength = 255;

// An `Idempotency-Key`: 1–255 printable ASCII characters (0x20–0x7E).
bool validIdempotencyKey(std::string_view key);

// The buy form's one-time token (`form_token`): 16–64 characters of
// [0-9A-Za-z_-]; the server renders 32 lowercase hex digits.
bool validFormToken(std::string_view token);

// The key a page form's token is stored under: scoped to the form's path, so
// one rendered page's forms (a token shared by every buy button of a catalog
// page) are independent of each other. Valid tokens give keys of at most 255
// characters for paths of up to 180.
std::string formTokenKey(std::string_view token, std::string_view path);

// What makes two requests under one key the same request: the lowercase hex
// SHA-256 of method, path and body (length-prefixed, so no two different
// triples collide by concatenation).
std::string requestFingerprint(std::string_view method, std::string_view path,
                               std::string_view body);

}  // namespace bookstore::domain
