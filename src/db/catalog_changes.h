#pragma once

#include <atomic>
#include <cstdint>

namespace bookstore::db {

// Counts this replica's own writes that change what the catalog lists (a
// book added, edited, removed or its stock taken), so that the replica's
// in-memory catalog snapshot reloads before its next answer: a visitor always
// sees their own change. Other replicas' writes are picked up by the
// snapshot's age limit instead.
class CatalogChanges {
 public:
  // Call after the write is committed.
  void record() { version_.fetch_add(1, std::memory_order_acq_rel); }
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  std::atomic<uint64_t> version_{0};
};

}  // namespace bookstore::db
