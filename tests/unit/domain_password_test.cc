#include <gtest/gtest.h>
#include <sodium.h>

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "domain/password.h"

namespace bookstore::domain {
namespace {

using namespace std::string_literals;

// All legacy digests below were computed independently with Debian's Python
// (not with the code under test); each comment gives the command.

// /usr/bin/python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha256', b'secret', b'salt',
// 260000).hex())"
const std::string kPbkdf2Sha256_260000 =
    "pbkdf2:sha256:260000$salt$84fbd512eb440a9d098d1858ab089b82a4de7d3a3f0f32979c2ae82f46a84973";

// /usr/bin/python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha256', b'secret', b'salt',
// 600000).hex())"
const std::string kPbkdf2Sha256_600000 =
    "pbkdf2:sha256:600000$salt$4e8f09556c41f135a4981e66811a2c8dca6acb5f53f70a4d39678e6304dcc9e2";

// A Werkzeug-shaped 16-character salt.
// /usr/bin/python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha256', b'hunter2pass',
// b'Xy9aBcDeFgHiJk12', 600000).hex())"
const std::string kPbkdf2Werkzeug =
    "pbkdf2:sha256:600000$Xy9aBcDeFgHiJk12$"
    "d8a3066b9040b58b6127d21dcf1a1b4e696667511390ecd6dbe2413c475ed650";

// /usr/bin/python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha1', b'secret', b'salt',
// 150000).hex())"
const std::string kPbkdf2Sha1 = "pbkdf2:sha1:150000$salt$cd4995e308016e0bc0ffb1b47cc896c1ab530e31";

// /usr/bin/python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha512', b'secret', b'salt',
// 1000).hex())"
const std::string kPbkdf2Sha512 =
    "pbkdf2:sha512:1000$salt$"
    "f76f72381b75f0deb1c339334a8c8974366cadbc6bf46460f978363de8d210dbccfa7a5908cfe50e6172bf6bc4d7"
    "b72dd48f1d543ce48736da7f7fcf6db4672c";

// Non-ASCII password, hashed as UTF-8 like Werkzeug does.
// /usr/bin/python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha256',
// 'contraseña€'.encode(), b'sal', 260000).hex())"
const std::string kPbkdf2NonAscii =
    "pbkdf2:sha256:260000$sal$a07518ff1096e92cb359037b0dfe26225f18b712f176754fd8f8d9b2242aa810";

// /usr/bin/python3 -c "import hashlib; print(hashlib.scrypt(b'secret', salt=b'salt', n=32768,
// r=8, p=1, maxmem=132*32768*8).hex())"
const std::string kScryptHex =
    "fe2c14d42965d292019755b7f7afade5854120d07806951a23ee52c8e8116aeaa01a2b564ae166926c584cee9b"
    "6173c243061463ba23a7147a2459b179fc9c4c";

// /usr/bin/python3 -c "import hashlib; print(hashlib.scrypt(b'secret', salt=b'salt', n=1024,
// r=8, p=1, maxmem=132*1024*8).hex())"
const std::string kScrypt1024Hex =
    "eba9bb7eb94c6ebd8d2c4636469b51c6cea1aadafc321bada4716add1a4e7f29d233df2953886310c02a9bd60c"
    "6975e0ecc22d397f154550ca43189b3773673f";

// ---------------------------------------------------------------- Argon2id

TEST(DomainHashPassword, ProducesArgon2idWithCurrentParameters) {
  const std::string hash = hashPassword("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
  EXPECT_LE(hash.size(), 150u);  // fits the original VARCHAR(150) column
  EXPECT_EQ(verifyPassword("correct horse battery", hash), PasswordCheck::kMatch);
  EXPECT_EQ(verifyPassword("correct horse batterY", hash), PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("", hash), PasswordCheck::kMismatch);
}

TEST(DomainHashPassword, SaltedSoEqualPasswordsDiffer) {
  const std::string a = hashPassword("same password");
  const std::string b = hashPassword("same password");
  EXPECT_NE(a, b);
  EXPECT_EQ(verifyPassword("same password", a), PasswordCheck::kMatch);
  EXPECT_EQ(verifyPassword("same password", b), PasswordCheck::kMatch);
}

TEST(DomainHashPassword, NonAsciiEmptyAndNulPasswords) {
  const std::string accented = hashPassword("contraseña€");
  EXPECT_EQ(verifyPassword("contraseña€", accented), PasswordCheck::kMatch);
  EXPECT_EQ(verifyPassword("contrasena€", accented), PasswordCheck::kMismatch);

  const std::string empty = hashPassword("");
  EXPECT_EQ(verifyPassword("", empty), PasswordCheck::kMatch);
  EXPECT_EQ(verifyPassword("x", empty), PasswordCheck::kMismatch);

  // The whole byte string counts, not a C-string prefix.
  const std::string withNul = hashPassword("abc\0def"s);
  EXPECT_EQ(verifyPassword("abc\0def"s, withNul), PasswordCheck::kMatch);
  EXPECT_EQ(verifyPassword("abc", withNul), PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("abc\0xyz"s, withNul), PasswordCheck::kMismatch);
}

TEST(DomainVerifyPassword, Argon2WithOtherParametersNeedsRehash) {
  // A cheaper Argon2id hash, as an older configuration might have written.
  char weaker[crypto_pwhash_STRBYTES];
  ASSERT_EQ(sodium_init() >= 0, true);
  ASSERT_EQ(
      crypto_pwhash_str_alg(weaker, "secret", 6, 1, 8 * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13),
      0);
  EXPECT_EQ(verifyPassword("secret", weaker), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("Secret", weaker), PasswordCheck::kMismatch);

  char argon2i[crypto_pwhash_STRBYTES];
  ASSERT_EQ(
      crypto_pwhash_str_alg(argon2i, "secret", 6, 3, 8 * 1024 * 1024, crypto_pwhash_ALG_ARGON2I13),
      0);
  EXPECT_EQ(std::string(argon2i).rfind("$argon2i$", 0), 0u);
  EXPECT_EQ(verifyPassword("secret", argon2i), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("secreT", argon2i), PasswordCheck::kMismatch);
}

TEST(DomainVerifyPassword, TamperedArgon2) {
  const std::string hash = hashPassword("secret-password");
  std::string flipped = hash;
  flipped[flipped.size() - 2] = flipped[flipped.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verifyPassword("secret-password", flipped), PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("secret-password", hash.substr(0, hash.size() - 10)),
            PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("secret-password", hash + "A"), PasswordCheck::kMismatch);
  // An embedded NUL must not let libsodium see a different (shorter) string.
  EXPECT_EQ(verifyPassword("secret-password", hash + "\0garbage"s), PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("secret-password", "$argon2id$"), PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("secret-password", "$argon2id$v=19$m=19456,t=2,p=1$"),
            PasswordCheck::kMismatch);
}

TEST(DomainVerifyPassword, Argon2HostileCostsRefusedQuickly) {
  // Costs far beyond the caps: refused before libsodium would allocate or loop.
  const std::string tail = "$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
  for (const std::string& params : std::vector<std::string>{
           "m=4294967295,t=2,p=1", "m=19456,t=4294967295,p=1", "m=1048576,t=100,p=1",
           "m=19456,t=2,p=255", "m=0,t=2,p=1", "m=19456,t=0,p=1", "m=19456,t=2,p=0",
           "m=99999999999999999999999,t=2,p=1", "m=-1,t=2,p=1", "t=2,m=19456,p=1", "m=19456,t=2"}) {
    EXPECT_EQ(verifyPassword("secret", "$argon2id$v=19$" + params + tail), PasswordCheck::kMismatch)
        << params;
  }
}

// ---------------------------------------------------------------- Werkzeug PBKDF2

TEST(DomainVerifyPassword, WerkzeugPbkdf2Sha256) {
  EXPECT_EQ(verifyPassword("secret", kPbkdf2Sha256_260000), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("secret", kPbkdf2Sha256_600000), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("hunter2pass", kPbkdf2Werkzeug), PasswordCheck::kMatchNeedsRehash);

  EXPECT_EQ(verifyPassword("Secret", kPbkdf2Sha256_260000), PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("secret ", kPbkdf2Sha256_600000), PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("", kPbkdf2Sha256_600000), PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("secre", kPbkdf2Sha256_600000), PasswordCheck::kMismatch);
  // HMAC pads keys with zero bytes, so trailing NULs are equivalent in PBKDF2;
  // Werkzeug behaves the same (Python gives the identical digest for
  // b'secret\0'). Argon2id hashes do not have this property.
  EXPECT_EQ(verifyPassword("secret\0"s, kPbkdf2Sha256_600000), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("hunter2pas", kPbkdf2Werkzeug), PasswordCheck::kMismatch);
}

TEST(DomainVerifyPassword, IterationCountComesFromTheHash) {
  // Same digest, wrong stated iterations: must not match.
  std::string wrongIterations = kPbkdf2Sha256_260000;
  wrongIterations.replace(wrongIterations.find("260000"), 6, "260001");
  EXPECT_EQ(verifyPassword("secret", wrongIterations), PasswordCheck::kMismatch);
  // Without a count the documented default (260000) applies.
  std::string noIterations = kPbkdf2Sha256_260000;
  noIterations.erase(noIterations.find(":260000"), 7);
  EXPECT_EQ(noIterations.substr(0, 19), "pbkdf2:sha256$salt$");
  EXPECT_EQ(verifyPassword("secret", noIterations), PasswordCheck::kMatchNeedsRehash);
}

TEST(DomainVerifyPassword, WerkzeugPbkdf2OtherDigests) {
  EXPECT_EQ(verifyPassword("secret", kPbkdf2Sha1), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("secreto", kPbkdf2Sha1), PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("secret", kPbkdf2Sha512), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("secreto", kPbkdf2Sha512), PasswordCheck::kMismatch);

  // A digest of the right text under another algorithm name must not match.
  std::string relabelled = kPbkdf2Sha1;
  relabelled.replace(0, 11, "pbkdf2:sha256");
  EXPECT_EQ(verifyPassword("secret", relabelled), PasswordCheck::kMismatch);
}

TEST(DomainVerifyPassword, WerkzeugPbkdf2NonAsciiPassword) {
  EXPECT_EQ(verifyPassword("contraseña€", kPbkdf2NonAscii), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("contrasena€", kPbkdf2NonAscii), PasswordCheck::kMismatch);
  // Latin-1 bytes for "ñ" instead of UTF-8.
  EXPECT_EQ(verifyPassword("contrase\xF1\x61\xE2\x82\xAC", kPbkdf2NonAscii),
            PasswordCheck::kMismatch);
}

TEST(DomainVerifyPassword, UppercaseHexDigestAccepted) {
  std::string upper = kPbkdf2Sha256_260000;
  for (size_t i = upper.rfind('$') + 1; i < upper.size(); ++i) {
    if (upper[i] >= 'a' && upper[i] <= 'f') upper[i] = static_cast<char>(upper[i] - 32);
  }
  EXPECT_NE(upper, kPbkdf2Sha256_260000);
  EXPECT_EQ(verifyPassword("secret", upper), PasswordCheck::kMatchNeedsRehash);
}

// ---------------------------------------------------------------- Werkzeug scrypt

TEST(DomainVerifyPassword, WerkzeugScrypt) {
  const std::string explicitParams = "scrypt:32768:8:1$salt$" + kScryptHex;
  EXPECT_EQ(verifyPassword("secret", explicitParams), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("secreT", explicitParams), PasswordCheck::kMismatch);
  // Bare "scrypt" means Werkzeug's defaults 32768:8:1.
  EXPECT_EQ(verifyPassword("secret", "scrypt$salt$" + kScryptHex),
            PasswordCheck::kMatchNeedsRehash);

  const std::string small = "scrypt:1024:8:1$salt$" + kScrypt1024Hex;
  EXPECT_EQ(verifyPassword("secret", small), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("secret", "scrypt:2048:8:1$salt$" + kScrypt1024Hex),
            PasswordCheck::kMismatch);
  EXPECT_EQ(verifyPassword("secret", "scrypt:1024:8:1$salt$" + kScrypt1024Hex.substr(0, 64)),
            PasswordCheck::kMismatch);
}

TEST(DomainVerifyPassword, ScryptHostileParameters) {
  for (const std::string& method : std::vector<std::string>{
           "scrypt:0:8:1", "scrypt:1:8:1", "scrypt:1000:8:1" /* not a power of two */,
           "scrypt:2097152:8:1" /* 2^21 > cap */, "scrypt:1048576:64:1", "scrypt:1024:0:1",
           "scrypt:1024:8:0", "scrypt:1024:8:1000000", "scrypt:1024:8", "scrypt:1024:8:1:1",
           "scrypt:-1024:8:1", "scrypt:1e3:8:1", "scrypt:99999999999999999999999:8:1",
           "scrypt:1048576:8:16" /* too much work */}) {
    EXPECT_EQ(verifyPassword("secret", method + "$salt$" + kScryptHex), PasswordCheck::kMismatch)
        << method;
  }
}

// ---------------------------------------------------------------- malformed input

TEST(DomainVerifyPassword, HostileIterationCounts) {
  const std::string tail = "$salt$84fbd512eb440a9d098d1858ab089b82a4de7d3a3f0f32979c2ae82f46a84973";
  for (const std::string& method : std::vector<std::string>{
           "pbkdf2:sha256:0", "pbkdf2:sha256:1000000000000", "pbkdf2:sha256:10000001",
           "pbkdf2:sha256:-1", "pbkdf2:sha256:+260000", "pbkdf2:sha256:260000.0",
           "pbkdf2:sha256: 260000", "pbkdf2:sha256:", "pbkdf2:sha256:99999999999999999999999999",
           "pbkdf2:sha256:260000:1", "pbkdf2:md5:260000", "pbkdf2:SHA999:260000",
           "pbkdf2::260000"}) {
    EXPECT_EQ(verifyPassword("secret", method + tail), PasswordCheck::kMismatch) << method;
  }
}

TEST(DomainVerifyPassword, MalformedAndUnknownHashes) {
  const std::string digest = "84fbd512eb440a9d098d1858ab089b82a4de7d3a3f0f32979c2ae82f46a84973";
  for (const std::string& stored : std::vector<std::string>{
           ""s,
           "\0"s,
           "secret"s,  // a plain-text password column must never "match"
           "plain$$secret"s,
           "sha256$salt$" + digest,  // old Werkzeug salted-HMAC format, not supported
           "pbkdf2:sha256:260000"s,
           "pbkdf2:sha256:260000$salt"s,
           "pbkdf2:sha256:260000$salt$"s,
           "pbkdf2:sha256:260000$$" + digest,                    // empty salt
           "pbkdf2:sha256:260000$salt$" + digest.substr(0, 63),  // odd length
           "pbkdf2:sha256:260000$salt$" + digest.substr(0, 62),  // truncated
           "pbkdf2:sha256:260000$salt$" + digest + "00",         // too long
           "pbkdf2:sha256:260000$salt$" + digest + "$",
           "pbkdf2:sha256:260000$salt$" + digest.substr(0, 62) + "zz",
           "pbkdf2:sha256:260000$salt$" + digest + "\0"s,
           "pbkdf2:sha256:260000$sa\0lt$" + digest,
           "PBKDF2:sha256:260000$salt$" + digest,
           " pbkdf2:sha256:260000$salt$" + digest,
           "$argon2d$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaA"s,
           "$2b$12$abcdefghijklmnopqrstuuJ0Bqf7A0r3r4Xk5pR1u8L5uH7o0t5yC"s,  // bcrypt
           std::string(100'000, '$'),
           std::string(100'000, 'a'),
           "pbkdf2:sha256:260000$" + std::string(100'000, 's') + "$" + digest,
       }) {
    EXPECT_EQ(verifyPassword("secret", stored), PasswordCheck::kMismatch)
        << testing::PrintToString(stored.substr(0, 80));
  }
}

// ---------------------------------------------------------------- ORIGINAL_COMPATIBLE

TEST(DomainHashPassword, WerkzeugFormatTheOriginalReads) {
  const auto hash = hashPassword("secret", HashFormat::kWerkzeugPbkdf2);
  // pbkdf2:sha256:600000$<16 letters or digits>$<64 hex digits>
  ASSERT_EQ(hash.rfind("pbkdf2:sha256:600000$", 0), 0u) << hash;
  const auto salt = hash.substr(21, 16);
  EXPECT_EQ(hash[37], '$') << hash;
  for (char c : salt) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << hash;
  EXPECT_EQ(hash.size(), 21u + 16u + 1u + 64u);
  EXPECT_LE(hash.size(), 150u);  // the original's VARCHAR(150)
  EXPECT_NE(hash, hashPassword("secret", HashFormat::kWerkzeugPbkdf2));  // salted
  // The digest is PBKDF2-HMAC-SHA256 over the salt as text, as Werkzeug does:
  // the existing verifier (checked against Werkzeug's own vectors above) agrees.
  EXPECT_EQ(verifyPassword("secret", hash, HashFormat::kWerkzeugPbkdf2), PasswordCheck::kMatch);
  EXPECT_EQ(verifyPassword("Secret", hash, HashFormat::kWerkzeugPbkdf2), PasswordCheck::kMismatch);
  // Once the mode is off, the next login re-hashes it to Argon2id.
  EXPECT_EQ(verifyPassword("secret", hash), PasswordCheck::kMatchNeedsRehash);
}

TEST(DomainVerifyPassword, CompatibleModeKeepsWerkzeugAndRewritesArgon2) {
  // The original's hashes, whatever their iteration count, stay as they are.
  EXPECT_EQ(verifyPassword("secret", kPbkdf2Sha256_260000, HashFormat::kWerkzeugPbkdf2),
            PasswordCheck::kMatch);
  EXPECT_EQ(verifyPassword("secret", kPbkdf2Sha1, HashFormat::kWerkzeugPbkdf2),
            PasswordCheck::kMatch);
  EXPECT_EQ(verifyPassword("wrong", kPbkdf2Sha256_260000, HashFormat::kWerkzeugPbkdf2),
            PasswordCheck::kMismatch);
  // An Argon2id hash (a user who logged in before the mode was on) must be
  // rewritten: the original cannot read it.
  const auto argon = hashPassword("secret");
  EXPECT_EQ(verifyPassword("secret", argon, HashFormat::kWerkzeugPbkdf2),
            PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verifyPassword("wrong", argon, HashFormat::kWerkzeugPbkdf2), PasswordCheck::kMismatch);
}

// Made by Debian 12's Werkzeug 2.2 (the original's), at the count this server
// writes in the mode: generate_password_hash("contraseña segura",
// "pbkdf2:sha256:600000"). Non-ASCII: both sides hash the UTF-8 bytes.
constexpr const char* kWerkzeug600000 =
    "pbkdf2:sha256:600000$OgzFlqRVh44IVjaT$"
    "f22d1d909cf1a8759196155087546470b10707fc920c5491df8025d841995ce3";

TEST(DomainVerifyPassword, WerkzeugsOwnHashAtTheModesCountMatchesOurs) {
  EXPECT_EQ(verifyPassword("contraseña segura", kWerkzeug600000, HashFormat::kWerkzeugPbkdf2),
            PasswordCheck::kMatch);
  EXPECT_EQ(verifyPassword("contrasena segura", kWerkzeug600000, HashFormat::kWerkzeugPbkdf2),
            PasswordCheck::kMismatch);
  // Same layout as what hashPassword writes: the method, 16-character salt, hex.
  const auto ours = hashPassword("contraseña segura", HashFormat::kWerkzeugPbkdf2);
  EXPECT_EQ(ours.size(), std::string_view(kWerkzeug600000).size());
  EXPECT_EQ(ours.substr(0, 21), std::string_view(kWerkzeug600000).substr(0, 21));
  EXPECT_EQ(verifyPassword("contraseña segura", ours, HashFormat::kWerkzeugPbkdf2),
            PasswordCheck::kMatch);
  // At least OWASP's 600,000 iterations.
  EXPECT_GE(kWerkzeugPbkdf2Iterations, 600'000u);
}

TEST(DomainVerifyPassword, RandomGarbageNeverMatches) {
  ASSERT_GE(sodium_init(), 0);
  for (int i = 0; i < 200; ++i) {
    std::string garbage(static_cast<size_t>(randombytes_uniform(200)), '\0');
    randombytes_buf(garbage.data(), garbage.size());
    EXPECT_EQ(verifyPassword("secret", garbage), PasswordCheck::kMismatch);
    EXPECT_EQ(verifyPassword(garbage, kPbkdf2Sha512), PasswordCheck::kMismatch);  // cheap one
  }
}

}  // namespace
}  // namespace bookstore::domain
