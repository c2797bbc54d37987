#include "domain/quota.h"

#include <algorithm>

namespace bookstore::domain {

int64_t bookQuotaWait(int64_t listed, std::optional<int64_t> oldestListedAt, int64_t now,
                      int64_t limit) {
  if (limit <= 0 || listed < limit) return 0;
  // The oldest listing of the window leaves it first (the exact wait when
  // exactly `limit` are in it; a lower bound when more were listed under a
  // previous, higher limit).
  const int64_t oldest = oldestListedAt.value_or(now);
  return std::clamp<int64_t>(oldest + kBookQuotaWindowSeconds - now, 1, kBookQuotaWindowSeconds);
}

bool coverFitsQuota(int64_t storedBytes, int64_t replacedBytes, int64_t newBytes, int64_t limit) {
  if (limit <= 0) return true;
  const int64_t after = std::max<int64_t>(0, storedBytes - replacedBytes) + newBytes;
  return after <= limit;
}

}  // namespace bookstore::domain
