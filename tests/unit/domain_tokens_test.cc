#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "domain/tokens.h"

namespace bookstore::domain {
namespace {

using namespace std::string_literals;

bool isLowerHex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(DomainRandomToken, LengthAndAlphabet) {
  const std::string token = randomToken();
  EXPECT_EQ(token.size(), 64u);
  EXPECT_TRUE(isLowerHex(token)) << token;
  EXPECT_EQ(randomToken(16).size(), 32u);
  EXPECT_EQ(randomToken(1).size(), 2u);
  EXPECT_EQ(randomToken(0), "");
  EXPECT_EQ(randomToken(4096).size(), 8192u);
}

TEST(DomainRandomToken, Unique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(randomToken());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(DomainRandomToken, NotConstantBytes) {
  // A broken generator returning zeros would still be hex of the right size.
  const std::string token = randomToken(64);
  EXPECT_NE(token, std::string(128, '0'));
  EXPECT_GT(std::set<char>(token.begin(), token.end()).size(), 8u);
}

TEST(DomainRandomToken, ConcurrentFirstUse) {
  std::vector<std::thread> threads;
  std::vector<std::string> tokens(8);
  for (size_t i = 0; i < tokens.size(); ++i) {
    threads.emplace_back([&tokens, i] { tokens[i] = randomToken(); });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(std::set<std::string>(tokens.begin(), tokens.end()).size(), tokens.size());
}

// Expected digests from Debian's Python:
// /usr/bin/python3 -c "import hashlib; print(hashlib.sha256(b'').hexdigest())"
// /usr/bin/python3 -c "import hashlib; print(hashlib.sha256(b'abc').hexdigest())"
// /usr/bin/python3 -c "import hashlib; print(hashlib.sha256(b'a\x00b').hexdigest())"
TEST(DomainSha256Hex, KnownVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("a\0b"s), "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
  EXPECT_NE(sha256Hex("a\0b"s), sha256Hex("a"));
}

// /usr/bin/python3 -c "import hmac; print(hmac.new(b'key', b'The quick brown fox jumps over
//   the lazy dog', 'sha256').hexdigest())"
// /usr/bin/python3 -c "import hmac; print(hmac.new(b'k'*100, b'msg', 'sha256').hexdigest())"
// /usr/bin/python3 -c "import hmac; print(hmac.new(b'', b'', 'sha256').hexdigest())"
TEST(DomainHmacSha256Hex, KnownVectors) {
  EXPECT_EQ(hmacSha256Hex("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  // Keys longer than the 64-byte block are hashed first (RFC 2104).
  EXPECT_EQ(hmacSha256Hex(std::string(100, 'k'), "msg"),
            "bd56a1782c2830e8abc6ed866a57a1230661e650b84c62f7ee3accc5fa5af491");
  EXPECT_EQ(hmacSha256Hex("", ""),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(DomainHmacSha256Hex, KeyAndMessageMatter) {
  const std::string base = hmacSha256Hex("secret", "message");
  EXPECT_EQ(base.size(), 64u);
  EXPECT_TRUE(isLowerHex(base));
  EXPECT_NE(base, hmacSha256Hex("secreT", "message"));
  EXPECT_NE(base, hmacSha256Hex("secret", "messagE"));
  EXPECT_NE(hmacSha256Hex("k\0a"s, "m"), hmacSha256Hex("k", "m"));
  EXPECT_NE(hmacSha256Hex("k", "m\0"s), hmacSha256Hex("k", "m"));
}

TEST(DomainConstantTimeEquals, Semantics) {
  EXPECT_TRUE(constantTimeEquals("", ""));
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "ab"));
  EXPECT_FALSE(constantTimeEquals("", "a"));
  EXPECT_FALSE(constantTimeEquals("a\0b"s, "a\0c"s));
  EXPECT_TRUE(constantTimeEquals("a\0b"s, "a\0b"s));
  EXPECT_FALSE(constantTimeEquals("a\0"s, "a"));
  const std::string token = randomToken();
  EXPECT_TRUE(constantTimeEquals(token, std::string(token)));
  std::string changed = token;
  changed.back() = changed.back() == '0' ? '1' : '0';
  EXPECT_FALSE(constantTimeEquals(token, changed));
}

}  // namespace
}  // namespace bookstore::domain
