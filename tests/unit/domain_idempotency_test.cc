#include <gtest/gtest.h>

#include <string>

#include "domain/idempotency.h"

using namespace bookstore::domain;

TEST(IdempotencyKey, OneTo255PrintableAsciiCharacters) {
  EXPECT_TRUE(validIdempotencyKey("a"));
  EXPECT_TRUE(validIdempotencyKey("order 42/retry-1 ~!@#$%^&*()"));
  EXPECT_TRUE(validIdempotencyKey(std::string(255, 'k')));
  EXPECT_FALSE(validIdempotencyKey(""));
  EXPECT_FALSE(validIdempotencyKey(std::string(256, 'k')));
  EXPECT_FALSE(validIdempotencyKey("tab\there"));
  EXPECT_FALSE(validIdempotencyKey("line\nbreak"));
  EXPECT_FALSE(validIdempotencyKey("del\x7f"));
  EXPECT_FALSE(validIdempotencyKey("ñandú"));
}

TEST(FormToken, WhatTheServerRendersAndNothingOdd) {
  EXPECT_TRUE(validFormToken("0123456789abcdef0123456789abcdef"));
  EXPECT_TRUE(validFormToken("Abc_def-0123456789"));
  EXPECT_FALSE(validFormToken("short"));
  EXPECT_FALSE(validFormToken(std::string(65, 'a')));
  EXPECT_FALSE(validFormToken("0123456789abcdef:0123"));
  EXPECT_FALSE(validFormToken("0123456789abcdef 0123"));
}

TEST(FormToken, KeyIsScopedToTheFormsPath) {
  const std::string token = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(formTokenKey(token, "/buy/7"), "form:" + token + ":/buy/7");
  EXPECT_NE(formTokenKey(token, "/buy/7"), formTokenKey(token, "/buy/8"));
  EXPECT_LE(formTokenKey(std::string(64, 'a'), std::string(400, 'p')).size(),
            kMaxIdempotencyKeyLength);
}

TEST(RequestFingerprint, SameRequestSameHashAnyDifferenceAnother) {
  const auto a = requestFingerprint("POST", "/api/v1/purchases", R"({"book_id":1,"quantity":2})");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, requestFingerprint("POST", "/api/v1/purchases", R"({"book_id":1,"quantity":2})"));
  EXPECT_NE(a, requestFingerprint("POST", "/api/v1/purchases", R"({"book_id":1,"quantity":3})"));
  EXPECT_NE(a, requestFingerprint("PUT", "/api/v1/purchases", R"({"book_id":1,"quantity":2})"));
  EXPECT_NE(a, requestFingerprint("POST", "/api/v1/purchase", R"({"book_id":1,"quantity":2})"));
  // No two triples collide by moving bytes between the parts.
  EXPECT_NE(requestFingerprint("POST", "/ab", "c"), requestFingerprint("POST", "/a", "bc"));
  EXPECT_NE(requestFingerprint("", "", ""), requestFingerprint("", "", " "));
}
