#include "domain/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <climits>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include "domain/sodium_init.h"

namespace bookstore::domain {
namespace {

// Werkzeug 2.0–2.2 default, used only when a pbkdf2 method omits the count.
constexpr uint64_t kWerkzeugDefaultPbkdf2Iterations = 260'000;
// Bounds on legacy work factors: a hostile or corrupted hash must not be able
// to pin a CPU for minutes or allocate gigabytes.
constexpr uint64_t kMaxPbkdf2Iterations = 10'000'000;
constexpr uint64_t kMaxScryptN = uint64_t{1} << 20;
constexpr uint64_t kMaxScryptR = 32;
constexpr uint64_t kMaxScryptP = 16;
constexpr uint64_t kMaxScryptMemory = uint64_t{1} << 30;      // 128 * n * r
constexpr uint64_t kMaxScryptWork = uint64_t{1} << 23;        // n * r * p (Werkzeug default 2^18)
constexpr size_t kScryptKeyLength = 64;                       // hashlib.scrypt's default dklen
constexpr uint64_t kMaxArgon2MemoryKiB = 1u << 20;            // 1 GiB
constexpr uint64_t kMaxArgon2Work = 4 * kMaxArgon2MemoryKiB;  // t * m, libsodium's "sensitive"
constexpr uint64_t kMaxArgon2Lanes = 16;

// Never hand a null pointer to the C libraries, even for empty input.
const char* dataOrEmpty(std::string_view text) {
  return text.empty() ? "" : text.data();
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Plain decimal digits, no sign, value <= max; anything else is nullopt.
std::optional<uint64_t> parseBounded(std::string_view text, uint64_t max) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
    if (value > max) return std::nullopt;  // per digit, so no overflow
  }
  return value;
}

std::optional<std::vector<unsigned char>> decodeHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<unsigned char> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int high = nibble(hex[2 * i]);
    const int low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return out;
}

bool equalDigests(const std::vector<unsigned char>& computed,
                  const std::vector<unsigned char>& expected) {
  return computed.size() == expected.size() &&
         CRYPTO_memcmp(computed.data(), expected.data(), computed.size()) == 0;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

const EVP_MD* digestByName(std::string_view name) {
  // Werkzeug passes the name to hashlib; only the SHA family is plausible.
  if (name == "sha1") return EVP_sha1();
  if (name == "sha224") return EVP_sha224();
  if (name == "sha256") return EVP_sha256();
  if (name == "sha384") return EVP_sha384();
  if (name == "sha512") return EVP_sha512();
  return nullptr;
}

bool verifyPbkdf2(std::string_view password, const std::vector<std::string_view>& methodParts,
                  std::string_view salt, std::string_view hex) {
  std::string_view digestName = "sha256";
  uint64_t iterations = kWerkzeugDefaultPbkdf2Iterations;
  if (methodParts.size() > 3) return false;
  if (methodParts.size() >= 2) digestName = methodParts[1];
  if (methodParts.size() == 3) {
    const auto parsed = parseBounded(methodParts[2], kMaxPbkdf2Iterations);
    if (!parsed || *parsed == 0) return false;
    iterations = *parsed;
  }
  const EVP_MD* digest = digestByName(digestName);
  if (digest == nullptr) return false;
  const int digestSize = EVP_MD_size(digest);
  if (digestSize <= 0) return false;

  const auto expected = decodeHex(hex);
  if (!expected || expected->size() != static_cast<size_t>(digestSize)) return false;
  if (password.size() > INT_MAX || salt.size() > INT_MAX) return false;

  std::vector<unsigned char> computed(static_cast<size_t>(digestSize));
  if (PKCS5_PBKDF2_HMAC(dataOrEmpty(password), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(dataOrEmpty(salt)),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), digest,
                        digestSize, computed.data()) != 1) {
    return false;
  }
  return equalDigests(computed, *expected);
}

bool verifyScrypt(std::string_view password, const std::vector<std::string_view>& methodParts,
                  std::string_view salt, std::string_view hex) {
  uint64_t n = 32768;
  uint64_t r = 8;
  uint64_t p = 1;
  if (methodParts.size() == 4) {
    const auto parsedN = parseBounded(methodParts[1], kMaxScryptN);
    const auto parsedR = parseBounded(methodParts[2], kMaxScryptR);
    const auto parsedP = parseBounded(methodParts[3], kMaxScryptP);
    if (!parsedN || !parsedR || !parsedP) return false;
    n = *parsedN;
    r = *parsedR;
    p = *parsedP;
  } else if (methodParts.size() != 1) {
    return false;
  }
  // scrypt requires n to be a power of two greater than one.
  if (n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0) return false;
  if (128 * n * r > kMaxScryptMemory || n * r * p > kMaxScryptWork) return false;

  const auto expected = decodeHex(hex);
  if (!expected || expected->size() != kScryptKeyLength) return false;

  // Exactly what OpenSSL needs (B and V arrays), so valid parameters within
  // the caps always fit.
  const uint64_t maxMemory = 128 * r * p + 128 * r * (n + 2) + 4096;
  std::vector<unsigned char> computed(kScryptKeyLength);
  if (EVP_PBE_scrypt(dataOrEmpty(password), password.size(),
                     reinterpret_cast<const unsigned char*>(dataOrEmpty(salt)), salt.size(), n, r,
                     p, maxMemory, computed.data(), computed.size()) != 1) {
    return false;
  }
  return equalDigests(computed, *expected);
}

// Reads m, t and p from "$argon2id$v=19$m=19456,t=2,p=1$..." so absurd costs
// are refused before libsodium tries to allocate or loop on them.
bool argon2CostAcceptable(std::string_view stored) {
  const std::vector<std::string_view> sections = split(stored, '$');
  // "", "argon2id", ["v=19",] "m=..,t=..,p=..", salt, hash
  size_t index = 2;
  if (index < sections.size() && startsWith(sections[index], "v=")) ++index;
  if (index >= sections.size()) return false;
  const std::vector<std::string_view> params = split(sections[index], ',');
  if (params.size() != 3 || !startsWith(params[0], "m=") || !startsWith(params[1], "t=") ||
      !startsWith(params[2], "p=")) {
    return false;
  }
  const auto m = parseBounded(params[0].substr(2), kMaxArgon2MemoryKiB);
  const auto t = parseBounded(params[1].substr(2), kMaxArgon2Work);
  const auto p = parseBounded(params[2].substr(2), kMaxArgon2Lanes);
  if (!m || !t || !p || *m == 0 || *t == 0 || *p == 0) return false;
  return *m * *t <= kMaxArgon2Work;
}

PasswordCheck verifyArgon2(std::string_view password, std::string_view stored) {
  // libsodium reads a C string: an embedded NUL would verify only a prefix.
  if (stored.size() >= crypto_pwhash_STRBYTES || stored.find('\0') != std::string_view::npos) {
    return PasswordCheck::kMismatch;
  }
  if (!argon2CostAcceptable(stored)) return PasswordCheck::kMismatch;
  const std::string terminated(stored);
  if (crypto_pwhash_str_verify(terminated.c_str(), dataOrEmpty(password), password.size()) != 0) {
    return PasswordCheck::kMismatch;
  }
  // 1 = different parameters or argon2i; -1 (unexpected) also upgrades.
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), kArgon2OpsLimit, kArgon2MemLimit) == 0
             ? PasswordCheck::kMatch
             : PasswordCheck::kMatchNeedsRehash;
}

// Werkzeug's gen_salt: 16 characters of ASCII letters and digits.
std::string werkzeugSalt() {
  static constexpr std::string_view kSaltChars =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string salt;
  for (int i = 0; i < 16; ++i) {
    salt += kSaltChars[randombytes_uniform(static_cast<uint32_t>(kSaltChars.size()))];
  }
  return salt;
}

std::string hashWerkzeugPbkdf2(std::string_view password) {
  if (password.size() > INT_MAX) throw std::runtime_error("password too long to hash");
  const std::string salt = werkzeugSalt();
  unsigned char digest[32];
  if (PKCS5_PBKDF2_HMAC(dataOrEmpty(password), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(kWerkzeugPbkdf2Iterations),
                        EVP_sha256(), sizeof digest, digest) != 1) {
    throw std::runtime_error("password hashing failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "pbkdf2:sha256:" + std::to_string(kWerkzeugPbkdf2Iterations) + "$" + salt + "$";
  for (unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
  }
  return out;
}

}  // namespace

std::string hashPassword(std::string_view password, HashFormat format) {
  ensureSodiumInitialized();
  if (format == HashFormat::kWerkzeugPbkdf2) return hashWerkzeugPbkdf2(password);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, dataOrEmpty(password), password.size(), kArgon2OpsLimit,
                            kArgon2MemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("password hashing failed (out of memory)");
  }
  return std::string(out);
}

PasswordCheck verifyPassword(std::string_view password, std::string_view stored,
                             HashFormat preferred) {
  try {
    ensureSodiumInitialized();
    if (startsWith(stored, "$argon2id$") || startsWith(stored, "$argon2i$")) {
      const auto check = verifyArgon2(password, stored);
      // The original cannot read Argon2: rewrite it for the rollback window.
      if (check != PasswordCheck::kMismatch && preferred == HashFormat::kWerkzeugPbkdf2) {
        return PasswordCheck::kMatchNeedsRehash;
      }
      return check;
    }
    // Werkzeug: "<method>$<salt>$<hash>", split on the first two '$'.
    const size_t first = stored.find('$');
    if (first == std::string_view::npos) return PasswordCheck::kMismatch;
    const size_t second = stored.find('$', first + 1);
    if (second == std::string_view::npos) return PasswordCheck::kMismatch;
    const std::string_view method = stored.substr(0, first);
    const std::string_view salt = stored.substr(first + 1, second - first - 1);
    const std::string_view hex = stored.substr(second + 1);
    // Werkzeug never writes an empty salt.
    if (salt.empty()) return PasswordCheck::kMismatch;

    const std::vector<std::string_view> methodParts = split(method, ':');
    bool matched = false;
    if (methodParts[0] == "pbkdf2") {
      matched = verifyPbkdf2(password, methodParts, salt, hex);
    } else if (methodParts[0] == "scrypt") {
      matched = verifyScrypt(password, methodParts, salt, hex);
    }
    if (!matched) return PasswordCheck::kMismatch;
    // The original's own hashes stay as they are while it may come back.
    return preferred == HashFormat::kWerkzeugPbkdf2 ? PasswordCheck::kMatch
                                                    : PasswordCheck::kMatchNeedsRehash;
  } catch (...) {
    // Only allocation failures can land here; a login must fail, not crash.
    return PasswordCheck::kMismatch;
  }
}

}  // namespace bookstore::domain
