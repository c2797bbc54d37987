// Password hashing. New hashes are Argon2id (libsodium); hashes written by the
// Flask original (Werkzeug) are still verified so existing users can log in,
// and are reported as needing a rehash so the caller upgrades them.
#pragma once

#include <string>
#include <string_view>

namespace bookstore::domain {

// Argon2id parameters for new hashes: OWASP's minimum (t=2, m=19 MiB, p=1).
// Small memory keeps many concurrent logins from exhausting a replica.
inline constexpr unsigned long long kArgon2OpsLimit = 2;
inline constexpr size_t kArgon2MemLimit = 19u * 1024u * 1024u;

// The format new hashes are written in.
enum class HashFormat {
  kArgon2id,  // the default
  // ORIGINAL_COMPATIBLE: what the Flask original verifies with Werkzeug,
  // "pbkdf2:sha256:600000$<16-character salt>$<hex>" (OWASP's PBKDF2 minimum).
  kWerkzeugPbkdf2,
};
inline constexpr unsigned kWerkzeugPbkdf2Iterations = 600'000;

// Argon2id: a "$argon2id$v=19$m=19456,t=2,p=1$..." string (at most 127
// bytes); Werkzeug: 102 bytes. Both fit the original VARCHAR(150) column.
// Throws std::runtime_error only if memory for hashing cannot be allocated.
std::string hashPassword(std::string_view password, HashFormat format = HashFormat::kArgon2id);

enum class PasswordCheck { kMismatch, kMatch, kMatchNeedsRehash };

// Verifies `password` against a stored hash. Recognised formats:
//  - "$argon2id$..." and "$argon2i$..." (libsodium); kMatchNeedsRehash when
//    the parameters differ from the current ones or the variant is argon2i;
//  - Werkzeug "pbkdf2:<digest>[:<iterations>]$<salt>$<hex>" with digest
//    sha1/sha224/sha256/sha384/sha512. When the iteration count is missing,
//    260000 is used (Werkzeug 2.0–2.2's default; Werkzeug always writes the
//    count, so such hashes are hand-made and this is a best guess);
//  - Werkzeug 3 "scrypt[:<n>:<r>:<p>]$<salt>$<hex>" (default 32768:8:1).
// On success, kMatchNeedsRehash says the hash should be rewritten in the
// `preferred` format: with kArgon2id, every legacy (Werkzeug) hash and any
// Argon2 hash with other parameters; with kWerkzeugPbkdf2, only Argon2
// hashes (which the original cannot read) — Werkzeug hashes are kept as
// they are, whatever their method or iteration count.
// Never throws: an empty, unrecognised, malformed or unreasonably expensive
// hash (PBKDF2 iterations above 10,000,000, scrypt n above 2^20, Argon2 cost
// above 1 GiB/t=4 equivalent) is a kMismatch.
PasswordCheck verifyPassword(std::string_view password, std::string_view stored,
                             HashFormat preferred = HashFormat::kArgon2id);

}  // namespace bookstore::domain
