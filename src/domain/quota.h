#pragma once

#include <cstdint>
#include <optional>

namespace bookstore::domain {

// Per-seller limits (MAX_BOOKS_PER_SELLER_PER_HOUR, MAX_COVER_BYTES_PER_SELLER):
// one account cannot fill the catalog or the shared upload folder. 0 turns a
// limit off. Administrators are held to them as well.
struct SellerQuotas {
  int64_t booksPerHour = 60;
  int64_t coverBytes = 200LL * 1024 * 1024;
};

// The window of booksPerHour: books listed within the last hour count.
constexpr int64_t kBookQuotaWindowSeconds = 3600;
// Stored cover bytes come back only when a seller removes covers or books:
// the Retry-After of a full cover quota is a hint, not a promise.
constexpr int64_t kCoverQuotaRetryAfterSeconds = 3600;

// 0 when one more book may be listed now, else the seconds until one may:
// `listed` books were listed since now - window, the oldest of them at
// `oldestListedAt` (unix seconds).
int64_t bookQuotaWait(int64_t listed, std::optional<int64_t> oldestListedAt, int64_t now,
                      int64_t limit);

// Whether a seller storing `storedBytes` of covers may replace a cover of
// `replacedBytes` (0 for none) by one of `newBytes`.
bool coverFitsQuota(int64_t storedBytes, int64_t replacedBytes, int64_t newBytes, int64_t limit);

}  // namespace bookstore::domain
