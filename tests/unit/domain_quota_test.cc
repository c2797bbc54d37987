// The per-seller quota rules (domain/quota.h), without I/O.
#include <gtest/gtest.h>

#include "domain/quota.h"

namespace bookstore::domain {
namespace {

TEST(BookQuota, AllowsBelowTheLimitAndWaitsForTheOldestAtIt) {
  const int64_t now = 1'000'000;
  EXPECT_EQ(bookQuotaWait(0, std::nullopt, now, 5), 0);
  EXPECT_EQ(bookQuotaWait(4, now - 100, now, 5), 0);
  // At the limit: until the oldest listing of the window is an hour old.
  EXPECT_EQ(bookQuotaWait(5, now - 600, now, 5), kBookQuotaWindowSeconds - 600);
  EXPECT_EQ(bookQuotaWait(9, now - 600, now, 5), kBookQuotaWindowSeconds - 600);
  // Never 0 while refused, never past the window.
  EXPECT_EQ(bookQuotaWait(5, now - kBookQuotaWindowSeconds, now, 5), 1);
  EXPECT_EQ(bookQuotaWait(5, std::nullopt, now, 5), kBookQuotaWindowSeconds);
  EXPECT_EQ(bookQuotaWait(5, now + 50, now, 5), kBookQuotaWindowSeconds);  // a clock ahead
  // 0: no limit.
  EXPECT_EQ(bookQuotaWait(1'000'000, now, now, 0), 0);
}

TEST(CoverQuota, CountsTheReplacedCoverOut) {
  EXPECT_TRUE(coverFitsQuota(0, 0, 100, 100));
  EXPECT_FALSE(coverFitsQuota(0, 0, 101, 100));
  EXPECT_TRUE(coverFitsQuota(60, 0, 40, 100));
  EXPECT_FALSE(coverFitsQuota(61, 0, 40, 100));
  // Replacing a 30-byte cover by a 70-byte one with 60 stored: 100.
  EXPECT_TRUE(coverFitsQuota(60, 30, 70, 100));
  EXPECT_FALSE(coverFitsQuota(60, 30, 71, 100));
  EXPECT_TRUE(coverFitsQuota(1'000'000, 0, 1'000'000, 0));  // 0: no limit
}

}  // namespace
}  // namespace bookstore::domain
